import { describe, expect, it } from "vitest";
import type { Resolved } from "../bindings/Resolved";
import type { Threat } from "../bindings/Threat";
import {
  ariaSort,
  bulkResult,
  checkState,
  isQuerying,
  lineKey,
  lineThreats,
  moveActive,
  nextSort,
  NO_QUERY,
  queryChoices,
  queryResolved,
  queryThreats,
  scrollToRow,
  sortThreats,
  toggleChecked,
  type RegisterQuery,
} from "./register";
import { registerLines } from "./threats";

const t = (id: string, over: Omit<Partial<Threat>, "target"> & { target?: { id: string; name: string } }) =>
  ({
    id,
    rule: "TW-FN-001",
    title: `Title ${id}`,
    category: "Tampering",
    severity: "medium",
    score: 8,
    status: "open",
    target: { id: "f1", name: "Place order" },
    ...over,
  }) as unknown as Threat;

// In rank order, as the analysis gives them.
const ranked = [
  t("a", { severity: "critical", score: 20, title: "Public bucket", rule: "TW-STO-001", category: "Information Disclosure", target: { id: "s1", name: "Uploads" } }),
  t("b", { severity: "high", score: 12, title: "No throttling", rule: "TW-API-002", category: "Denial of Service", target: { id: "api", name: "Orders API" } }),
  t("c", { severity: "medium", score: 8, title: "Dependencies not scanned", rule: "TW-FN-022", category: "Elevation of Privilege", status: "accepted" }),
  t("d", { severity: "medium", score: 6, title: "Dependencies not scanned", rule: "TW-FN-022", category: "Elevation of Privilege", target: { id: "f2", name: "Ship order" } }),
  t("e", { severity: "low", score: 3, title: "at-least-once delivery", rule: "TW-GEN-009", target: { id: "q1", name: "Billing queue" } }),
];
const ids = (ts: Threat[]) => ts.map((x) => x.id);
const q = (part: Partial<RegisterQuery>): RegisterQuery => ({ ...NO_QUERY, ...part });

describe("the register's filter bar", () => {
  it("lets everything through when it asks nothing", () => {
    expect(isQuerying(NO_QUERY)).toBe(false);
    expect(isQuerying(q({ text: "  " }))).toBe(false);
    expect(queryThreats(ranked, NO_QUERY)).toBe(ranked);
  });
  it("filters by several severities, STRIDE, status, target and rule, combined", () => {
    expect(ids(queryThreats(ranked, q({ severities: ["critical", "low"] })))).toEqual(["a", "e"]);
    expect(ids(queryThreats(ranked, q({ category: "Elevation of Privilege" })))).toEqual(["c", "d"]);
    expect(ids(queryThreats(ranked, q({ status: "accepted" })))).toEqual(["c"]);
    expect(ids(queryThreats(ranked, q({ target: "f2" })))).toEqual(["d"]);
    expect(ids(queryThreats(ranked, q({ rule: "TW-FN-022", status: "open" })))).toEqual(["d"]);
    expect(ids(queryThreats(ranked, q({ severities: ["high"], rule: "TW-FN-022" })))).toEqual([]);
  });
  it("matches free text in the title, the target's name and the rule id, ignoring case", () => {
    expect(ids(queryThreats(ranked, q({ text: "DEPENDENCIES" })))).toEqual(["c", "d"]);
    expect(ids(queryThreats(ranked, q({ text: "orders api" })))).toEqual(["b"]);
    expect(ids(queryThreats(ranked, q({ text: "tw-gen" })))).toEqual(["e"]);
    expect(ids(queryThreats(ranked, q({ text: " ship ", severities: ["medium"] })))).toEqual(["d"]);
  });
  it("offers each target once by name and each rule once", () => {
    const c = queryChoices(ranked);
    expect(c.targets.map((x) => x.name)).toEqual(["Billing queue", "Orders API", "Place order", "Ship order", "Uploads"]);
    expect(c.rules).toEqual(["TW-API-002", "TW-FN-022", "TW-GEN-009", "TW-STO-001"]);
  });
  it("lists resolved decisions by text and rule only; a query on what they no longer have hides them", () => {
    const r = [
      { threat: "x", rule: "TW-API-001", target: "Old API", decided: "accepted", note: "WAF", owner: "ana", date: "2026-11-01" },
      { threat: "y", rule: "TW-FN-003", target: "Job", decided: "mitigated", note: "", owner: "ana", date: "2026-11-01" },
    ] as Resolved[];
    expect(queryResolved(r, NO_QUERY)).toHaveLength(2);
    expect(queryResolved(r, q({ text: "waf" })).map((x) => x.threat)).toEqual(["x"]);
    expect(queryResolved(r, q({ rule: "TW-FN-003" })).map((x) => x.threat)).toEqual(["y"]);
    expect(queryResolved(r, q({ severities: ["high"] }))).toEqual([]);
  });
});

