import { describe, expect, it } from "vitest";
import { locatedText } from "./located";

const base = { file: "m.yaml", line: 3, column: 5, subject: null, field: null, message: "unknown key `nmae`" };

describe("locatedText", () => {
  it("prefixes file, line and column", () => {
    expect(locatedText(base)).toBe("m.yaml:3:5: unknown key `nmae`");
  });
  it("omits a missing position", () => {
    expect(locatedText({ ...base, line: 0, column: 0 })).toBe("m.yaml: unknown key `nmae`");
  });
  it("names the subject and field", () => {
    expect(locatedText({ ...base, subject: "fn-1", field: "properties.timeout", message: "not a number" })).toBe(
      "m.yaml:3:5: [fn-1.properties.timeout] not a number",
    );
  });
  it("needs no file", () => {
    expect(locatedText({ ...base, file: "", line: 0, subject: "db" })).toBe("[db] unknown key `nmae`");
  });
});
