// Triage edits from the UI: the owner is the OS user (asked once), the date is today.
import type { Threat } from "../bindings/Threat";
import type { TriageStatus } from "../bindings/TriageStatus";
import { currentUser, todayDate } from "../ipc";
import { docStore } from "../store/document";

let owner = "unknown";
let today: string | null = null;

/** Fetches the OS user name and today's date once (called at start-up). */
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

const localToday = () => new Date().toISOString().slice(0, 10);

/** Sets the status and note of a threat as one undoable edit (typing a note merges). */
export function triage(t: Threat, status: TriageStatus, note: string, typing = false) {
  docStore.getState().setTriage(t, status, note, owner, today ?? localToday(), typing ? `triage-note:${t.id}` : undefined);
}
