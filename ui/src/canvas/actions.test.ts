// Canvas commands: click-to-add placement (beside the selection, never on another node),
// duplicate without touching the clipboard, reverse, rename rules, and find's ranking.
import { describe, expect, it } from "vitest";
import { docStore, emptyModel } from "../store/document";
import { duplicate, placeForNew, rename, reverseFlow } from "./actions";
import { matches } from "./FindBar";
import { NODE_W } from "../lib/geometry";

const fn = { type: "aws.lambda", kind: "function" as const, label: "Function" };

function fresh() {
  docStore.getState().load(emptyModel(), null);
  return docStore.getState();
}

describe("canvas actions", () => {
  it("places a new node to the right of the selected one, inside its boundary, not on top of anything", () => {
    const st = fresh();
    const zone = st.addBoundary("account", { x: 0, y: 0 });
    docStore.getState().resizeBoundary(zone, { x: 0, y: 0, width: 800, height: 300 });
    const a = docStore.getState().addElement(fn, { x: 32, y: 64 });
    const m = docStore.getState().model;
    const at = placeForNew(m, [a], { x: 5000, y: 5000 });
    expect(at.x).toBeGreaterThanOrEqual(32 + NODE_W);
    expect(Math.abs(at.y - 64)).toBeLessThan(48);
    docStore.getState().addElement(fn, at);
    const added = docStore.getState().model.elements[1];
    expect(added.boundary).toBe(zone);
  });

  it("without a selection, the middle of the view if it is free, else the nearest free spot", () => {
    const st = fresh();
    st.addElement(fn, { x: 400, y: 400 });
    const m = docStore.getState().model;
    const at = placeForNew(m, [], { x: 400 + NODE_W / 2, y: 400 + 32 });
    const overlaps = m.elements.some((e) => Math.abs(e.position!.x - at.x) < NODE_W && Math.abs(e.position!.y - at.y) < 64);
    expect(overlaps).toBe(false);
    expect(placeForNew(m, [], { x: 0, y: 0 })).toEqual({ x: -NODE_W / 2, y: -32 });
  });

  it("duplicates beside the original and leaves the clipboard as it was", () => {
    const st = fresh();
    const a = st.addElement(fn, { x: 0, y: 0 });
    const b = docStore.getState().addElement(fn, { x: 400, y: 0 });
    docStore.getState().select([b]);
    docStore.getState().copy();
    const clip = docStore.getState().clipboard;
    duplicate([a]);
    expect(docStore.getState().model.elements.map((e) => e.name)).toEqual(["Function", "Function 2", "Function 3"]);
    expect(docStore.getState().clipboard).toBe(clip);
    docStore.getState().undo();
    expect(docStore.getState().model.elements).toHaveLength(2);
  });

  it("reverses a flow unless the opposite one exists, and refuses a blank name but not a blank label", () => {
    const st = fresh();
    const a = st.addElement(fn, { x: 0, y: 0 });
    const b = docStore.getState().addElement(fn, { x: 400, y: 0 });
    const f = docStore.getState().addFlow(a, b)!;
    reverseFlow(f);
    expect(docStore.getState().model.flows[0]).toMatchObject({ from: b, to: a });
    docStore.getState().addFlow(a, b);
    reverseFlow(f);
    expect(docStore.getState().model.flows[0]).toMatchObject({ from: b, to: a });
    rename(a, "   ");
    expect(docStore.getState().model.elements[0].name).toBe("Function");
    rename(a, " Orders ");
    expect(docStore.getState().model.elements[0].name).toBe("Orders");
    rename(f, "");
    expect(docStore.getState().model.flows[0].label).toBe("");
  });

  it("find ranks names that start with the query first and also matches types", () => {
    const items = [
      { id: "1", name: "Orders table", extra: "aws.dynamodb" },
      { id: "2", name: "Cancel orders", extra: "aws.lambda" },
      { id: "3", name: "Users", extra: "aws.dynamodb" },
    ];
    expect(matches(items, "orders").map((i) => i.id)).toEqual(["1", "2"]);
    expect(matches(items, "dynamodb").map((i) => i.id)).toEqual(["1", "3"]);
    expect(matches(items, "  ")).toEqual([]);
  });
});
