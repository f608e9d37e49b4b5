// @vitest-environment jsdom
// The register as a work surface on a seeded document, with the IPC mocked: the filter bar and
// its count, sortable headers, the keyboard grid (arrows, Enter, Space, Ctrl+A kept from the
// canvas), a group's check box and the bulk triage bar (one command, one undoable edit, a result
// in words, errors readable), and the decisions resolved by design on demand.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { AnalysisReport } from "../bindings/AnalysisReport";
import type { Model } from "../bindings/Model";
import type { Threat } from "../bindings/Threat";
import type { TriageRequest } from "../bindings/TriageRequest";
import real from "../../tests/fixtures/analysis-photo-pipeline.json";

const bulkCalls: TriageRequest[][] = [];
let failNext = false;
vi.mock("../ipc", async (original) => ({
  ...(await original<typeof import("../ipc")>()),
  currentUser: async () => "alice",
  todayDate: async () => "2026-12-05",
  triageThreats: async (model: Model, requests: TriageRequest[]) => {
    bulkCalls.push(requests);
    if (failNext) {
      failNext = false;
      throw { code: "triage_failed", message: "threat 2 of 3: no threat with id `x` in this model", diagnostics: [] };
    }
    const decided = requests.map((r) => ({ threat: r.threat, rule: "TW-FN-022", target: "T", status: r.status, note: r.note, owner: r.owner, date: r.date }));
    return { ...model, triage: [...model.triage.filter((d) => !requests.some((r) => r.threat === d.threat)), ...decided] };
  },
}));

const { initTriageIdentity } = await import("../app/triage");
const { docStore, emptyModel } = await import("../store/document");
const { uiStore } = await import("../app/files");
const { NO_QUERY } = await import("../lib/register");
const { default: Register } = await import("./Register");

const threat = (id: string, over: Partial<Threat> & { target: Threat["target"] }): Threat =>
  ({
    id,
    rule: "TW-FN-022",
    title: "Dependencies of an exposed function are not scanned",
    category: "Elevation of Privilege",
    severity: "medium",
    score: 8,
    likelihood: 2,
    impact: 4,
    status: "open",
    triage: null,
    ...over,
  }) as unknown as Threat;

const fn = (id: string, name: string) => ({ id, name, kind: "function", type: "aws.lambda" }) as Threat["target"];
const THREATS = [
  threat("t-api", { rule: "TW-API-002", title: "No throttling on the public API", category: "Denial of Service", severity: "high", score: 12, target: { id: "api", name: "Orders API", kind: "trigger", type: "aws.apigateway" } as Threat["target"] }),
  threat("t-f1", { target: fn("f1", "Place order") }),
  threat("t-f2", { target: fn("f2", "Ship order") }),
  threat("t-f3", { target: fn("f3", "Bill order") }),
  threat("t-q", { rule: "TW-GEN-009", title: "Internet events reach a queue consumer", category: "Tampering", severity: "low", score: 3, target: { id: "q", name: "Billing queue", kind: "trigger", type: "aws.sqs" } as Threat["target"] }),
];

