import { join } from "node:path";
import { openDatabase, TokenStore } from "@nsatlas/hub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { RunningServer } from "./create-server.js";
import { RawTrpcSocket, rawHttp } from "./testing/raw-http.js";
import { restClient } from "./testing/rest-client.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

// An open websocket is only as good as its credential: the credential is re-checked on every
// call, revocation and logout close the sockets with 4401, and a credential the hub cannot
// check now is 503 + Retry-After, never a refusal an agent would take as final.

let server: RunningServer & { dataDir: string };
let n = 0;
const wsUrl = (path: string) => `${server.url.replace("http", "ws")}${path}`;
const newToken = async (role: "operator" | "agent") => {
  const name = `cred-${role}-${++n}`;
  return { name, secret: await server.tokens.create(name, role) };
};
const trpcSocket = async (headers: Record<string, string>) => {
  const s = new RawTrpcSocket(wsUrl("/api/trpc-ws"), headers);
  await s.opened;
  return s;
};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  removeDataDir(server.dataDir);
});

describe("revocation reaches open websockets", () => {
  it("revoking a token in this process closes its tRPC socket with 4401; the next call fails", async () => {
    const op = await newToken("operator");
    const s = await trpcSocket({ Authorization: `Bearer ${op.secret}` });
    expect((await s.call("query", "hosts.list"))?.result).toBeDefined();
    await server.tokens.revoke(op.name);
    const next = await s.call("query", "hosts.list");
    expect(next?.result).toBeUndefined();
    expect((await s.closed).code).toBe(4401);
  });

  it("a revocation by another process (the token CLI) closes the socket with 4401", async () => {
    const op = await newToken("operator");
    const s = await trpcSocket({ Authorization: `Bearer ${op.secret}` });
    expect((await s.call("query", "session.me"))?.result).toBeDefined();
    const db = openDatabase(join(server.dataDir, "nsatlas.db"));
    try {
      new TokenStore(db).revoke(op.name);
    } finally {
      db.close();
    }
    // Whether the call or the sweep sees it first, the call returns no data.
    const next = await s.call("query", "session.me");
    expect(next?.result).toBeUndefined();
    expect((await s.closed).code).toBe(4401);
  });

  it("logging out closes the session's tRPC socket with 4401", async () => {
    const op = await newToken("operator");
    const login = await fetch(`${server.url}/api/v1/session`, {
      method: "POST",
      body: JSON.stringify({ token: op.secret }),
    });
    expect(login.status).toBe(204);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const origin = server.url;
    const s = await trpcSocket({ Cookie: cookie, Origin: origin });
    expect((await s.call("query", "session.me"))?.result).toBeDefined();
    const out = await fetch(`${server.url}/api/v1/session`, {
      method: "DELETE",
      headers: { Cookie: cookie, Origin: origin },
    });
    expect(out.status).toBe(204);
    expect((await s.closed).code).toBe(4401);
  });

  it("revoking an agent token closes its /agent socket with 4401", async () => {
    const agent = await newToken("agent");
    const ws = new WebSocket(wsUrl("/agent"), { headers: { Authorization: `Bearer ${agent.secret}` } });
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    await new Promise((resolve) => ws.once("open", resolve));
    await server.tokens.revoke(agent.name);
    expect(await closed).toBe(4401);
  });
});

describe("a credential the hub cannot check", () => {
  const failingVerify = async (f: () => Promise<void>) => {
    const verify = server.tokens.verify;
    server.tokens.verify = () => {
      throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    };
    try {
      await f();
    } finally {
      server.tokens.verify = verify;
    }
  };
  const bearer = (secret: string) => [`Authorization: Bearer ${secret}`];
  const get = (path: string, headers: string[], upgrade = false) =>
    rawHttp(
      server.port,
      [
        `GET ${path} HTTP/1.1`,
        "Host: 127.0.0.1",
        ...headers,
        ...(upgrade
          ? [
              "Upgrade: websocket",
              "Connection: Upgrade",
              "Sec-WebSocket-Version: 13",
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            ]
          : ["Connection: close"]),
        "",
        "",
      ].join("\r\n"),
    );

  it("is 503 with Retry-After on REST, tRPC HTTP and both websocket upgrades, never 401/403", async () => {
    const agent = await newToken("agent");
    const op = await newToken("operator");
    await failingVerify(async () => {
      for (const [path, secret, upgrade] of [
        ["/api/v1/hosts", op.secret, false],
        ["/api/trpc/hosts.list", op.secret, false],
        ["/agent", agent.secret, true],
        ["/api/trpc-ws", op.secret, true],
      ] as const) {
        const r = await get(path, bearer(secret), upgrade);
        expect([path, r?.status]).toEqual([path, 503]);
        expect(Number(r?.headers["retry-after"])).toBeGreaterThan(0);
      }
    });
  });
});

describe("agent tokens", () => {
  it("a mutation attempt is 403 AGENT_TOKEN and leaves an audit row", async () => {
    const agent = await newToken("agent");
    const call = restClient(server.url);
    const r = await call<{ error: { code: string } }>("POST", "/api/v1/hosts/x/actions", agent.secret, {
      type: "netns.create",
      params: { name: "n" },
    });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("AGENT_TOKEN");
    const audit = await call<{ events: Array<{ actor: string; result: string; error: string | null }> }>(
      "GET",
      "/api/v1/audit",
      TEST_ADMIN_TOKEN,
    );
    expect(audit.body.events).toContainEqual(
      expect.objectContaining({ actor: agent.name, result: "denied", error: expect.stringMatching(/^AGENT_TOKEN/) }),
    );
  });
});
