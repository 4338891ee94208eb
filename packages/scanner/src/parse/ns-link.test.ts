import { NAMESPACE_TYPES } from "@nsatlas/protocol/ids";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseNsLink } from "./ns-link.js";

const type = fc.constantFrom(...NAMESPACE_TYPES);

describe("parseNsLink", () => {
  it("reads the type and inode of a namespace link or nsfs root", () => {
    expect(parseNsLink("net:[4026531833]")).toEqual({ type: "net", inode: 4026531833 });
    expect(parseNsLink("user:[4026531837]")).toEqual({ type: "user", inode: 4026531837 });
    expect(parseNsLink("time:[4026531834]")).toEqual({ type: "time", inode: 4026531834 });
  });

  it.each([
    ["an unknown type", "foo:[4026531833]"],
    ["pid_for_children (a link name, not a type)", "pid_for_children:[4026531836]"],
    ["a path", "/proc/1/ns/net"],
    ["an anonymous inode", "anon_inode:[eventpoll]"],
    ["a socket", "socket:[12345]"],
    ["a missing inode", "net:[]"],
    ["a negative inode", "net:[-1]"],
    ["an upper-case type", "NET:[1]"],
    ["a trailing newline", "net:[4026531833]\n"],
    ["leading space", " net:[4026531833]"],
    ["an unsafe inode", "net:[9007199254740993]"],
    ["empty text", ""],
  ])("gives null for %s", (_, link) => {
    expect(parseNsLink(link)).toBeNull();
  });

  it("round-trips every namespace type with any safe inode", () => {
    fc.assert(
      fc.property(type, fc.maxSafeNat(), (t, inode) => {
        expect(parseNsLink(`${t}:[${inode}]`)).toEqual({ type: t, inode });
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws; what it returns is a known type and a safe inode that print back to the input", () => {
    const anyText = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc
        .tuple(fc.oneof(type, fc.string()), fc.string({ unit: fc.constantFrom("0", "7", "9", "-", " ", "]") }))
        .map(([t, n]) => `${t}:[${n}]`),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const ns = parseNsLink(text);
        if (ns === null) return;
        expect(NAMESPACE_TYPES).toContain(ns.type);
        expect(Number.isSafeInteger(ns.inode) && ns.inode >= 0).toBe(true);
        expect(text.replace(/\[0+(?=\d)/, "[")).toBe(`${ns.type}:[${ns.inode}]`);
      }),
      { numRuns: 2000 },
    );
  });
});
