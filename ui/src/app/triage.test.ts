// Triage decisions go through the core one at a time: each request carries the decisions the
// previous one recorded, whatever order the backend answers in.
import { describe, expect, it, vi } from "vitest";
import type { Model } from "../bindings/Model";
import type { Threat } from "../bindings/Threat";
import type { TriageRequest } from "../bindings/TriageRequest";

const seen: Model[] = [];
let release: () => void = () => {};
vi.mock("../ipc", () => ({
  currentUser: async () => "alice",
  todayDate: async () => "2026-11-29",
  triageThreat: async (model: Model, request: TriageRequest) => {
    seen.push(model);
    // The first answer waits until the test releases it: without the queue the second would overtake it.
    if (seen.length === 1) await new Promise<void>((r) => (release = r));
    const rest = model.triage.filter((d) => d.threat !== request.threat);
    const decision = { threat: request.threat, rule: "R", target: "T", status: request.status, note: request.note, owner: request.owner, date: request.date };
    return { ...model, triage: [...rest, decision] };
  },
}));

const { triage, initTriageIdentity } = await import("./triage");
const { docStore } = await import("../store/document");

describe("triage", () => {
  it("records decisions in order, each on top of the last", async () => {
    await initTriageIdentity();
    const a = { id: "aaaaaaaa" } as Threat;
    const b = { id: "bbbbbbbb" } as Threat;
    const first = triage(a, "accepted", "");
    const second = triage(b, "mitigated", "WAF");
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    await Promise.resolve();
    expect(seen).toHaveLength(1); // the second waits for the first
    release();
    await Promise.all([first, second]);
    expect(seen[1].triage.map((d) => d.threat)).toEqual(["aaaaaaaa"]);
    expect(docStore.getState().model.triage.map((d) => [d.threat, d.status, d.owner])).toEqual([
      ["aaaaaaaa", "accepted", "alice"],
      ["bbbbbbbb", "mitigated", "alice"],
    ]);
  });
});
