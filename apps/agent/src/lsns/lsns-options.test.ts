import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LsnsUsageError } from "./getopt.js";
import { LSNS_COLUMNS } from "./lsns-columns.js";
import { parseLsnsArgs } from "./lsns-options.js";

const names = (o: { columns: number[] }) => o.columns.map((i) => LSNS_COLUMNS[i]?.name);
function usage(argv: string[]): LsnsUsageError {
  try {
    parseLsnsArgs(argv);
  } catch (err) {
    if (err instanceof LsnsUsageError) return err;
    throw err;
  }
  throw new Error(`no usage error for ${JSON.stringify(argv)}`);
}

describe("parseLsnsArgs (lsns 2.38's grammar)", () => {
  it("uses lsns's default columns, with NETNSID and NSFS for -t net, and a process tree", () => {
    expect(names(parseLsnsArgs([]))).toEqual(["NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND"]);
    expect(parseLsnsArgs([]).tree).toBe("process");
    expect(names(parseLsnsArgs(["-t", "net"]))).toEqual([
      "NS",
      "TYPE",
      "NPROCS",
      "PID",
      "USER",
      "NETNSID",
      "NSFS",
      "COMMAND",
    ]);
    expect(parseLsnsArgs(["-l"]).tree).toBe("none");
    expect(names(parseLsnsArgs(["4026531836"]))).toEqual(["PID", "PPID", "USER", "COMMAND"]);
    expect(parseLsnsArgs(["--output-all"]).tree).toBe("none");
    expect(names(parseLsnsArgs(["--output-all"])).length).toBe(13);
  });

  it("replaces the columns with -o LIST and adds to them with -o +LIST, names in any case", () => {
    expect(names(parseLsnsArgs(["-o", "ns,Type"]))).toEqual(["NS", "TYPE"]);
    expect(names(parseLsnsArgs(["-onS"]))).toEqual(["NS"]);
    expect(names(parseLsnsArgs(["--output=+PNS,holders"]))).toEqual([
      "NS",
      "TYPE",
      "NPROCS",
      "PID",
      "USER",
      "COMMAND",
      "PNS",
      "HOLDERS",
    ]);
    expect(usage(["-o", "NS,FOO,BAR"]).message).toBe("unknown column: FOO,BAR");
    expect(usage(["-o", "+FOO"]).message).toBe("unknown column: FOO");
    expect(usage(["-o", "NS,,TYPE"]).exitCode).toBe(1);
    expect(usage(["-o", ""]).exitCode).toBe(1);
  });

  it("takes -T's relation only attached (-Tparent, --tree=parent); -T alone is owner", () => {
    expect(parseLsnsArgs(["-T"]).tree).toBe("owner");
    expect(parseLsnsArgs(["-Tparent"]).tree).toBe("parent");
    expect(parseLsnsArgs(["-T=process"]).tree).toBe("process");
    expect(parseLsnsArgs(["--tree=parent"]).tree).toBe("parent");
    expect(parseLsnsArgs(["--tree"]).tree).toBe("owner");
    expect(usage(["-T", "parent"]).message).toBe("invalid namespace argument: 'parent'");
    expect(usage(["--tree=x"]).message).toBe("unknown tree type: x");
  });

  it("accepts GNU abbreviations of long options, clustered short ones and -- ", () => {
    expect(parseLsnsArgs(["--js", "--noh"]).json).toBe(true);
    expect(parseLsnsArgs(["-nrt", "net"])).toMatchObject({ noHeadings: true, raw: true, noWrap: true, types: ["net"] });
    expect(usage(["--no"]).message).toBe(
      "option '--no' is ambiguous; possibilities: '--notruncate' '--noheadings' '--nowrap'",
    );
    expect(usage(["--", "-t"]).message).toBe("invalid namespace argument: '-t'");
    expect(parseLsnsArgs(["-t", "pid", "-t", "user"]).types).toEqual(["pid", "user"]);
  });

  it("refuses what lsns refuses, in its words", () => {
    expect(usage(["--foo=1"]).message).toBe("unrecognized option '--foo=1'");
    expect(usage(["-x"]).message).toBe("invalid option -- 'x'");
    expect(usage(["-p"]).message).toBe("option requires an argument -- 'p'");
    expect(usage(["--task"]).message).toBe("option '--task' requires an argument");
    expect(usage(["--json=1"]).message).toBe("option '--json' doesn't allow an argument");
    expect(usage(["-p", "1x"]).message).toBe("invalid PID argument: '1x'");
    expect(usage(["-p", "99999999999"]).message).toBe(
      "invalid PID argument: '99999999999': Numerical result out of range",
    );
    expect(usage(["-J", "-r"]).message).toBe("mutually exclusive arguments: --json --raw");
    expect(usage(["-P", "-p", "1"]).message).toBe("mutually exclusive arguments: --persistent --task");
    expect(usage(["-p", "1", "4026531836"]).message).toBe("--task is mutually exclusive with <namespace>");
    expect(usage(["-t", "foo"]).message).toBe("unknown namespace type: foo");
    expect(usage(["-Q", "NS =="]).message).toMatch(/^failed to parse "NS ==": /);
    expect(usage(["--foo"]).tryHelp).toBe(true);
    expect(usage(["-t", "foo"]).tryHelp).toBe(false);
  });

  it("acts on -h, -V and -H at once, as lsns does", () => {
    expect(parseLsnsArgs(["-V", "-x"]).action).toBe("version");
    expect(parseLsnsArgs(["-J", "-H"])).toMatchObject({ action: "list-columns", json: true });
    expect(parseLsnsArgs(["--help"]).action).toBe("help");
  });

  it("fuzz: arbitrary arguments give options or an LsnsUsageError (exit 1), nothing else", () => {
    const word = fc.constantFrom(
      "-J",
      "-l",
      "-n",
      "-o",
      "--output",
      "--output-all",
      "-p",
      "--task",
      "-r",
      "-u",
      "-W",
      "-t",
      "--type",
      "-T",
      "--tree",
      "-P",
      "-Q",
      "--filter",
      "-H",
      "-h",
      "-V",
      "--",
      "-",
      "--js",
      "--no",
      "--tree=",
      "net",
      "NS,TYPE",
      "+PNS",
      "FOO",
      "1",
      "-1",
      "4026531836",
      "NS ==",
      "(",
      'TYPE =~ "("',
      "--list=1",
    );
    const arg = fc.oneof(
      word,
      fc.string(),
      word.chain((w) => fc.string().map((s) => w + s)),
    );
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 6 }), (argv) => {
        try {
          const o = parseLsnsArgs(argv);
          for (const c of o.columns) expect(LSNS_COLUMNS[c]).toBeDefined();
        } catch (err) {
          if (!(err instanceof LsnsUsageError)) throw err;
          expect(err.exitCode).toBe(1);
          expect(err.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
