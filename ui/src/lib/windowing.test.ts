// Windowing: the slice covers the viewport plus overscan and the spacers keep the total height.
import { describe, expect, it } from "vitest";
import { windowOf } from "./windowing";

describe("windowOf", () => {
  it("shows the rows in view plus overscan, and spacers stand for the rest", () => {
    const w = windowOf(10_000, 28, 28 * 500, 280, 5);
    expect(w.from).toBe(495);
    expect(w.to).toBe(500 + 11 + 5);
    expect(w.before + (w.to - w.from) * 28 + w.after).toBe(10_000 * 28);
  });
  it("clamps at both ends and handles an empty or short list", () => {
    expect(windowOf(0, 28, 0, 300)).toEqual({ from: 0, to: 0, before: 0, after: 0 });
    const top = windowOf(3, 28, -50, 300);
    expect([top.from, top.to, top.before, top.after]).toEqual([0, 3, 0, 0]);
    const end = windowOf(100, 28, 1e9, 300, 2);
    expect(end.to).toBe(100);
    expect(end.after).toBe(0);
  });
});
