import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProcParseError } from "../errors.js";
import { parseNspid } from "./nspid.js";

const pid = fc.integer({ min: 1, max: 4_194_304 });

describe("parseNspid", () => {
  it("reads the pid in each nested pid namespace, outermost first", () => {
    expect(parseNspid("\t523\t1")).toEqual([523, 1]);
    expect(parseNspid("\t11233\n")).toEqual([11233]);
    expect(parseNspid("\t900\t40\t1")).toEqual([900, 40, 1]);
  });

  it.each([
    ["an empty value", ""],
    ["only whitespace", " \t\n"],
    ["pid 0", "\t0"],
    ["a negative pid", "\t5\t-1"],
    ["a word", "\t5\tx"],
    ["a fraction", "\t5.5"],
    ["an unsafe integer", "\t9007199254740993"],
  ])("rejects %s with a ProcParseError", (_, value) => {
    expect(() => parseNspid(value)).toThrow(ProcParseError);
  });

  it("round-trips tab-separated pids as the kernel writes them", () => {
    fc.assert(
      fc.property(fc.array(pid, { minLength: 1, maxLength: 33 }), fc.constantFrom("\t", " ", "\t\t"), (pids, sep) => {
        expect(parseNspid(`${sep}${pids.join(sep)}\n`)).toEqual(pids);
      }),
      { numRuns: 1000 },
    );
  });

  it("rejects a list that holds a pid that is not positive", () => {
    fc.assert(
      fc.property(fc.array(pid, { maxLength: 8 }), fc.integer({ min: -1000, max: 0 }), fc.nat(), (pids, bad, at) => {
        const list = [...pids];
        list.splice(at % (list.length + 1), 0, bad);
        expect(() => parseNspid(`\t${list.join("\t")}`)).toThrow(ProcParseError);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws anything but ProcParseError; what it returns is positive safe integers", () => {
    const anyText = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.string({ unit: fc.constantFrom("\t", " ", "\n", "0", "1", "9", "-", ".", "e", "x") }),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        let pids: number[];
        try {
          pids = parseNspid(text);
        } catch (err) {
          if (err instanceof ProcParseError && err.file === "status") return;
          throw err;
        }
        expect(pids.length).toBeGreaterThan(0);
        for (const p of pids) expect(Number.isSafeInteger(p) && p > 0).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
