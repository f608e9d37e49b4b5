import { describe, expect, it } from "vitest";
import type { Threat } from "../bindings/Threat";
import { filterThreats, groupThreats, registerLines, totalsLine, usdShort } from "./threats";

const t = (id: string, over: Partial<Threat>): Threat =>
  ({ id, status: "open", severity: "medium", likelihood: 3, impact: 3, ...over }) as Threat;

const list = [
  t("a", { severity: "critical", likelihood: 5, impact: 5 }),
  t("b", { severity: "high", likelihood: 4, impact: 5 }),
  t("c", { status: "accepted", severity: "high", likelihood: 4, impact: 5 }),
  t("d", { status: "mitigated" }),
];

describe("threat helpers", () => {
  it("filters by status and by heat-map cell", () => {
    expect(filterThreats(list, "all")).toHaveLength(4);
    expect(filterThreats(list, "open").map((x) => x.id)).toEqual(["a", "b"]);
    expect(filterThreats(list, "accepted").map((x) => x.id)).toEqual(["c"]);
    expect(filterThreats(list, "cell:4:5").map((x) => x.id)).toEqual(["b", "c"]);
  });
  it("formats the totals line with the denial-of-wallet exposure", () => {
    expect(usdShort(43_210)).toBe("$43k");
    expect(usdShort(1_250_000)).toBe("$1.3M");
    expect(usdShort(950.4)).toBe("$950");
    expect(usdShort(0)).toBe("$0");
    expect(totalsLine(list, 43_210)).toBe("2 open · 1 critical · 1 high · 2 triaged · DoW exposure ≈ $43k/month");
  });
});

describe("the grouped register", () => {
  const t = (id: string, rule: string, severity: Threat["severity"], target: string) =>
    ({ id, rule, severity, status: "open", target: { id: target, name: target } }) as unknown as Threat;
  const ranked = [
    t("1", "TW-A", "high", "f1"),
    t("2", "TW-B", "high", "f1"),
    t("3", "TW-A", "high", "f2"),
    t("4", "TW-A", "medium", "f3"),
    t("5", "TW-A", "high", "f3"),
  ];

  it("groups one rule and severity across targets, in the rank of each group's first finding", () => {
    const groups = groupThreats(ranked);
    expect(groups.map((g) => g.key)).toEqual(["TW-A|high", "TW-B|high", "TW-A|medium"]);
    expect(groups[0].threats.map((x) => x.id)).toEqual(["1", "3", "5"]);
  });

  it("shows a group of one as its finding and an open group's findings below it", () => {
    expect(registerLines(ranked, true, new Set()).map((l) => l.kind)).toEqual(["group", "threat", "threat"]);
    const open = registerLines(ranked, true, new Set(["TW-A|high"]));
    expect(open.map((l) => l.kind)).toEqual(["group", "member", "member", "member", "threat", "threat"]);
    expect(registerLines(ranked, false, new Set()).length).toBe(5);
  });
});
