import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseListenAddress, parseRunArgs } from "./run-options.js";
import { UsageError } from "./usage-error.js";

const run = (...args: string[]) => parseRunArgs(args);

describe("parseRunArgs: transport security", () => {
  it("takes --hub several times, in order, and checks each", () => {
    const o = run("--hub", "ws://127.0.0.1:3001/agent", "--hub", "ws://127.0.0.1:3002/agent");
    expect(o.hubs.map((u) => u.port)).toEqual(["3001", "3002"]);
    expect(o.hub.port).toBe("3001");
    expect(() => run("--hub", "ws://127.0.0.1:3001/agent", "--hub", "ws://10.1.2.3:3000/agent")).toThrow(UsageError);
  });

  it("refuses plain ws:// to a non-loopback hub without --insecure", () => {
    expect(() => run("--hub", "ws://10.1.2.3:3000/agent")).toThrow(
      /refusing plain ws:\/\/ to non-loopback 10\.1\.2\.3/,
    );
    expect(() => run("--hub", "ws://dashboard.example:3000/agent")).toThrow(UsageError);
    expect(run("--hub", "ws://10.1.2.3:3000/agent", "--insecure").insecure).toBe(true);
  });

  it("allows ws:// to loopback and wss:// anywhere, with a CA file", () => {
    for (const hub of ["ws://127.0.0.1:3000/agent", "ws://localhost:3000/agent", "ws://[::1]:3000/agent"]) {
      expect(run("--hub", hub).hub.href).toBe(new URL(hub).href);
    }
    const o = run("--hub", "wss://dashboard.example/agent", "--ca-file", "/etc/nsatlas/ca.pem");
    expect(o.caFile).toBe("/etc/nsatlas/ca.pem");
    expect(() => run("--hub", "https://dashboard.example/agent")).toThrow(/ws:\/\/ or wss:\/\//);
  });

  it("takes repeatable labels", () => {
    expect(run("--hub", "ws://127.0.0.1:1/agent", "--label", "role=web", "--label=zone=eu-1").labels).toEqual({
      role: "web",
      zone: "eu-1",
    });
    expect(() => run("--hub", "ws://127.0.0.1:1/agent", "--label", "novalue")).toThrow(/KEY=VALUE/);
  });
});

describe("parseRunArgs: metrics", () => {
  it("needs a token file with --metrics", () => {
    expect(() => run("--hub", "ws://127.0.0.1:1/agent", "--metrics", "127.0.0.1:9464")).toThrow(
      /--metrics needs --metrics-token-file/,
    );
    const o = run("--hub", "ws://127.0.0.1:1/agent", "--metrics", "127.0.0.1:9464", "--metrics-token-file", "/t");
    expect(o.metrics).toEqual({ host: "127.0.0.1", port: 9464 });
    expect(o.metricsTokenFile).toBe("/t");
  });

  it("parses HOST:PORT and [v6]:PORT, and nothing else", () => {
    expect(parseListenAddress("--metrics", "[::1]:9464")).toEqual({ host: "::1", port: 9464 });
    expect(parseListenAddress("--metrics", "0.0.0.0:0")).toEqual({ host: "0.0.0.0", port: 0 });
    for (const bad of ["9464", "127.0.0.1", "127.0.0.1:99999", "a b:1", ":9464"]) {
      expect(() => parseListenAddress("--metrics", bad)).toThrow(UsageError);
    }
  });
});

describe("parseRunArgs on arbitrary arguments", () => {
  const FLAGS = [
    "--hub",
    "--token-file",
    "--agent-id",
    "--hostname",
    "--read-only",
    "--interval",
    "--full-every",
    "--backoff-base",
    "--label",
    "--ca-file",
    "--insecure",
    "--metrics",
    "--metrics-token-file",
    "--proc-root",
    "--netns-dir",
    "--etc-netns-dir",
    "--no-engines",
    "--docker-socket",
    "-h",
    "--help",
  ];
  it("throws nothing but a UsageError with exit code 2", () => {
    const arg = fc.oneof(
      fc.constantFrom(...FLAGS, "ws://127.0.0.1:1/agent", "wss://x/agent", "1s", "50ms", "a=b", "127.0.0.1:9464", ""),
      fc.constantFrom(...FLAGS).chain((f) => fc.string().map((s) => `${f}=${s}`)),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 8 }), (argv) => {
        try {
          const o = parseRunArgs(argv);
          expect(["ws:", "wss:"]).toContain(o.hub.protocol);
          expect(o.intervalMs).toBeGreaterThanOrEqual(100);
        } catch (err) {
          if (!(err instanceof UsageError && err.exitCode === 2)) throw err;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
