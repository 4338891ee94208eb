// How libsmartcols writes cell text in each output mode, so that `-r` and `-J` match lsns
// byte for byte and the table's widths are counted as it counts them.

const HEX = (b: number) => `\\x${b.toString(16).padStart(2, "0")}`;

function hexBytes(s: string): string {
  return [...Buffer.from(s, "utf8")].map(HEX).join("");
}

function isControl(cp: number): boolean {
  return cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0);
}

/** Table mode (mbs_safe_encode): control characters as \xHH, and a literal `\x` as `\x5cx`
 * so that the output stays unambiguous. */
export function safeEncode(s: string): string {
  let out = "";
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const cp = ch.codePointAt(0) ?? 0;
    if (isControl(cp)) out += hexBytes(ch);
    else if (ch === "\\" && chars[i + 1] === "x") out += "\\x5c";
    else out += ch;
  }
  return out;
}

/** Raw mode: every blank, backslash and byte outside printable ASCII as \xHH. */
export function rawEncode(s: string): string {
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    if (b <= 0x20 || b === 0x5c || b >= 0x7f) out += HEX(b);
    else out += String.fromCharCode(b);
  }
  return out;
}

/** JSON mode: a quoted string with `"` and `\` escaped and control characters named. */
export function jsonQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (cp < 0x20) {
      const named: Record<number, string> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r" };
      out += named[cp] ?? `\\u${cp.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return `${out}"`;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function charWidth(cp: number): number {
  if (cp >= 0x300 && cp <= 0x36f) return 0; // combining marks
  return isWide(cp) ? 2 : 1;
}

/** Terminal columns the (already encoded) text takes. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

/** The longest prefix of s that fits in width columns. */
export function truncateToWidth(s: string, width: number): string {
  let w = 0;
  let out = "";
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > width) break;
    w += cw;
    out += ch;
  }
  return out;
}
