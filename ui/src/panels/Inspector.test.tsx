// @vitest-environment jsdom
// The inspector on a seeded document: Threats | Properties | Details tabs with arrow keys, the
// strip of what an edit changed, the rule documentation, the model's report details as undoable
// edits, and the whole model's list capped with a way to the register.
import { afterEach, describe, expect, it } from "vitest";
import { act, cleanup, fireEvent, render, within } from "@testing-library/react";
import type { Schema } from "../bindings/Schema";
import type { Threat } from "../bindings/Threat";
import type { AnalysisReport } from "../bindings/AnalysisReport";
import schema from "../../tests/fixtures/schema.json";
import real from "../../tests/fixtures/analysis-photo-pipeline.json";
import { createDocStore, DocProvider, emptyModel } from "../store/document";
import { schemaStore } from "../store/schema";
import { uiStore } from "../app/files";
import Inspector, { TOP_THREATS } from "./Inspector";

const threat = (id: string, target: string, over: Partial<Threat> = {}): Threat => ({
  id,
  rule: "TW-API-001",
  title: `Threat ${id}`,
  category: "spoofing",
  description: "d",
  target: { id: target, name: "Public API", kind: "trigger", type: "aws.apigateway" },
  confidence: "high",
  likelihood: 4,
  impact: 4,
  score: 16,
  severity: "high",
  inherent_likelihood: 4,
  inherent_impact: 4,
  inherent_score: 16,
  inherent_severity: "high",
  explanation: ["base 4 × 4"],
  status: "open",
  triage: null,
  cost: null,
  rationale: [`reason of ${id}`],
  mitigations: [],
  references: { cwe: [], capec: [], owasp_serverless: [], csa: [], other: [] },
  compliance: [],
  generic: false,
  highlight: { elements: [target], flows: [] },
  ...over,
}) as Threat;

function report(threats: Threat[]): AnalysisReport {
  const { bands, heat_map, mitigation_plan, format_version } = real as unknown as AnalysisReport["analysis"];
  return {
    micros: 1,
    analysis: {
      format_version, bands, heat_map, mitigation_plan,
      graph: { attack_paths: [], blast_radius: [], trigger_loops: [], boundary_crossings: [] },
      model: "", as_of: "", threats, resolved: [], diagnostics: [],
      summary: { total: threats.length, by_severity: {}, by_category: {}, elements: 1, flows: 0, rules_evaluated: 0 },
    } as unknown as AnalysisReport["analysis"],
  };
}

function seeded(threats: Threat[]) {
  const model = emptyModel("m");
  model.elements.push({ id: "api", name: "Public API", kind: "trigger", type: "aws.apigateway", boundary: null, description: "", properties: {}, assets: [], mitigations: [], position: { x: 0, y: 0 } });
  const store = createDocStore(model);
  store.getState().setAnalysis(report(threats));
  schemaStore.setState({ schema: schema as unknown as Schema });
  const view = render(
    <DocProvider value={store}>
      <Inspector />
    </DocProvider>,
  );
  return { store, view };
}

afterEach(cleanup);

