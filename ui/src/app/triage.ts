// Triage edits from the UI: the core records the decision (`triage_threat`, the one policy the
// CLI and the project file share); the UI commits the result as an undoable edit. The owner is
// the OS user (asked once), the date is today. The register's bulk triage records many decisions
// in one command (`triage_threats`) and commits them as one edit, with the owner the user gave.
import type { CommandError } from "../bindings/CommandError";
import type { Threat } from "../bindings/Threat";
import type { TriageStatus } from "../bindings/TriageStatus";
import { currentUser, todayDate, triageThreat, triageThreats } from "../ipc";
import { docStore } from "../store/document";
import { uiStore } from "./files";

let owner = "unknown";
let today: string | null = null;

/** Uses `name` from now on (Settings changed it). */
export const setOwner = (name: string) => {
  owner = name || owner;
};

/** Fetches the user's name (Settings, else the OS account's) and today's date once (called at start-up). */
export async function initTriageIdentity() {
  try {
    owner = (await currentUser()) || owner;
  } catch {
    /* keep "unknown" */
  }
  try {
    today = await todayDate();
  } catch {
    today = null;
  }
}

/** The owner decisions are recorded under by default, and who answers a guided session: the OS
 *  user, or "unknown". */
export const triageOwner = () => owner;

const localToday = () => new Date().toISOString().slice(0, 10);

/** Decisions wait for the one before them, so each is recorded on top of the last. */
let queue: Promise<void> = Promise.resolve();

async function record(t: Threat, status: TriageStatus, note: string, typing: boolean) {
  const request = { threat: t.id, status, note, owner, date: today ?? localToday() };
  try {
    const recorded = await triageThreat(docStore.getState().model, request);
    // Only the decisions are taken: edits made while the command ran stay.
    docStore.getState().setTriage(recorded.triage, typing ? `triage-note:${t.id}` : undefined);
  } catch (e) {
    uiStore.setState({ error: e as CommandError });
  }
}

/** Sets the status and note of a threat as one undoable edit (typing a note merges). */
export function triage(t: Threat, status: TriageStatus, note: string, typing = false): Promise<void> {
  queue = queue.then(() => record(t, status, note, typing));
  return queue;
}

/** Sets the status of every threat in `threats` as ONE undoable edit, with `owner` (blank: the
 *  OS user) and `note` (blank: each threat keeps its own note). Resolves to how many were
 *  recorded; rejects with the core's error, recording none. */
export function triageMany(threats: Threat[], status: TriageStatus, note: string, who: string): Promise<number> {
  const run = queue.then(async () => {
    const date = today ?? localToday();
    const by = who.trim() || owner;
    const requests = threats.map((t) => ({ threat: t.id, status, note: note.trim() ? note : (t.triage?.note ?? ""), owner: by, date }));
    const recorded = await triageThreats(docStore.getState().model, requests);
    docStore.getState().setTriage(recorded.triage);
    return threats.length;
  });
  queue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}
