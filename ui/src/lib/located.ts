// Readable text for a located problem from the backend (an error's diagnostics, an importer's
// warnings): `file:line:column: [subject.field] message`, the form editors and terminals link.
import type { Located } from "../bindings/Located";

export type { Located };

/** "m.yaml:3:5: [fn-1.properties.timeout] must be a number" (position and subject when known). */
export function locatedText(l: Located): string {
  const where = l.line > 0 ? `${l.file}:${l.line}:${l.column}` : l.file;
  const about = l.subject ? `[${l.subject}${l.field ? `.${l.field}` : ""}] ` : "";
  return `${where ? `${where}: ` : ""}${about}${l.message}`;
}
