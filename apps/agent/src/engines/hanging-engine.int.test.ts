import { createServer, type Socket } from "node:net";
import { join } from "node:path";
import { World } from "@nsatlas/test-world";
import { afterAll, describe, expect, it } from "vitest";
import { scanJson } from "./agent-cli.js";

const world = new World();
const sockets = new Set<Socket>();
const server = createServer((s) => {
  sockets.add(s); // accepted, and never answered
  s.on("error", () => {});
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  await world.cleanup();
});

describe("an engine socket that hangs", () => {
  it("leaves the scan complete, with a warning and an engine-unreachable finding naming the socket", async () => {
    const hang = join(world.tmpDir(), "hang.sock");
    await new Promise<void>((r) => server.listen(hang, r));
    const absent = join(world.tmpDir(), "absent.sock");
    const started = performance.now();
    const inv = await scanJson([
      "--no-netstacks",
      "--docker-socket",
      hang,
      "--containerd-socket",
      hang,
      "--podman-socket",
      absent,
      "--crio-socket",
      absent,
    ]);
    process.stdout.write(`scan with hanging engines took ${Math.round(performance.now() - started)} ms\n`);
    expect(sockets.size).toBeGreaterThan(0); // the agent did connect and was kept waiting
    expect(inv.processes.some((p) => p.pid === process.pid)).toBe(true);
    const unreachable = inv.findings.filter((f) => f.code === "engine-unreachable").map((f) => f.message);
    expect(unreachable).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^docker engine at ${hang} does not answer: .*no answer`)),
        expect.stringMatching(new RegExp(`^containerd engine at ${hang} does not answer`)),
        `podman engine at ${absent} does not answer: no such socket`,
      ]),
    );
    expect(inv.warnings.filter((w) => w.includes(hang))).toHaveLength(2);
  });
});
