// The guided session (facilitator mode): the core lists the questions that settle what the
// analysis had to assume (`session_questions`, worded by the property schema), and records each
// answer (`session_answer`: the property set and the log entry with the threats it resolved or
// raised). Each answer is one undoable edit. Questions are asked subject by subject; after an
// answer the list is asked again, since an answer can settle or raise others.
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
  /** `subject|property` of the questions answered or skipped in this session. */
  seen: string[];
  /** This session's answers, oldest first. */
  answered: SessionEntry[];
  skipped: number;
  /** The entry of the answer just given (its resolved and raised threats are shown). */
  last: SessionEntry | null;
  finished: boolean;
}

const IDLE: SessionState = { open: false, busy: false, questions: [], seen: [], answered: [], skipped: 0, last: null, finished: false };

export const sessionStore = createStore<SessionState>()(() => IDLE);
export const useSession = <T,>(sel: (s: SessionState) => T) => useStore(sessionStore, sel);

export const questionKey = (q: Question) => `${q.subject}|${q.property}`;

/** The question to ask now: the first one not answered or skipped in this session. */
export function current(s: SessionState): Question | null {
  return s.questions.find((q) => !s.seen.includes(questionKey(q))) ?? null;
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

/** Starts a guided session on the open model. */
export async function startSession() {
  sessionStore.setState({ ...IDLE, open: true, busy: true });
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
    const s = sessionStore.getState();
    sessionStore.setState({ seen: [...s.seen, questionKey(q)], answered: [...s.answered, entry], last: entry });
    await refresh();
    sessionStore.setState({ busy: false });
  } catch (e) {
    failed(e);
  }
}

/** Leaves `q` unanswered (it stays unknown) and moves on. */
export function skip(q: Question) {
  const s = sessionStore.getState();
  sessionStore.setState({ seen: [...s.seen, questionKey(q)], skipped: s.skipped + 1, last: null });
  show(current(sessionStore.getState()));
}

export const finishSession = () => sessionStore.setState({ finished: true });
export const closeSession = () => sessionStore.setState(IDLE);
