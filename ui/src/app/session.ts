// The guided session (facilitator mode): the core lists the questions that settle what the
// analysis had to assume (`session_questions`, worded by the property schema), and records each
// answer (`session_answer`: the property set and the log entry with the threats it resolved or
// raised). Each answer is one undoable edit. Questions are asked subject by subject; the list is
// asked again after an answer and after any other edit while the session is open (an undo, a
// property typed in the inspector), since each can settle or raise questions.
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";
import type { CommandError } from "../bindings/CommandError";
import type { Question } from "../bindings/Question";
import type { SessionEntry } from "../bindings/SessionEntry";
import type { Value } from "../bindings/Value";
import { sessionAnswer, sessionQuestions } from "../ipc";
import { docStore } from "../store/document";
import { uiStore } from "./files";
import { triageOwner } from "./triage";

export interface SessionState {
  open: boolean;
  busy: boolean;
  /** The questions still to ask, as the core last listed them. */
  questions: Question[];
  /** `subject|property` of the questions skipped in this session. An answered question leaves
   *  the list by itself (its property is set), and comes back if the answer is undone. */
  skipped: string[];
  /** How many log entries the model had when the session started: this session's answers are
   *  the entries after them (an undone answer leaves the log, and so the summary). */
  startLen: number;
  /** The entry of the answer just given (its resolved and raised threats are shown). */
  last: SessionEntry | null;
  finished: boolean;
}

const IDLE: SessionState = { open: false, busy: false, questions: [], skipped: [], startLen: 0, last: null, finished: false };

export const sessionStore = createStore<SessionState>()(() => IDLE);
export const useSession = <T,>(sel: (s: SessionState) => T) => useStore(sessionStore, sel);

export const questionKey = (q: Question) => `${q.subject}|${q.property}`;

/** The questions still to ask: those not skipped in this session. */
export const remaining = (s: SessionState) => s.questions.filter((q) => !s.skipped.includes(questionKey(q)));

/** The question to ask now: the first one not skipped in this session. */
export function current(s: SessionState): Question | null {
  return s.questions.find((q) => !s.skipped.includes(questionKey(q))) ?? null;
}

function show(q: Question | null) {
  if (!q) return;
  docStore.getState().select([q.subject]);
  docStore.getState().focusOn(q.subject);
}

async function refresh() {
  const questions = await sessionQuestions(docStore.getState().model);
  sessionStore.setState({ questions });
  show(current(sessionStore.getState()));
}

function failed(e: unknown) {
  sessionStore.setState({ busy: false });
  uiStore.setState({ error: e as CommandError });
}

let unwatch: (() => void) | null = null;
let pending: ReturnType<typeof setTimeout> | null = null;

/** Asks the questions again a moment after an edit made outside the session's own answers. */
function watchEdits() {
  unwatch?.();
  unwatch = docStore.subscribe((now, before) => {
    if (now.model === before.model || !sessionStore.getState().open || sessionStore.getState().busy) return;
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      pending = null;
      if (sessionStore.getState().open && !sessionStore.getState().busy) void refresh().catch(failed);
    }, 400);
  });
}

/** Starts a guided session on the open model. */
export async function startSession() {
  sessionStore.setState({ ...IDLE, open: true, busy: true, startLen: docStore.getState().model.session?.length ?? 0 });
  watchEdits();
  try {
    await refresh();
    sessionStore.setState({ busy: false });
  } catch (e) {
    failed(e);
  }
}

/** "2026-12-05 20:41" (UTC). */
export const nowUtc = (d = new Date()) => d.toISOString().slice(0, 16).replace("T", " ");

/** Records the answer to `q` as one undoable edit and moves to the next question. */
export async function answer(q: Question, value: Value, label: string, note: string) {
  sessionStore.setState({ busy: true });
  try {
    const next = await sessionAnswer(docStore.getState().model, {
      subject: q.subject,
      property: q.property,
      value,
      label,
      who: triageOwner(),
      at: nowUtc(),
      note,
    });
    docStore.getState().commit(() => next);
    const entry = next.session[next.session.length - 1];
    sessionStore.setState({ last: entry });
    await refresh();
    sessionStore.setState({ busy: false });
  } catch (e) {
    failed(e);
  }
}

/** Leaves `q` unanswered (it stays unknown) and moves on. */
export function skip(q: Question) {
  const s = sessionStore.getState();
  sessionStore.setState({ skipped: [...s.skipped, questionKey(q)], last: null });
  show(current(sessionStore.getState()));
}

export const finishSession = () => sessionStore.setState({ finished: true });
export const closeSession = () => {
  unwatch?.();
  unwatch = null;
  if (pending) clearTimeout(pending);
  pending = null;
  sessionStore.setState(IDLE);
};
