// Store behaviour: add / move / delete / undo / redo / copy-paste / property edits, and
// containment in boundaries (moving a boundary moves its content; dropping sets `boundary`).
import { describe, expect, it } from "vitest";
import { createDocStore, emptyModel, isDirty } from "./document";

const fn = { type: "aws.lambda", kind: "function" as const, label: "Function" };
const api = { type: "aws.apigateway", kind: "trigger" as const, label: "API" };

describe("document store", () => {
  it("adds elements with unique names, snapped positions and selects them", () => {
    const s = createDocStore();
    const a = s.getState().addElement(fn, { x: 10, y: 21 });
    const b = s.getState().addElement(fn, { x: 300, y: 0 });
    const m = s.getState().model;
    expect(m.elements.map((e) => e.name)).toEqual(["Function", "Function 2"]);
    expect(m.elements[0].position).toEqual({ x: 16, y: 16 });
    expect(s.getState().selection).toEqual([b]);
    expect(a).not.toEqual(b);
  });

  it("undoes and redoes every edit, including property edits", () => {
    const s = createDocStore();
    const id = s.getState().addElement(api, { x: 0, y: 0 });
    s.getState().setProperty(id, "auth", "none");
    expect(s.getState().model.elements[0].properties.auth).toBe("none");
    s.getState().undo();
    expect(s.getState().model.elements[0].properties.auth).toBeUndefined();
    s.getState().undo();
    expect(s.getState().model.elements).toHaveLength(0);
    s.getState().redo();
    s.getState().redo();
    expect(s.getState().model.elements[0].properties.auth).toBe("none");
    s.getState().setProperty(id, "auth", undefined);
    expect("auth" in s.getState().model.elements[0].properties).toBe(false);
  });

  it("merges typing into one undo step", () => {
    const s = createDocStore();
    const id = s.getState().addElement(fn, { x: 0, y: 0 });
    for (const name of ["O", "Or", "Ord"]) s.getState().updateElement(id, { name }, `name:${id}`);
    expect(s.getState().model.elements[0].name).toBe("Ord");
    s.getState().undo();
    expect(s.getState().model.elements[0].name).toBe("Function");
  });

  it("tracks dirty state against the saved model", () => {
    const s = createDocStore();
    expect(s.getState().model).toBe(s.getState().saved);
    s.getState().addElement(fn, { x: 0, y: 0 });
    expect(s.getState().model).not.toBe(s.getState().saved);
    s.getState().undo();
    expect(s.getState().model).toBe(s.getState().saved);
  });

  it("connects elements once, never to themselves", () => {
    const s = createDocStore();
    const a = s.getState().addElement(api, { x: 0, y: 0 });
    const b = s.getState().addElement(fn, { x: 300, y: 0 });
    expect(s.getState().addFlow(a, b)).toBeTruthy();
    expect(s.getState().addFlow(a, b)).toBeNull();
    expect(s.getState().addFlow(a, a)).toBeNull();
    expect(s.getState().model.flows).toHaveLength(1);
  });

  it("deletes the selection with its flows, and undo restores both", () => {
    const s = createDocStore();
    const a = s.getState().addElement(api, { x: 0, y: 0 });
    const b = s.getState().addElement(fn, { x: 300, y: 0 });
    s.getState().addFlow(a, b);
    s.getState().select([a]);
    s.getState().deleteSelection();
    expect(s.getState().model.elements.map((e) => e.id)).toEqual([b]);
    expect(s.getState().model.flows).toHaveLength(0);
    s.getState().undo();
    expect(s.getState().model.flows).toHaveLength(1);
  });

  it("copies and pastes with new ids, offset, and the flows between copied nodes", () => {
    const s = createDocStore();
    const a = s.getState().addElement(api, { x: 0, y: 0 });
    const b = s.getState().addElement(fn, { x: 320, y: 0 });
    s.getState().addFlow(a, b);
    s.getState().select([a, b]);
    s.getState().copy();
    s.getState().paste();
    const m = s.getState().model;
    expect(m.elements).toHaveLength(4);
    expect(m.flows).toHaveLength(2);
    const pasted = m.elements.slice(2);
    expect(pasted.map((e) => e.name)).toEqual(["API 2", "Function 2"]);
    expect(pasted[0].position).toEqual({ x: 32, y: 32 });
    expect(new Set(m.elements.map((e) => e.id)).size).toBe(4);
    expect(m.flows[1].from).toBe(pasted[0].id);
    expect(s.getState().selection).toContain(pasted[0].id);
  });

  it("dropping a node into a boundary sets its boundary; moving the boundary moves it", () => {
    const s = createDocStore();
    const outer = s.getState().addBoundary("account", { x: 0, y: 0 }); // 420 x 280
    const el = s.getState().addElement(fn, { x: 600, y: 600 });
    expect(s.getState().model.elements[0].boundary).toBeNull();
    s.getState().moveItems([{ id: el, x: 48, y: 64 }]);
    expect(s.getState().model.elements[0].boundary).toBe(outer);
    s.getState().moveItems([{ id: outer, x: 160, y: 96 }]);
    const m = s.getState().model;
    expect(m.boundaries[0].position).toEqual({ x: 160, y: 96 });
    expect(m.elements[0].position).toEqual({ x: 208, y: 160 });
    expect(m.elements[0].boundary).toBe(outer);
    s.getState().undo();
    expect(s.getState().model.elements[0].position).toEqual({ x: 48, y: 64 });
  });

  it("nests boundaries and moves nested content with the outer one", () => {
    const s = createDocStore();
    const outer = s.getState().addBoundary("account", { x: 0, y: 0 });
    s.getState().resizeBoundary(outer, { x: 0, y: 0, width: 800, height: 600 });
    const inner = s.getState().addBoundary("vpc", { x: 64, y: 64 });
    expect(s.getState().model.boundaries[1].parent).toBe(outer);
    const el = s.getState().addElement(fn, { x: 96, y: 112 });
    expect(s.getState().model.elements[0].boundary).toBe(inner);
    s.getState().nudge(16, 0); // element selected: moves alone
    s.getState().select([outer]);
    s.getState().moveItems([{ id: outer, x: 32, y: 0 }]);
    const m = s.getState().model;
    expect(m.boundaries.find((b) => b.id === inner)!.position).toEqual({ x: 96, y: 64 });
    expect(m.elements.find((e) => e.id === el)!.position).toEqual({ x: 144, y: 112 });
  });

  it("deleting a boundary keeps its content and lifts it to the parent", () => {
    const s = createDocStore();
    const outer = s.getState().addBoundary("account", { x: 0, y: 0 });
    s.getState().resizeBoundary(outer, { x: 0, y: 0, width: 800, height: 600 });
    const inner = s.getState().addBoundary("vpc", { x: 64, y: 64 });
    s.getState().addElement(fn, { x: 96, y: 112 });
    s.getState().select([inner]);
    s.getState().deleteSelection();
    expect(s.getState().model.elements[0].boundary).toBe(outer);
  });

  it("load resets history, selection and analysis", () => {
    const s = createDocStore();
    s.getState().addElement(fn, { x: 0, y: 0 });
    const m = emptyModel("Other");
    s.getState().load(m, "/tmp/other.yaml");
    expect(s.getState().past).toHaveLength(0);
    expect(s.getState().model).toBe(m);
    expect(s.getState().path).toBe("/tmp/other.yaml");
  });

  it("data assets: add, attach to a flow, remove detaches", () => {
    const s = createDocStore();
    const a = s.getState().addElement(api, { x: 0, y: 0 });
    const b = s.getState().addElement(fn, { x: 300, y: 0 });
    const f = s.getState().addFlow(a, b)!;
    const asset = s.getState().addAsset("Customer PII", "confidential");
    s.getState().updateFlow(f, { assets: [asset] });
    expect(s.getState().model.flows[0].assets).toEqual([asset]);
    s.getState().removeAsset(asset);
    expect(s.getState().model.flows[0].assets).toEqual([]);
    expect(s.getState().model.assets).toEqual([]);
  });
});

