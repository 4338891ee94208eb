import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProcParseError } from "../errors.js";
import { parseStat, type StatFields } from "./stat.js";

/** A line as do_task_stat() writes it (proc(5)), 52 fields: other fields hold `filler`.
 * Also returns where field 22 (starttime) starts and ends, for the truncation property. */
function statLine(f: StatFields, filler = "0"): { line: string; startTimeAt: number; startTimeEnd: number } {
  const after = Array.from({ length: 49 }, () => filler); // fields 4..52; field N is after[N - 4]
  after[0] = String(f.ppid);
  after[16] = String(f.numThreads);
  after[18] = String(f.startTime);
  const head = `${f.pid} (${f.comm}) ${f.state} ${after.slice(0, 18).join(" ")} `;
  const line = `${head}${after.slice(18).join(" ")}\n`;
  return { line, startTimeAt: head.length, startTimeEnd: head.length + String(f.startTime).length };
}

/** Parses, accepting only a ProcParseError as failure; anything else thrown fails the property. */
function parseOrReject(text: string): StatFields | ProcParseError {
  try {
    return parseStat(text);
  } catch (err) {
    if (err instanceof ProcParseError && err.code === "PROC_PARSE" && err.file === "stat") return err;
    throw err;
  }
}

const TRICKY = ["(", ")", ") (", " ", "  ", "\n", "\t", "S", "1", ") S 1 ", "\u00e9", "\u{1F600}"];
// comm is at most 15 bytes (TASK_COMM_LEN - 1) and may hold anything but NUL, even ") (".
const comm = fc.string({
  unit: fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })),
  maxLength: 15,
});
const fields: fc.Arbitrary<StatFields> = fc.record({
  pid: fc.integer({ min: 1, max: 4_194_304 }),
  comm: comm.filter((c) => !c.includes("\0")),
  state: fc.constantFrom(..."RSDZTtXxKWPI"),
  ppid: fc.integer({ min: 0, max: 4_194_304 }),
  numThreads: fc.integer({ min: 0, max: 1_000_000 }),
  startTime: fc.maxSafeNat(),
});

describe("parseStat", () => {
  it("reads pid, comm, state, ppid, num_threads and starttime from a kernel line", () => {
    const line =
      "11230 (cat) R 11228 11228 5550 0 -1 4194304 97 0 0 0 0 0 0 0 20 0 1 0 58814 3133440 404 18446744073709551615 " +
      "94225847398400 94225847418281 140728196024112 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94225847434288 94225847435904 " +
      "94226011574272 140728196029152 140728196029172 140728196029172 140728196030443 0\n";
    expect(parseStat(line)).toEqual({
      pid: 11230,
      comm: "cat",
      state: "R",
      ppid: 11228,
      numThreads: 1,
      startTime: 58814,
    });
  });

  it("splits after the LAST ')' so a comm holding ') (' and spaces survives", () => {
    const f = { pid: 524, comm: "my (weird) comm", state: "S", ppid: 1, numThreads: 3, startTime: 501 };
    expect(parseStat(statLine(f).line)).toEqual(f);
    const g = { ...f, comm: ") S 1 (" };
    expect(parseStat(statLine(g).line)).toEqual(g);
    const h = { ...f, comm: "a\nb)" };
    expect(parseStat(statLine(h).line)).toEqual(h);
  });

  it("accepts an empty comm and ppid 0 (pid 1 and kthreadd have no parent)", () => {
    const f = { pid: 2, comm: "", state: "S", ppid: 0, numThreads: 1, startTime: 0 };
    expect(parseStat(statLine(f).line)).toEqual(f);
  });

  it.each([
    ["empty text", ""],
    ["no parentheses", "1 cat S 0 1 1"],
    ["no pid before comm", "(cat) S 0 1 1"],
    [
      "pid 0",
      statLine({ pid: 1, comm: "x", state: "S", ppid: 0, numThreads: 1, startTime: 5 }).line.replace(/^1/, "0"),
    ],
    ["non-numeric pid", "abc (cat) S 1"],
    ["no closing parenthesis", "1 (cat S 0 1 1"],
    ["a state that is not one letter", "1 (cat) SS 0 1 1"],
    ["a missing state", "1 (cat)"],
    ["too few fields for starttime", "1 (cat) S 0 1 1 0 -1 4194304"],
  ])("rejects %s with a ProcParseError", (_, text) => {
    expect(() => parseStat(text)).toThrow(ProcParseError);
  });

  it("rejects negative and unsafe numbers in the fields it reads", () => {
    const base = { pid: 7, comm: "x", state: "S", ppid: 1, numThreads: 1, startTime: 5 };
    expect(() => parseStat(statLine({ ...base, ppid: -1 }).line)).toThrow(/bad ppid/);
    expect(() => parseStat(statLine(base).line.replace(" 5 ", " 9007199254740993 "))).toThrow(/bad starttime/);
    expect(() => parseStat(statLine({ ...base, numThreads: 1.5 }).line)).toThrow(/bad num_threads/);
  });

  it("checks only the fields it reads", () => {
    const base = { pid: 7, comm: "x", state: "S", ppid: 1, numThreads: 1, startTime: 5 };
    expect(parseStat(statLine(base, "x").line)).toEqual(base);
  });

  it("round-trips generated fields, whatever the comm holds", () => {
    fc.assert(
      fc.property(fields, (f) => {
        expect(parseStat(statLine(f).line)).toEqual(f);
      }),
      { numRuns: 1000 },
    );
  });

  it("ignores whitespace around the line", () => {
    fc.assert(
      fc.property(fields, fc.constantFrom("", " ", "  ", "\t"), fc.constantFrom("", "\n", " \n", "\n\n"), (f, l, t) => {
        expect(parseStat(`${l}${statLine(f).line.trimEnd()}${t}`)).toEqual(f);
      }),
      { numRuns: 500 },
    );
  });

  it("rejects every truncation that ends before starttime, and keeps the fields after it", () => {
    fc.assert(
      fc.property(fields, fc.nat(), (f, n) => {
        const { line, startTimeAt, startTimeEnd } = statLine(f);
        const cut = n % (line.length + 1);
        const got = parseOrReject(line.slice(0, cut));
        if (cut < startTimeAt) expect(got).toBeInstanceOf(ProcParseError);
        if (cut >= startTimeEnd) expect(got).toEqual(f);
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws anything but ProcParseError on arbitrary text", () => {
    const anyText = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.string({ unit: fc.constantFrom(...TRICKY, "0", "9", "-", " 0") }),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const got = parseOrReject(text);
        if (got instanceof ProcParseError) return;
        expect(got.pid).toBeGreaterThan(0);
        expect(got.state).toMatch(/^[A-Za-z]$/);
        for (const n of [got.ppid, got.numThreads, got.startTime]) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws anything but ProcParseError on mutated valid lines", () => {
    const mutation = fc.oneof(
      // Extra spaces anywhere.
      fc.tuple(fc.constant("insert"), fc.nat(), fc.constantFrom(" ", "  ", "\n", ") (", ")", "(")),
      // A character dropped.
      fc.tuple(fc.constant("delete"), fc.nat(), fc.constant("")),
    );
    fc.assert(
      fc.property(fields, fc.array(mutation, { minLength: 1, maxLength: 4 }), (f, edits) => {
        let text = statLine(f).line;
        for (const [kind, n, s] of edits) {
          const at = n % (text.length + 1);
          text = text.slice(0, at) + s + text.slice(kind === "delete" ? at + 1 : at);
        }
        parseOrReject(text);
      }),
      { numRuns: 1000 },
    );
  });
});