describe("the register's sort", () => {
  it("cycles a header: natural direction, the other, back to rank; aria-sort follows", () => {
    const s1 = nextSort(null, "severity");
    expect(s1).toEqual({ key: "severity", dir: "desc" });
    expect(ariaSort(s1, "severity")).toBe("descending");
    expect(ariaSort(s1, "title")).toBe("none");
    const s2 = nextSort(s1, "severity");
    expect(ariaSort(s2, "severity")).toBe("ascending");
    expect(nextSort(s2, "severity")).toBeNull();
    expect(nextSort(s2, "target")).toEqual({ key: "target", dir: "asc" });
  });
  it("sorts by each column; ties keep their rank; null keeps rank order", () => {
    expect(sortThreats(ranked, null)).toBe(ranked);
    expect(ids(sortThreats(ranked, { key: "severity", dir: "asc" }))).toEqual(["e", "d", "c", "b", "a"]);
    expect(ids(sortThreats(ranked, { key: "score", dir: "desc" }))).toEqual(["a", "b", "c", "d", "e"]);
    expect(ids(sortThreats(ranked, { key: "title", dir: "asc" }))).toEqual(["e", "c", "d", "b", "a"]);
    expect(ids(sortThreats(ranked, { key: "target", dir: "desc" }))).toEqual(["a", "d", "c", "b", "e"]);
    expect(ids(sortThreats(ranked, { key: "status", dir: "asc" }))).toEqual(["c", "a", "b", "d", "e"]);
    expect(ids(sortThreats(ranked, { key: "category", dir: "asc" }))).toEqual(["b", "c", "d", "a", "e"]);
  });
});

describe("the register's selection and keyboard", () => {
  const lines = registerLines(ranked, true, new Set(["TW-FN-022|medium"]));
  it("gives each line a key and the threats it stands for", () => {
    expect(lines.map(lineKey)).toEqual(["t:a", "t:b", "g:TW-FN-022|medium", "t:c", "t:d", "t:e"]);
    expect(lineThreats(lines[2])).toEqual(["c", "d"]);
    expect(lineThreats({ kind: "resolved", resolved: { threat: "x" } as Resolved })).toEqual([]);
  });
  it("checks a group's findings all at once, and unchecks them when all were", () => {
    let checked = toggleChecked(new Set(["c"]), ["c", "d"]);
    expect(checkState(["c", "d"], new Set(["c"]))).toBe("some");
    expect([...checked].sort()).toEqual(["c", "d"]);
    expect(checkState(["c", "d"], checked)).toBe("all");
    checked = toggleChecked(checked, ["c", "d"]);
    expect(checkState(["c", "d"], checked)).toBe("none");
    expect([...toggleChecked(new Set(["a", "c"]), ["c", "d"], true)].sort()).toEqual(["a", "c", "d"]);
  });
  it("moves the active row with arrows, Home, End and pages, within the lines", () => {
    expect(moveActive("ArrowDown", -1, 5)).toBe(0);
    expect(moveActive("ArrowDown", 4, 5)).toBe(4);
    expect(moveActive("ArrowUp", 0, 5)).toBe(0);
    expect(moveActive("ArrowUp", 3, 5)).toBe(2);
    expect(moveActive("Home", 3, 5)).toBe(0);
    expect(moveActive("End", 0, 5)).toBe(4);
    expect(moveActive("PageDown", 1, 50, 10)).toBe(11);
    expect(moveActive("PageUp", 3, 50, 10)).toBe(0);
    expect(moveActive("Enter", 1, 5)).toBeNull();
    expect(moveActive("ArrowDown", 0, 0)).toBeNull();
  });
  it("scrolls a row whole into view under the sticky header, and only when it is not", () => {
    // 40 px rows, a 30 px header, a 200 px viewport.
    expect(scrollToRow(2, 40, 30, 0, 200)).toBeNull();
    expect(scrollToRow(5, 40, 30, 0, 200)).toBe(30 + 6 * 40 - 200);
    expect(scrollToRow(1, 40, 30, 200, 200)).toBe(40);
  });
  it("says what a bulk triage did", () => {
    expect(bulkResult(26, "accepted")).toBe("Marked 26 threats accepted");
    expect(bulkResult(1, "not_applicable")).toBe("Marked 1 threat not applicable");
    expect(bulkResult(3, "open")).toBe("Reopened 3 threats");
  });
});
