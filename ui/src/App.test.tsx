// @vitest-environment jsdom
// App shell with a mocked backend: version, schema-driven palette, adding an element shows its
// schema-driven properties, live analysis shows threats, and user text renders as text.
import { afterEach, describe, expect, it } from "vitest";
import { act, cleanup, fireEvent, render } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import App from "./App";
import { docStore, emptyModel } from "./store/document";
import schema from "../tests/fixtures/schema.json";
// A real CLI analysis (threatwright analyze models/examples/photo-pipeline.yaml): the heat map,
// bands and plan the register draws, never hand-set here.
import real from "../tests/fixtures/analysis-photo-pipeline.json";

globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

type Handler = (cmd: string, args: Record<string, unknown>) => unknown;

function backend(extra: Handler = () => undefined) {
  const calls: string[] = [];
  mockIPC((cmd, args) => {
    calls.push(cmd);
    const r = extra(cmd, args as Record<string, unknown>);
    if (r !== undefined) return r;
    switch (cmd) {
      case "app_info":
        return { version: "9.8.7-test" };
      case "get_schema":
        return schema;
      case "get_startup":
        return { path: null, model: null };
      case "list_recent_files":
        return [];
      case "set_document_state":
        return null;
      case "analyze_model":
        return {
          analysis: {
            format_version: real.format_version, bands: real.bands, heat_map: real.heat_map, mitigation_plan: real.mitigation_plan,
            graph: { attack_paths: [], blast_radius: [], trigger_loops: [], boundary_crossings: [] },
            model: "", as_of: "", threats: [], summary: { total: 0, by_severity: {}, by_category: {}, elements: 0, flows: 0, rules_evaluated: 0 }, diagnostics: [],
          },
          micros: 1500,
        };
    }
    throw { code: "unknown_command", message: cmd };
  });
  return calls;
}

afterEach(() => {
  cleanup();
  clearMocks();
  docStore.getState().load(emptyModel(), null);
});

describe("App", () => {
  it("shows the version and the schema-driven palette", async () => {
    const calls = backend();
    const view = render(<App />);
    expect((await view.findByTestId("app-version")).textContent).toBe("v9.8.7-test");
    const palette = await view.findByLabelText("Palette");
    await view.findByTestId("palette-item-aws.lambda");
    const groups = [...palette.querySelectorAll("summary")].map((s) => s.textContent);
    expect(groups).toEqual(["Compute", "Triggers", "Stores", "External", "Boundaries"]);
    // A fresh profile (nothing in localStorage) is a first start: the empty canvas welcomes.
    expect(view.getByText("Welcome to Threatwright")).toBeTruthy();
    expect(view.getByTestId("open-sample")).toBeTruthy();
    expect(calls).toEqual(expect.arrayContaining(["app_info", "get_schema", "get_startup"]));
  });

  it("adding a trigger selects it and shows its typed properties with why-it-matters", async () => {
    backend();
    const view = render(<App />);
    fireEvent.click(await view.findByTestId("palette-item-aws.apigateway"));
    expect((await view.findByTestId("inspector-name") as HTMLInputElement).value).toBe("API Gateway REST API");
    fireEvent.click(view.getByRole("tab", { name: "Properties" }));
    const auth = view.getByTestId("prop-auth") as HTMLSelectElement;
    expect(auth.options[0].textContent).toBe("default (none)");
    expect(view.getByText("Routes without an authorizer accept requests from anyone")).toBeTruthy();
    fireEvent.change(auth, { target: { value: "jwt" } });
    expect(docStore.getState().model.elements[0].properties.auth).toBe("jwt");
    act(() => docStore.getState().undo());
    expect(docStore.getState().model.elements[0].properties.auth).toBeUndefined();
  });

  it("runs the analysis after edits and shows the time", async () => {
    const calls = backend();
    const view = render(<App />);
    fireEvent.click(await view.findByTestId("palette-item-aws.lambda"));
    await view.findByText("Analysed ✓ 2 ms", {}, { timeout: 2000 });
    expect(calls.filter((c) => c === "analyze_model").length).toBeGreaterThanOrEqual(1);
  });

  it("renders a hostile element name as text", async () => {
    backend();
    const view = render(<App />);
    await view.findByTestId("palette-item-aws.lambda");
    const m = emptyModel();
    m.elements.push({ id: "x", name: "<img src=x onerror=alert(1)>", kind: "function", type: "aws.lambda", boundary: null, description: "", properties: {}, assets: [], mitigations: [], position: { x: 0, y: 0 } });
    act(() => {
      docStore.getState().load(m, null);
      docStore.getState().select(["x"]);
    });
    expect(view.getByTestId("inspector-title").textContent).toBe("<img src=x onerror=alert(1)>");
    expect(document.querySelector("img")).toBeNull();
  });

  it("shows a clear fallback when the backend reports an error", async () => {
    backend((cmd) => {
      if (cmd === "app_info") throw { code: "internal", message: "boom" };
      return undefined;
    });
    const view = render(<App />);
    const el = await view.findByTestId("app-version-error");
    expect(el.getAttribute("title")).toBe("internal: boom");
  });
});
