// @vitest-environment jsdom
// The menu bar's ids reach the same actions as the toolbar and the keyboard, through the one
// `tw://menu` event, with the shell faked by mockIPC.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { ACTIONS, dispatchMenu } from "./menu";
import { onMenu } from "../ipc";
import { uiStore } from "./files";
import { docStore, emptyModel } from "../store/document";
import { canvasUi } from "../canvas/canvasUi";
import { sessionStore } from "./session";

const calls: { cmd: string; args: unknown }[] = [];
const ctx = { fit: vi.fn() };

beforeEach(() => {
  calls.length = 0;
  ctx.fit.mockReset();
  mockIPC(
    (cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "pick_open_path" || cmd === "pick_import_path" || cmd === "pick_export_path") return null;
      if (cmd === "open_model") return { path: (args as { path: string }).path, model: emptyModel("opened") };
      if (cmd === "list_recent_files") return ["/m/a.yaml"];
      if (cmd === "session_questions") return [];
      return null;
    },
    { shouldMockEvents: true },
  );
  docStore.getState().load(emptyModel(), null);
  uiStore.setState({ presenting: null, register: true, help: false, about: false, reimport: null });
});
afterEach(() => clearMocks());

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("menu bar", () => {
  it("a tw://menu event runs the item's action", async () => {
    const seen: string[] = [];
    const stop = onMenu((id) => seen.push(id));
    await settle();
    await emit("tw://menu", "view.present");
    await settle();
    expect(seen).toEqual(["view.present"]);
    stop();
  });

  it("view items toggle presentation mode and the register, and fit the diagram", () => {
    dispatchMenu("view.present", ctx);
    expect(uiStore.getState().presenting).not.toBeNull();
    dispatchMenu("view.present", ctx);
    expect(uiStore.getState().presenting).toBeNull();
    dispatchMenu("view.register", ctx);
    expect(uiStore.getState().register).toBe(false);
    dispatchMenu("view.fit", ctx);
    expect(ctx.fit).toHaveBeenCalledOnce();
  });

  it("the guided session starts and asks the shell for questions", async () => {
    dispatchMenu("view.session", ctx);
    await settle();
    expect(sessionStore.getState().open).toBe(true);
    expect(calls.some((c) => c.cmd === "session_questions")).toBe(true);
  });

  it("list items carry their value after the colon", async () => {
    dispatchMenu("file.recent:/m/a.yaml", ctx);
    await vi.waitFor(() => expect(calls.find((c) => c.cmd === "open_model")?.args).toEqual({ path: "/m/a.yaml" }));
    dispatchMenu("file.export:sarif", ctx);
    expect(uiStore.getState().exportDialog).toEqual({ stage: "choose", format: "sarif" }); // the export dialog, SARIF chosen
    uiStore.setState({ exportDialog: null });
    dispatchMenu("file.import:sam", ctx);
    await vi.waitFor(() => expect(calls.find((c) => c.cmd === "pick_import_path")?.args).toMatchObject({ format: "sam" }));
    calls.length = 0;
    dispatchMenu("file.recent:", ctx); // "No recent files" (disabled) opens nothing
    await settle();
    expect(calls.find((c) => c.cmd === "open_model")).toBeUndefined();
  });

  it("edit items act on the diagram, or on the focused text field", () => {
    docStore.getState().commit((m) => ({ ...m, name: "changed" }));
    dispatchMenu("edit.undo", ctx);
    expect(docStore.getState().model.name).not.toBe("changed");
    dispatchMenu("edit.redo", ctx);
    expect(docStore.getState().model.name).toBe("changed");
    dispatchMenu("edit.find", ctx);
    expect(canvasUi.getState().find).toBe(true);

    const input = document.createElement("input");
    document.body.append(input);
    input.focus();
    const exec = vi.fn(() => true);
    (document as unknown as { execCommand: typeof exec }).execCommand = exec;
    dispatchMenu("edit.undo", ctx);
    dispatchMenu("edit.select-all", ctx);
    expect(exec.mock.calls).toEqual([["undo"], ["selectAll"]]);
    expect(docStore.getState().model.name).toBe("changed"); // the diagram's undo was not used
    input.remove();
  });

  it("help items open the shortcuts and the About box; unknown ids do nothing", () => {
    dispatchMenu("help.shortcuts", ctx);
    dispatchMenu("help.about", ctx);
    expect(uiStore.getState()).toMatchObject({ help: true, about: true });
    expect(() => dispatchMenu("nope.nothing", ctx)).not.toThrow();
    expect(Object.keys(ACTIONS).every((id) => /^(file|edit|view|help)\.[a-z-]+$/.test(id))).toBe(true);
  });
});