function seed(threats: Threat[] = THREATS, resolved: unknown[] = []) {
  const model = emptyModel("shop");
  for (const id of ["api", "f1", "f2", "f3", "q"])
    model.elements.push({ id, name: id, kind: "function", type: "aws.lambda", boundary: null, description: "", properties: {}, assets: [], mitigations: [], position: { x: 0, y: 0 } } as unknown as Model["elements"][number]);
  docStore.getState().load(model, null);
  const { bands, heat_map, mitigation_plan, format_version } = real as unknown as AnalysisReport["analysis"];
  const analyse = (m: Model) => {
    const byId = new Map(m.triage.map((d) => [d.threat, d]));
    const ts = threats.map((t) => {
      const d = byId.get(t.id);
      return d ? { ...t, status: d.status, triage: { note: d.note, owner: d.owner, date: d.date } } : t;
    });
    docStore.getState().setAnalysis({
      micros: 1,
      analysis: {
        format_version, bands, heat_map, mitigation_plan: mitigation_plan.slice(0, 0),
        graph: { attack_paths: [], blast_radius: [], trigger_loops: [], boundary_crossings: [] },
        model: "", as_of: "", threats: ts, resolved, diagnostics: [],
        summary: { total: ts.length, by_severity: {}, by_category: {}, elements: 5, flows: 0, rules_evaluated: 0, denial_of_wallet_usd_month: 0 },
      } as unknown as AnalysisReport["analysis"],
    });
  };
  analyse(model);
  // The live analysis of the app, in small: every model change is analysed again.
  const unsubscribe = docStore.subscribe((s, prev) => {
    if (s.model !== prev.model) analyse(s.model);
  });
  const view = render(<Register />);
  return { view, unsubscribe };
}

beforeAll(async () => {
  globalThis.ResizeObserver ??= class {
    observe() {}
    disconnect() {}
    unobserve() {}
  } as unknown as typeof ResizeObserver;
  await initTriageIdentity();
});
afterEach(() => {
  cleanup();
  uiStore.setState({ registerQuery: NO_QUERY, registerSort: null, showResolved: false, filter: "all", registerGrouped: true });
});

/** The grid's rows (threats, groups, resolved decisions) in the DOM, top to bottom. */
const lines = () => [...document.querySelectorAll<HTMLElement>("tbody tr[data-index]")];
const rowIds = () => screen.queryAllByTestId("register-row").map((r) => r.getAttribute("data-threat-id"));

