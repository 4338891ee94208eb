/** A value that has one canonical JSON text. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue | undefined };

/** A value RFC 8785 cannot serialise (NaN, Infinity, a lone surrogate, a function, …). */
export class CanonicalJsonError extends Error {
  readonly code = "NOT_CANONICALIZABLE";
}

// A UTF-16 surrogate not part of a pair: not valid Unicode, so RFC 8785 (3.2.2.2) refuses it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function str(s: string): string {
  if (LONE_SURROGATE.test(s)) throw new CanonicalJsonError("string with a lone surrogate");
  // ECMAScript's JSON.stringify escapes exactly as RFC 8785 3.2.2.2 asks: \b \t \n \f \r \" \\,
  // other controls as \u00xx (lower-case hex), everything else as itself.
  return JSON.stringify(s);
}

/** The RFC 8785 (JCS) canonical JSON of a value: object members sorted by their UTF-16 code
 * units, no whitespace, numbers as ECMAScript prints them (which is what JCS prescribes).
 * Members whose value is `undefined` are left out, as JSON.stringify does. */
export function canonicalJson(value: JsonValue): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`number ${value} has no JSON form`);
      // Number.prototype.toString is the JCS number format; -0 prints as 0, as JCS wants.
      return JSON.stringify(value);
    case "string":
      return str(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
      // Default sort compares UTF-16 code units: exactly the JCS member order (3.2.3).
      const keys = Object.keys(value)
        .filter((k) => value[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${str(k)}:${canonicalJson(value[k] as JsonValue)}`).join(",")}}`;
    }
    default:
      throw new CanonicalJsonError(`${typeof value} has no JSON form`);
  }
}