describe("Inspector", () => {
  it("opens a component on its Threats tab; arrows move between the tabs", () => {
    const { store, view } = seeded([threat("t1", "api")]);
    act(() => store.getState().select(["api"]));
    const tabs = view.getAllByRole("tab");
    expect(tabs.map((t) => t.getAttribute("aria-selected"))).toEqual(["true", "false", "false"]);
    expect(within(view.getByTestId("threats-selection")).getByTestId("rule-id").textContent).toBe("TW-API-001");
    fireEvent.keyDown(tabs[0], { key: "ArrowRight" });
    expect(view.getByRole("tab", { name: "Properties" }).getAttribute("aria-selected")).toBe("true");
    expect(view.getByTestId("prop-auth")).toBeTruthy();
    fireEvent.keyDown(view.getByRole("tab", { name: "Properties" }), { key: "End" });
    expect(view.getByTestId("connect-to")).toBeTruthy();
    fireEvent.keyDown(view.getByRole("tab", { name: "Details" }), { key: "ArrowRight" });
    expect(view.getByTestId("threats-selection")).toBeTruthy();
  });

  it("pins what an edit changed above the properties, with why it fired, and leads the Threats tab with it", () => {
    const { store, view } = seeded([threat("t1", "api")]);
    act(() => store.getState().select(["api"]));
    fireEvent.click(view.getByRole("tab", { name: "Properties" }));
    act(() => store.getState().setAnalysis(report([threat("t2", "api", { title: "Brand new" }), threat("t1", "api")])));
    expect(view.getByTestId("changes-announcement").textContent).toBe("New threat: Brand new (high)");
    const card = view.getByTestId("changed-threat");
    expect(card.dataset.change).toBe("new");
    expect(within(card).getByTestId("threat-title").textContent).toBe("Brand new");
    expect((card.querySelector("details") as HTMLDetailsElement).open).toBe(true);
    expect(card.textContent).toContain("reason of t2");
    fireEvent.click(within(card).getByTitle("Show this threat in the Threats tab"));
    const items = within(view.getByTestId("threats-selection")).getAllByTestId("threat-item");
    expect(items.map((i) => [i.dataset.threatId, i.dataset.change])).toEqual([["t2", "new"], ["t1", undefined]]);
    expect((items[0].querySelector("details") as HTMLDetailsElement).open).toBe(true);
  });

  it("switches to the Threats tab and opens the card of a threat picked elsewhere (a register row)", () => {
    const { store, view } = seeded([threat("t1", "api"), threat("t2", "api", { title: "Second" })]);
    act(() => store.getState().select(["api"]));
    fireEvent.click(view.getByRole("tab", { name: "Properties" }));
    act(() => {
      store.getState().showThreat("t2");
      store.getState().focusOn("api");
    });
    expect(view.getByRole("tab", { name: /Threats/ }).getAttribute("aria-selected")).toBe("true");
    const items = within(view.getByTestId("threats-selection")).getAllByTestId("threat-item");
    expect(items.map((i) => (i.querySelector("details") as HTMLDetailsElement).open)).toEqual([false, true]);
  });

  it("shows a rule's generated documentation with how to disable it", () => {
    const { store, view } = seeded([threat("t1", "api")]);
    act(() => store.getState().select(["api"]));
    fireEvent.click(view.getByTestId("rule-about"));
    const dialog = view.getByRole("dialog");
    expect(dialog.textContent).toContain("API route accepts unauthenticated requests");
    expect(dialog.textContent).toContain("Mitigations");
    expect(dialog.textContent).toContain("--disable TW-API-001");
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Close");
    fireEvent.keyDown(window, { key: "Tab" });
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Close");
    fireEvent.keyDown(window, { key: "Escape" });
    expect(view.queryByRole("dialog")).toBeNull();
  });

  it("edits the model's report details as undoable steps", () => {
    const { store, view } = seeded([]);
    fireEvent.change(view.getByTestId("model-author"), { target: { value: "Dana" } });
    fireEvent.change(view.getByTestId("model-scope"), { target: { value: "The API only" } });
    expect(store.getState().model.author).toBe("Dana");
    expect(store.getState().model.scope).toBe("The API only");
    act(() => store.getState().undo());
    expect(store.getState().model.scope).toBe("");
    expect(store.getState().model.author).toBe("Dana");
  });

  it("lists the top threats of the model and opens the register for the rest", () => {
    const many = Array.from({ length: TOP_THREATS + 12 }, (_, i) => threat(`t${i}`, "api", { status: i % 2 ? "accepted" : "open" }));
    const { view } = seeded(many);
    act(() => uiStore.setState({ register: false, filter: "all" }));
    expect(within(view.getByTestId("threats-all")).getAllByTestId("threat-item")).toHaveLength(TOP_THREATS);
    fireEvent.click(view.getByTestId("show-all-threats"));
    expect(uiStore.getState().register).toBe(true);
    act(() => uiStore.setState({ filter: "accepted" }));
    expect(within(view.getByTestId("threats-all")).getAllByTestId("threat-item")).toHaveLength(21);
    expect(view.queryByTestId("show-all-threats")).toBeNull();
    act(() => uiStore.setState({ filter: "all" }));
  });
});
