// The guided session's flow over a mocked core: questions come from `session_questions` (here:
// one per element whose `input_validation` is unset), an answer is one undoable edit that leaves
// the list, a skip moves on, and an undo brings the question back and takes the answer out of
// this session's log.
import { describe, expect, it, vi } from "vitest";
import type { Answer } from "../bindings/Answer";
import type { Element } from "../bindings/Element";
import type { Model } from "../bindings/Model";
import type { Question } from "../bindings/Question";

const ask = (m: Model): Question[] =>
  m.elements
    .filter((e) => e.properties.input_validation === undefined)
    .map((e) => ({
      subject: e.id,
      subject_name: e.name,
      subject_kind: "function",
      property: "input_validation",
      question: "Does this handler validate its input before using it?",
      why: "Event data is attacker-controlled until validated",
      answer: { type: "yes_no" },
      default: null,
      category: "Tampering",
      threats: [],
    }));

vi.mock("../ipc", () => ({
  sessionQuestions: async (m: Model) => ask(m),
  sessionAnswer: async (m: Model, a: Answer) => ({
    ...m,
    elements: m.elements.map((e) => (e.id === a.subject ? { ...e, properties: { ...e.properties, [a.property]: a.value } } : e)),
    session: [...m.session, { at: a.at, who: a.who, subject: "x", property: a.property, question: "q", answer: a.label, note: a.note, resolved: ["T on x (R)"], raised: [] }],
  }),
}));

const { answer, closeSession, current, remaining, sessionStore, skip, startSession } = await import("./session");
const { docStore, emptyModel } = await import("../store/document");

const fn = (id: string, name: string) => ({ id, name, kind: "function", type: "aws.lambda", properties: {}, mitigations: [], data: [] }) as unknown as Element;

describe("guided session", () => {
  it("asks, records an answer as one undoable edit, skips, and asks an undone question again", async () => {
    docStore.getState().load({ ...emptyModel(), elements: [fn("a", "A"), fn("b", "B"), fn("c", "C")] }, null);
    await startSession();
    expect(current(sessionStore.getState())?.subject).toBe("a");
    expect(docStore.getState().selection).toEqual(["a"]);

    await answer(current(sessionStore.getState())!, true, "Yes", "checked");
    const m = docStore.getState().model;
    expect(m.elements[0].properties.input_validation).toBe(true);
    expect(m.session.map((e) => [e.answer, e.note])).toEqual([["Yes", "checked"]]);
    expect(sessionStore.getState().last?.resolved).toEqual(["T on x (R)"]);
    expect(current(sessionStore.getState())?.subject).toBe("b");

    skip(current(sessionStore.getState())!);
    expect(current(sessionStore.getState())?.subject).toBe("c");
    expect(remaining(sessionStore.getState()).map((q) => q.subject)).toEqual(["c"]);

    // One undo takes the answer back: the property and the log entry go, the question returns.
    docStore.getState().undo();
    expect(docStore.getState().model.session).toEqual([]);
    await vi.waitFor(() => expect(sessionStore.getState().questions.map((q) => q.subject)).toEqual(["a", "b", "c"]), { timeout: 2000 });
    expect(current(sessionStore.getState())?.subject).toBe("a");
    closeSession();
    expect(sessionStore.getState().open).toBe(false);
  });
});
