import { describe, expect, it } from "vitest";
import type { Threat } from "../bindings/Threat";
import { filterThreats, totalsLine, usdShort } from "./threats";

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
