import { ACTIONS_CAPABILITY, type Inventory, PROTOCOL_VERSION } from "@nsatlas/protocol";
import { WebSocket } from "ws";
import { eventually } from "./rest-client.js";

/** A successful action-result frame for a request, as an agent sends it. */
export const succeeded = (requestId: unknown, command: string[]) => ({
  type: "action-result",
  requestId,
  status: "succeeded",
  command,
  writes: null,
  exitCode: 0,
  stdout: "",
  stderr: "",
  durationMs: 1,
  error: null,
});

/** An agent made of raw frames: hello + snapshot on connect, then whatever the test sends. */
export interface ForgedAgent {
  ws: WebSocket;
  messages: Array<Record<string, unknown>>;
  closed: Promise<number>;
  send(frame: unknown): void;
  /** Sends a delta on top of the last acked seq and waits for its ack. */
  delta(changes: unknown): Promise<void>;
}

export async function connectForgedAgent(
  serverUrl: string,
  secret: string,
  agentId: string,
  inventory: Inventory,
): Promise<ForgedAgent> {
  const ws = new WebSocket(`${serverUrl.replace("http", "ws")}/agent`, {
    headers: { Authorization: `Bearer ${secret}` },
  });
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const messages: Array<Record<string, unknown>> = [];
  ws.on("message", (m) => messages.push(JSON.parse(m.toString())));
  const send = (f: unknown) => ws.send(JSON.stringify(f));
  const acks = () => messages.filter((m) => m.type === "ack").length;
  send({
    type: "hello",
    protocol: PROTOCOL_VERSION,
    agentId,
    hostname: "forged",
    bootId: "b",
    version: "0",
    readOnly: false,
    capabilities: [ACTIONS_CAPABILITY],
  });
  send({ type: "snapshot", epoch: "e1", seq: 1, inventory });
  if (!(await eventually(() => acks() === 1))) throw new Error("snapshot not acked");
  let seq = 1;
  return {
    ws,
    messages,
    closed,
    send,
    async delta(changes) {
      const want = acks() + 1;
      send({ type: "delta", epoch: "e1", seq: seq + 1, baseSeq: seq, changes });
      seq += 1;
      if (!(await eventually(() => acks() >= want, 5_000))) throw new Error(`delta ${seq} not acked`);
    },
  };
}
