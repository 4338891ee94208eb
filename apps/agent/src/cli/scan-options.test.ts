import { NAMESPACE_TYPES } from "@nsatlas/protocol/ids";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScanArgs } from "./scan-options.js";
import { UsageError } from "./usage-error.js";

const DEFAULTS = {
  json: false,
  types: null,
  procRoot: "/proc",
  netnsDir: "/run/netns",
  netstacks: true,
  help: false,
  watch: false,
  intervalMs: 1_000,
  fullEveryMs: 30_000,
  pretty: false,
  findings: true,
  engines: true,
  sockets: { docker: [], containerd: [], podman: [], "cri-o": [] },
};
const FLAGS = [
  "--json",
  "--no-netstacks",
  "--watch",
  "-h",
  "--help",
  "--type",
  "-t",
  "--proc-root",
  "--netns-dir",
  "--interval",
  "--full-every",
  "--pretty",
  "--no-findings",
  "--docker-socket",
  "--containerd-socket",
  "--podman-socket",
  "--crio-socket",
  "--no-engines",
];

/** The UsageError that parsing argv throws; fails the test if it throws nothing or something else. */
function usageError(argv: string[]): UsageError {
  try {
    parseScanArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`no usage error for ${JSON.stringify(argv)}`);
}

describe("parseScanArgs", () => {
  it("gives the defaults for no arguments", () => {
    expect(parseScanArgs([])).toEqual(DEFAULTS);
  });

  it("sets the switches", () => {
    expect(parseScanArgs(["--json", "--no-netstacks"])).toEqual({ ...DEFAULTS, json: true, netstacks: false });
    expect(parseScanArgs(["-h"]).help).toBe(true);
    expect(parseScanArgs(["--help"]).help).toBe(true);
    expect(parseScanArgs(["--json", "--pretty", "--no-findings"])).toEqual({
      ...DEFAULTS,
      json: true,
      pretty: true,
      findings: false,
    });
  });

  it("accumulates types over repeated --type, comma lists and the --type= form", () => {
    expect(parseScanArgs(["--type", "net,user", "--type", "pid"]).types).toEqual(["net", "user", "pid"]);
    expect(parseScanArgs(["--type=net"]).types).toEqual(["net"]);
    expect(parseScanArgs(["-t", "mnt", "--type=uts,ipc"]).types).toEqual(["mnt", "uts", "ipc"]);
  });

  it("rejects an unknown namespace type with a usage error (exit code 2)", () => {
    const err = usageError(["--type", "net,bogus"]);
    expect(err).toMatchObject({ code: "USAGE", exitCode: 2 });
    expect(err.message).toContain('"bogus"');
    expect(usageError(["--type", "net,"]).message).toContain('""');
    expect(usageError(["--type", "NET"]).message).toContain("unknown namespace type");
  });

  it.each([["--bogus"], ["-x"], ["extra"], ["--json", "scan"], ["--bogus=1"], ["-t=net"]])(
    "rejects the unknown option in %j with exit code 2",
    (...argv) => {
      const err = usageError(argv);
      expect(err.exitCode).toBe(2);
      expect(err.message).toMatch(/^unknown option: /);
    },
  );

  it.each([
    [["--type"], "--type"],
    [["-t"], "-t"],
    [["--proc-root"], "--proc-root"],
    [["--json", "--netns-dir"], "--netns-dir"],
    [["--type="], "--type"],
    [["--proc-root", ""], "--proc-root"],
  ])("rejects %j: a missing value", (argv, flag) => {
    expect(usageError(argv).message).toBe(`${flag} needs a value`);
  });

  it("rejects a value given to a switch rather than ignoring it", () => {
    expect(usageError(["--json=false"]).message).toBe("--json takes no value");
    expect(usageError(["--no-netstacks=0"]).message).toBe("--no-netstacks takes no value");
    expect(usageError(["--help="]).message).toBe("--help takes no value");
  });

  it("drops trailing slashes from --proc-root and --netns-dir, but keeps the root", () => {
    expect(parseScanArgs(["--proc-root", "/host/proc/"]).procRoot).toBe("/host/proc");
    expect(parseScanArgs(["--proc-root=/host/proc//"]).procRoot).toBe("/host/proc");
    expect(parseScanArgs(["--proc-root", "/"]).procRoot).toBe("/");
    expect(parseScanArgs(["--netns-dir", "//"]).netnsDir).toBe("/");
    expect(parseScanArgs(["--netns-dir", "/var/run/netns/"]).netnsDir).toBe("/var/run/netns");
  });

  it("lets a later --proc-root win", () => {
    expect(parseScanArgs(["--proc-root", "/a", "--proc-root", "/b"]).procRoot).toBe("/b");
  });

  it("gives the types of every --type argument in order, however they are split and spelt", () => {
    const group = fc.array(fc.constantFrom(...NAMESPACE_TYPES), { minLength: 1, maxLength: 4 });
    const form = fc.constantFrom("--type", "-t", "--type=");
    fc.assert(
      fc.property(fc.array(fc.tuple(group, form), { minLength: 1, maxLength: 5 }), (groups) => {
        const argv = groups.flatMap(([types, f]) => (f.endsWith("=") ? [`${f}${types}`] : [f, types.join(",")]));
        expect(parseScanArgs(argv).types).toEqual(groups.flatMap(([types]) => types));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps any directory without its trailing slashes", () => {
    const segment = fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !s.includes("/"));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 3 }), (segs, k) => {
        const dir = `/${segs.join("/")}`;
        expect(parseScanArgs(["--proc-root", `${dir}${"/".repeat(k)}`]).procRoot).toBe(dir);
        expect(parseScanArgs([`--netns-dir=${dir}${"/".repeat(k)}`]).netnsDir).toBe(dir);
      }),
      { numRuns: 500 },
    );
  });

  it("calls anything that is not one of its options an unknown option", () => {
    const arg = fc.oneof(
      fc.string(),
      fc.string().map((s) => `--${s}`),
      fc.string().map((s) => `-${s}`),
    );
    const unknown = arg.filter(
      (a) => !FLAGS.includes(a.startsWith("--") && a.includes("=") ? a.slice(0, a.indexOf("=")) : a),
    );
    fc.assert(
      fc.property(unknown, (a) => {
        expect(usageError([a]).message).toBe(`unknown option: ${a}`);
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws anything but a UsageError on arbitrary arguments", () => {
    const arg = fc.oneof(
      fc.constantFrom(...FLAGS, "--type=", "--json=1", "net", "net,pid", "/proc/", ""),
      fc.constantFrom(...FLAGS).chain((f) => fc.string().map((s) => `${f}=${s}`)),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 6 }), (argv) => {
        try {
          const opts = parseScanArgs(argv);
          for (const dir of [opts.procRoot, opts.netnsDir]) expect(dir === "/" || !dir.endsWith("/")).toBe(true);
          for (const t of opts.types ?? []) expect(NAMESPACE_TYPES).toContain(t);
        } catch (err) {
          if (!(err instanceof UsageError && err.exitCode === 2)) throw err;
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("engine flags", () => {
  it("takes each engine socket flag repeatedly, and --no-engines", () => {
    const o = parseScanArgs([
      "--docker-socket",
      "/a.sock",
      "--docker-socket=/b.sock",
      "--containerd-socket",
      "/c.sock",
      "--podman-socket",
      "/p.sock",
      "--crio-socket",
      "/crio.sock",
      "--no-engines",
    ]);
    expect(o.sockets).toEqual({
      docker: ["/a.sock", "/b.sock"],
      containerd: ["/c.sock"],
      podman: ["/p.sock"],
      "cri-o": ["/crio.sock"],
    });
    expect(o.engines).toBe(false);
  });

  it("refuses a socket flag without a path and --no-engines with a value", () => {
    expect(() => parseScanArgs(["--docker-socket"])).toThrow(/needs a value/);
    expect(() => parseScanArgs(["--no-engines=1"])).toThrow(/takes no value/);
  });
});