describe("triage and unsaved loads", () => {
  const decision = (note: string) => ({
    threat: "11111111-1111-1111-1111-111111111111", rule: "API-01", target: "Webhook API",
    status: "accepted" as const, note, owner: "alice", date: "2026-11-29",
  });
  it("setTriage commits the decisions the core recorded as one undoable edit; typing a note merges", () => {
    const s = createDocStore();
    s.getState().setTriage([decision("")]);
    expect(s.getState().model.triage).toEqual([decision("")]);
    s.getState().setTriage([decision("WAF in front")], "note");
    s.getState().setTriage([decision("WAF in front of it")], "note");
    expect(s.getState().model.triage[0].note).toBe("WAF in front of it");
    s.getState().undo(); // the note typing is one step
    expect(s.getState().model.triage[0].note).toBe("");
    s.getState().setTriage([]);
    expect(s.getState().model.triage).toEqual([]);
    s.getState().undo();
    expect(s.getState().model.triage[0].status).toBe("accepted");
  });
  it("loadUnsaved opens an untitled, dirty document", () => {
    const s = createDocStore(emptyModel(), "/old.yaml");
    const m = { ...emptyModel("imported"), elements: [] };
    s.getState().loadUnsaved(m);
    expect(s.getState().path).toBeNull();
    expect(s.getState().model).toBe(m);
    expect(isDirty(s.getState())).toBe(true);
    expect(s.getState().past).toEqual([]);
  });
});

