// Servers for engine tests: a fake Docker API and a socket that accepts and never answers.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestSocketDir {
  path: (name: string) => string;
  remove: () => void;
}

export function testSocketDir(): TestSocketDir {
  const dir = mkdtempSync(join(tmpdir(), "nsat-engines-"));
  return { path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Accepts connections and never writes a byte: the engine that hangs. */
export async function hangingSocket(path: string): Promise<{ close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: NetServer = createNetServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface FakeDocker {
  methods: string[];
  paths: string[];
  /** Sends one event on every open /events stream. */
  emit: (event: object) => void;
  containers: Map<string, object>;
  close: () => Promise<void>;
}

/** A Docker Engine API that serves `containers` (inspect documents) and records every request. */
export async function fakeDocker(path: string): Promise<FakeDocker> {
  const streams = new Set<ServerResponse>();
  const fake: FakeDocker = {
    methods: [],
    paths: [],
    containers: new Map(),
    emit: (event) => {
      for (const s of streams) s.write(`${JSON.stringify(event)}\n`);
    },
    close: async () => {},
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    fake.methods.push(req.method ?? "");
    fake.paths.push(req.url ?? "");
    const url = new URL(req.url ?? "/", "http://docker");
    const path = url.pathname.replace(/^\/v[0-9.]+/, "");
    const json = (code: number, body: unknown) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (path === "/events") {
      res.writeHead(200, { "content-type": "application/json" });
      res.flushHeaders();
      streams.add(res);
      res.on("close", () => streams.delete(res));
      return;
    }
    if (path === "/containers/json")
      return json(
        200,
        [...fake.containers.keys()].map((Id) => ({ Id })),
      );
    const m = /^\/containers\/([^/]+)\/json$/.exec(path);
    const c = m?.[1] ? fake.containers.get(m[1]) : undefined;
    if (c) return json(200, c);
    json(404, { message: "no such container" });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  fake.close = () =>
    new Promise((resolve) => {
      for (const s of streams) s.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** An inspect document as Docker writes it, with an environment that must never be kept. */
export function dockerInspect(id: string, name: string, pid: number, extra: { labels?: Record<string, string> } = {}) {
  return {
    Id: id,
    Name: `/${name}`,
    State: { Status: "running", Running: true, Pid: pid },
    Config: { Image: "busybox:nsat", Labels: extra.labels ?? {}, Env: ["PASSWORD=hunter2"] },
    HostConfig: { NetworkMode: "default" },
    NetworkSettings: { SandboxKey: "" },
  };
}

/** Resolves once `check` holds (engines update themselves from their event streams). */
export function eventually(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (check() ? resolve() : setTimeout(poll, 10));
    poll();
  });
}
