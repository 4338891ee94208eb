import { describe, expect, it } from "vitest";
import { CanonicalJsonError, canonicalJson, type JsonValue } from "./canonical-json.js";

describe("canonicalJson (RFC 8785)", () => {
  it("serialises the RFC's sample of numbers, strings and literals (3.2.4)", () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    ) as JsonValue;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("sorts members by UTF-16 code units, recursively (3.2.3)", () => {
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    ) as JsonValue;
    const keys = Object.keys(JSON.parse(canonicalJson(input)) as object);
    // JSON.parse keeps integer-like keys first; compare the text order instead.
    const text = canonicalJson(input);
    const order = ["\\r", "1", "\u0080", "ö", "€", "😀", "דּ"].map((k) => text.indexOf(`"${k}"`));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(keys).toHaveLength(7);
    expect(canonicalJson({ b: { z: 1, a: [2, { y: 0, x: null }] }, a: "" })).toBe(
      '{"a":"","b":{"a":[2,{"x":null,"y":0}],"z":1}}',
    );
  });

  it("prints -0 as 0, leaves out undefined members, and refuses what JSON cannot say", () => {
    expect(canonicalJson({ n: -0, u: undefined })).toBe('{"n":0}');
    expect(() => canonicalJson(Number.NaN)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson("\ud800")).toThrow(CanonicalJsonError);
    expect(canonicalJson("\ud83d\ude00")).toBe('"😀"');
  });
});
