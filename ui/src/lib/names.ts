// Where an element name may wrap: at spaces, after `-` `_` `.` `/`, at camelCase and
// acronym ends ("HTTPServer" → "HTTP|Server") and before a capital after digits ("S3Bucket"),
// never inside a word part. The same rules as the PDF diagram (src/export/pdf/names.rs), so a
// name breaks the same way on screen and on paper. Pure: the node renders the parts with <wbr>
// between them and lets CSS clamp the lines.

const SEPARATORS = new Set([" ", "-", "_", ".", "/"]);
const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();
const isLower = (c: string) => c !== c.toUpperCase() && c === c.toLowerCase();
const isDigit = (c: string) => c >= "0" && c <= "9";

function breaksBetween(prev: string, cur: string, next: string | undefined): boolean {
  if (SEPARATORS.has(cur)) return false;
  if (SEPARATORS.has(prev)) return true;
  if (isLower(prev) && isUpper(cur)) return true;
  if (isUpper(prev) && isUpper(cur) && next !== undefined && isLower(next)) return true;
  return isDigit(prev) && isUpper(cur);
}

/** The word parts of `name`, each with its trailing separators; joined they give `name` back. */
export function nameParts(name: string): string[] {
  const chars = Array.from(name);
  const out: string[] = [];
  let part = chars.length ? chars[0] : "";
  for (let i = 1; i < chars.length; i++) {
    if (breaksBetween(chars[i - 1], chars[i], chars[i + 1])) {
      out.push(part);
      part = "";
    }
    part += chars[i];
  }
  if (part) out.push(part);
  return out;
}

/** Bidirectional formatting characters (embeddings, overrides, isolates, marks). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Every C0 and C1 control, tab and line breaks included.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * A name as shown, never as stored: a control character becomes its visible picture (␇ for a
 * bell, ␛ for escape, ␡ for delete) and a bidirectional override or isolate becomes "�", so
 * "invoice‮fdp.exe" cannot pose as "invoiceexe.pdf" and an escape sequence cannot hide text.
 */
export function shownName(name: string): string {
  return name
    .replace(BIDI, "\ufffd")
    .replace(CONTROL, (c) => {
      const code = c.charCodeAt(0);
      return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? "\u2421" : "\ufffd";
    });
}

/** `text` cut to at most `max` characters (code points), ending in "…" when cut. */
export function clipped(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
