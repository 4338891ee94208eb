import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePasswd } from "./passwd.js";

const PASSWD = `root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
`;

// A user name holds neither the field separator nor a line break, and does not start a comment.
const name = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[:\n]|^\s*#/.test(s));
const uid = fc.nat({ max: 4_294_967_294 });

describe("parsePasswd", () => {
  it("maps uid to user name", () => {
    expect(parsePasswd(PASSWD)).toEqual(
      new Map([
        [0, "root"],
        [1, "daemon"],
        [1000, "alice"],
      ]),
    );
  });

  it("keeps the first name of a uid that appears twice, as getpwuid(3) does", () => {
    expect(parsePasswd("root:x:0:0::/:/bin/sh\ntoor:x:0:0::/:/bin/sh\n").get(0)).toBe("root");
  });

  it("skips comment lines, as glibc's nss_files does", () => {
    const text = "#olduser:x:1000:1000::/home/old:/bin/sh\n  # note:x:2000:\nalice:x:1000:1000::/home/alice:/bin/sh\n";
    expect(parsePasswd(text)).toEqual(new Map([[1000, "alice"]]));
  });

  it("skips malformed lines: blank, too few fields, no name, non-numeric uid", () => {
    const text = "\n#comment\nshort:x\n:x:5:5::/:\nbad:x:abc:1::/:\nempty:x::1::/:\n+::::::\nok:x:7:7::/:\n";
    expect(parsePasswd(text)).toEqual(new Map([[7, "ok"]]));
  });

  it("reads generated files: the first name of every uid", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, uid), { maxLength: 20 }), (users) => {
        const text = users.map(([n, u]) => `${n}:x:${u}:${u}:gecos:/home/${n}:/bin/sh`).join("\n");
        const expected = new Map<number, string>();
        for (const [n, u] of users) if (!expected.has(u)) expected.set(u, n);
        expect(parsePasswd(`${text}\n`)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary text; every name it returns is non-empty and every uid an integer", () => {
    const anyText = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.string({ unit: fc.constantFrom(":", "\n", "x", "0", "1", "-", " ", "#") }),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        for (const [u, n] of parsePasswd(text)) {
          expect(Number.isInteger(u)).toBe(true);
          expect(n).not.toBe("");
          expect(n).not.toMatch(/[:\n]|^\s*#/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