describe("Register", () => {
  it("filters by text and severity, shows n of m, and sorts by a header with aria-sort", () => {
    const { unsubscribe } = seed();
    expect(screen.getByTestId("register-count").textContent).toBe("5 of 5");
    fireEvent.change(screen.getByRole("searchbox", { name: /search threats/i }), { target: { value: "ORDERS api" } });
    expect(rowIds()).toEqual(["t-api"]);
    expect(screen.getByTestId("register-count").textContent).toBe("1 of 5");
    fireEvent.change(screen.getByRole("searchbox", { name: /search threats/i }), { target: { value: "" } });
    const sev = within(screen.getByRole("group", { name: "Severity" }));
    fireEvent.click(sev.getByRole("button", { name: /low/ }));
    fireEvent.click(sev.getByRole("button", { name: /high/ }));
    expect(rowIds()).toEqual(["t-api", "t-q"]);
    fireEvent.click(screen.getByRole("button", { name: "Clear filters ✕" }));
    fireEvent.click(screen.getByRole("button", { name: "Target" }));
    expect(screen.getByRole("columnheader", { name: /target/i }).getAttribute("aria-sort")).toBe("ascending");
    fireEvent.click(screen.getByRole("button", { name: "Target" }));
    expect(screen.getByRole("columnheader", { name: /target/i }).getAttribute("aria-sort")).toBe("descending");
    // Descending by target name: the group (its first finding Ship order) before Orders API.
    expect(lines().map((r) => r.getAttribute("data-threat-id") ?? r.getAttribute("data-rule"))).toEqual(["TW-FN-022", "t-api", "t-q"]);
    unsubscribe();
  });

  it("checks a group with its box and triages its findings in bulk: one command, one undo", async () => {
    const { unsubscribe } = seed();
    fireEvent.click(screen.getByRole("checkbox", { name: /Select all 3 “Dependencies/ }));
    expect(screen.getByRole("button", { name: "Apply to 3 threats" })).toBeTruthy();
    const bar = within(screen.getByRole("region", { name: "Bulk triage" }));
    expect((bar.getByRole("textbox", { name: "Owner of the decision" }) as HTMLInputElement).value).toBe("alice");
    fireEvent.change(bar.getByRole("combobox", { name: "Status for the selected threats" }), { target: { value: "accepted" } });
    fireEvent.change(bar.getByRole("textbox", { name: "Note for the selected threats" }), { target: { value: "SCA runs in CI (SEC-42)" } });
    const past = docStore.getState().past.length;
    fireEvent.click(bar.getByRole("button", { name: "Apply to 3 threats" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toMatch(/^Marked 3 threats accepted/));
    expect(bulkCalls).toHaveLength(1);
    expect(bulkCalls[0].map((r) => [r.threat, r.status, r.note, r.owner])).toEqual(
      ["t-f1", "t-f2", "t-f3"].map((id) => [id, "accepted", "SCA runs in CI (SEC-42)", "alice"]),
    );
    expect(docStore.getState().past.length).toBe(past + 1);
    expect(screen.getByTestId("register-group").textContent).toMatch(/0 open/);
    act(() => docStore.getState().undo());
    expect(docStore.getState().model.triage).toEqual([]);
    expect(screen.getByRole("status").textContent).toBe("");
    expect(screen.getByTestId("register-group").textContent).toMatch(/3 open/);
    unsubscribe();
  });

  it("shows a failed bulk triage readably and changes nothing", async () => {
    const { unsubscribe } = seed();
    fireEvent.click(screen.getByRole("checkbox", { name: "Select every shown threat" }));
    expect(screen.getByRole("button", { name: "Apply to 5 threats" })).toBeTruthy();
    failNext = true;
    fireEvent.click(screen.getByRole("button", { name: "Apply to 5 threats" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("Nothing was changed: threat 2 of 3: no threat with id `x` in this model"));
    expect(docStore.getState().model.triage).toEqual([]);
    unsubscribe();
  });

  it("moves with arrows, opens with Enter, checks with Space, checks all with Ctrl+A (kept from the canvas)", () => {
    const { unsubscribe } = seed();
    const rows = lines;
    act(() => rows()[0].focus());
    fireEvent.keyDown(rows()[0], { key: "ArrowDown" });
    expect(document.activeElement).toBe(rows()[1]);
    expect(rows()[1].getAttribute("tabindex")).toBe("0");
    fireEvent.keyDown(rows()[1], { key: "Enter" });
    expect(rows()[1].getAttribute("aria-expanded")).toBe("true");
    fireEvent.keyDown(document.activeElement!, { key: "ArrowDown" });
    fireEvent.keyDown(document.activeElement!, { key: "Enter" });
    expect(docStore.getState().selection).toEqual(["f1"]);
    fireEvent.keyDown(document.activeElement!, { key: " " });
    expect(screen.getByRole("button", { name: "Apply to 1 threat" })).toBeTruthy();
    fireEvent.keyDown(document.activeElement!, { key: "End" });
    expect(document.activeElement?.getAttribute("data-threat-id")).toBe("t-q");
    fireEvent.keyDown(document.activeElement!, { key: "ArrowUp", shiftKey: true });
    expect(screen.getByRole("button", { name: "Apply to 3 threats" })).toBeTruthy();
    const notPrevented = fireEvent.keyDown(document.activeElement!, { key: "a", ctrlKey: true });
    expect(notPrevented).toBe(false);
    expect(screen.getByRole("button", { name: "Apply to 5 threats" })).toBeTruthy();
    unsubscribe();
  });

  it("lists the decisions resolved by design only on demand, read-only", () => {
    const { unsubscribe } = seed(THREATS, [{ threat: "gone", rule: "TW-API-001", target: "Old API", decided: "accepted", note: "WAF allow-list", owner: "ana", date: "2026-11-01" }]);
    expect(screen.queryByTestId("register-resolved")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Show resolved (1)" }));
    const row = screen.getByTestId("register-resolved");
    expect(row.textContent).toMatch(/resolved.*TW-API-001 no longer fires — WAF allow-list · by ana · on 2026-11-01.*Old API.*was accepted/);
    expect(within(row).queryByRole("checkbox")).toBeNull();
    unsubscribe();
  });
});
