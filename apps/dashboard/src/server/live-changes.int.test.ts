import type { Inventory } from "@nsatlas/protocol";
import { applyChanges } from "@nsatlas/protocol/change-codec";
import { World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import { RawTrpcSocket } from "./testing/raw-http.js";
import { startRealAgent } from "./testing/real-agent.js";
import { eventually } from "./testing/rest-client.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";
import type { LiveEvent } from "./trpc/routers/live.js";

// A real agent streams this host; a "tab" (a raw tRPC websocket, permessage-deflate on as
// browsers offer it) follows it on live.events and keeps the inventory as the browser does:
// fetched once, then changed by the events it gets.
const world = new World();
let server: RunningServer & { dataDir: string };
const AGENT_ID = `${world.prefix}-live`;

interface Received {
  id: string | null;
  event: LiveEvent;
}

class LiveTab {
  readonly socket = new RawTrpcSocket(`${server.url.replace("http", "ws")}/api/trpc-ws`, {
    Authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
  });
  readonly received: Received[] = [];

  constructor(input: { hostIds: string[]; lastEventId?: string }) {
    this.socket.ws.on("message", (data) => {
      const text = data.toString();
      if (text === "PING" || text === "PONG") return;
      const m = JSON.parse(text) as { id?: number; result?: { type?: string; id?: string; data?: unknown } };
      if (m.id !== 7 || m.result?.type !== "data") return;
      const id = m.result.id ?? null;
      const event = (id === null ? m.result.data : (m.result.data as { data: unknown }).data) as LiveEvent;
      this.received.push({ id, event });
    });
    void this.socket.opened.then(() =>
      this.socket.ws.send(JSON.stringify({ id: 7, method: "subscription", params: { path: "live.events", input } })),
    );
  }

  kinds(): string[] {
    return this.received.map((r) => r.event.kind);
  }

  close(): Promise<unknown> {
    this.socket.ws.close();
    return this.socket.closed;
  }
}

/** What the browser fetches first: the inventory and the position it is at. */
async function fetchView(): Promise<{ inventory: Inventory; epoch: string; seq: number } | null> {
  const s = new RawTrpcSocket(`${server.url.replace("http", "ws")}/api/trpc-ws`, {
    Authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
  });
  await s.opened;
  const answer = await s.call("query", "hosts.inventory", { id: AGENT_ID });
  s.ws.close();
  const data = (answer?.result as { data?: { inventory: Inventory | null; epoch: string | null; seq: number } })?.data;
  return data?.inventory && data.epoch ? { inventory: data.inventory, epoch: data.epoch, seq: data.seq } : null;
}

/** The inventory after the tab applied the changes it received (the browser's view). */
function applyReceived(start: Inventory, received: readonly Received[]): Inventory {
  let inv = start;
  for (const { event } of received) {
    if (event.kind === "changes") inv = applyChanges(inv, event.changes);
    if (event.kind === "snapshot") inv = event.inventory;
  }
  return inv;
}

const named = (inv: Inventory, name: string) => inv.namespaces.some((n) => n.names.includes(name));

/** The hub's inventory of the host has the named stack (within a generous timeout). */
const hubHas = (name: string) =>
  eventually(async () => {
    const now = await fetchView();
    return !!now && named(now.inventory, name);
  }, 15_000);

beforeAll(async () => {
  server = await startTestServer();
  startRealAgent(server, world, AGENT_ID, ["--interval", "200ms", "--backoff-base", "100ms"]);
  expect(await eventually(async () => (await fetchView()) !== null, 20_000)).toBe(true);
});
afterAll(async () => {
  await world.cleanup();
  await server.close();
  removeDataDir(server.dataDir);
});

describe("live.events for a shown host", () => {
  let lastId = "";
  let view: Inventory;

  it("delivers an ip netns add as a change on top of the fetched inventory, not a snapshot", async () => {
    const start = (await fetchView()) as NonNullable<Awaited<ReturnType<typeof fetchView>>>;
    const tab = new LiveTab({ hostIds: [AGENT_ID], lastEventId: `${AGENT_ID}/${start.epoch}/${start.seq}` });
    await tab.socket.opened;
    const { name } = world.netnsAdd("tab");
    expect(await eventually(() => named(applyReceived(start.inventory, tab.received), name), 15_000)).toBe(true);
    expect(tab.kinds()).not.toContain("snapshot");
    const changes = tab.received.filter((r) => r.event.kind === "changes");
    expect(changes.length).toBeGreaterThan(0);
    // Each change names where it applies: the first on the fetched position, then in a chain.
    let seq = start.seq;
    for (const { id, event } of changes) {
      if (event.kind !== "changes") continue;
      expect([event.epoch, event.baseSeq]).toEqual([start.epoch, seq]);
      expect(id).toBe(`${AGENT_ID}/${start.epoch}/${event.seq}`);
      seq = event.seq;
    }
    lastId = tab.received.at(-1)?.id ?? "";
    view = applyReceived(start.inventory, tab.received);
    await tab.close();
  });

  it("resumes from lastEventId after a reconnect with the changes it missed meanwhile", async () => {
    expect(lastId).toMatch(new RegExp(`^${AGENT_ID}/`));
    const { name } = world.netnsAdd("away");
    // The hub has it before the tab comes back: the tab missed it.
    expect(await hubHas(name)).toBe(true);
    const tab = new LiveTab({ hostIds: [AGENT_ID], lastEventId: lastId });
    expect(await eventually(() => named(applyReceived(view, tab.received), name), 15_000)).toBe(true);
    expect(tab.kinds()).not.toContain("snapshot");
    const first = tab.received.find((r) => r.event.kind === "changes")?.event;
    expect(first?.kind === "changes" && first.baseSeq).toBe(Number(lastId.split("/").at(-1)));
    await tab.close();
  });

  it.each([
    ["an unknown epoch", (epoch: string) => `${AGENT_ID}/not-${epoch}/1`],
    ["a position older than the hub keeps (before its snapshot)", (epoch: string) => `${AGENT_ID}/${epoch}/0`],
    ["a position the hub never had", (epoch: string) => `${AGENT_ID}/${epoch}/999999999`],
  ])("sends a snapshot for %s", async (_what, idFor) => {
    const now = (await fetchView()) as NonNullable<Awaited<ReturnType<typeof fetchView>>>;
    const tab = new LiveTab({ hostIds: [AGENT_ID], lastEventId: idFor(now.epoch) });
    expect(await eventually(() => tab.received.length > 0, 15_000)).toBe(true);
    const first = tab.received[0] as Received;
    expect(first.event.kind).toBe("snapshot");
    if (first.event.kind !== "snapshot") return;
    expect(first.id).toBe(`${AGENT_ID}/${first.event.epoch}/${first.event.seq}`);
    expect(first.event.inventory.processes.length).toBeGreaterThan(0);
    await tab.close();
  });

  it("gives a tab that shows no host summaries only, never an inventory", async () => {
    const tab = new LiveTab({ hostIds: [] });
    await tab.socket.opened;
    const { name } = world.netnsAdd("list");
    expect(await hubHas(name)).toBe(true);
    expect(await eventually(() => tab.received.some((r) => r.event.kind === "summary"), 15_000)).toBe(true);
    expect(new Set(tab.kinds())).toEqual(new Set(["summary"]));
    await tab.close();
  });
});
