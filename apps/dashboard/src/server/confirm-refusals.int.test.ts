import type { AuditEvent, PlanResponse } from "@nsatlas/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import { connectForgedAgent, succeeded } from "./testing/forged-agent.js";
import { minimalInventory } from "./testing/minimal-inventory.js";
import { eventually, restClient } from "./testing/rest-client.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

// Every refusal of a mutation is an audit row: here the refused confirms (wrong text, another
// user's plan, a replay, an expired plan), through REST against a forged agent that answers.

let server: RunningServer & { dataDir: string };
let call: ReturnType<typeof restClient>;
const HOST = "confirm-agent";

beforeAll(async () => {
  server = await startTestServer({ guard: { planTtlMs: 1_000 } });
  call = restClient(server.url);
  const agent = await connectForgedAgent(
    server.url,
    await server.tokens.create(HOST, "agent"),
    HOST,
    minimalInventory(),
  );
  // This agent answers every action at once, successfully.
  agent.ws.on("message", (m) => {
    const f = JSON.parse(m.toString());
    if (f.type !== "action") return;
    agent.send(succeeded(f.requestId, ["ip", "netns", "add", f.action.params.name]));
  });
});
afterAll(async () => {
  await server.close();
  removeDataDir(server.dataDir);
});

const plan = (name: string, token = TEST_ADMIN_TOKEN) =>
  call<PlanResponse>("POST", `/api/v1/hosts/${HOST}/actions`, token, { type: "netns.create", params: { name } });
const confirm = (planId: string, text: string, token = TEST_ADMIN_TOKEN) =>
  call("POST", `/api/v1/actions/${planId}/confirm`, token, { confirm: text });
const refusals = async (planId: string) => {
  const r = await call<{ events: AuditEvent[] }>("GET", "/api/v1/audit?limit=1000", TEST_ADMIN_TOKEN);
  return r.body.events
    .filter((e) => e.action === "action.confirm" && e.target.name === planId)
    .map((e) => `${e.actor} ${e.result} ${e.error?.split(":")[0]}`);
};

describe("refused confirms are audited", () => {
  it("wrong text, another user's plan and a replay each leave a denied row", async () => {
    const p = await plan("confirm-a");
    expect(p.status).toBe(200);
    expect((await confirm(p.body.planId, "not-it")).status).toBe(400);
    const other = await server.tokens.create("confirm-other", "operator");
    expect((await confirm(p.body.planId, p.body.confirm, other)).status).toBe(404);
    expect((await confirm(p.body.planId, p.body.confirm)).status).toBe(200);
    expect((await confirm(p.body.planId, p.body.confirm)).status).toBe(409);
    expect(await refusals(p.body.planId)).toEqual([
      "admin (env) denied CONFIRM_MISMATCH",
      "confirm-other denied NO_SUCH_PLAN",
      "admin (env) denied PLAN_USED",
    ]);
  });

  it("an expired plan leaves a denied row", async () => {
    const p = await plan("confirm-b");
    const started = Date.now();
    await eventually(() => Date.now() - started > 1_100, 3_000);
    expect((await confirm(p.body.planId, p.body.confirm)).status).toBe(409);
    expect(await refusals(p.body.planId)).toEqual(["admin (env) denied PLAN_EXPIRED"]);
  });
});
