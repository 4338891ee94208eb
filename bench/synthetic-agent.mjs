// One synthetic agent for the fleet bench: the real agent protocol (hello, snapshot, sequenced
// deltas, heartbeats, resync -> snapshot) over a real websocket, replaying an inventory
// recorded from a real scan, with churn: every second one process exits and another starts.
import { randomBytes } from "node:crypto";
import WebSocket from "ws";

const HEARTBEAT_MS = 5_000;

export class SyntheticAgent {
  /** @param {{ url: string, urls?: string[], token: string, id: string, base: object, churnEveryMs: number, onEvent: (kind: string) => void, onSent?: (kind: string, at: number) => void }} o */
  constructor(o) {
    this.o = o;
    // Several hubs (replicas): the first is dialled, the next one when it goes away.
    this.urls = o.urls ?? [o.url];
    this.hub = 0;
    this.epoch = randomBytes(8).toString("hex");
    this.seq = 0;
    this.ws = null;
    this.open = false;
    this.timers = [];
    this.host = { ...o.base.host, hostname: o.id, bootId: randomBytes(16).toString("hex") };
    // Processes that can come and go: the bench world's sleeps (never pid 1 or the agent).
    this.processes = new Map(o.base.processes.map((p) => [p.pid, p]));
    this.churnable = o.base.processes.filter((p) => p.comm === "sleep").map((p) => p.pid);
    this.template = o.base.processes.find((p) => p.comm === "sleep") ?? o.base.processes[0];
    this.nextPid = 1_000_000;
    this.stopped = false;
  }

  start() {
    const ws = new WebSocket(this.urls[this.hub % this.urls.length], {
      headers: { Authorization: `Bearer ${this.o.token}` },
      perMessageDeflate: true,
      maxPayload: 16 * 1024 * 1024,
    });
    this.ws = ws;
    ws.on("open", () => {
      this.open = true;
      this.o.onEvent("connected");
      this.send({
        type: "hello",
        protocol: 1,
        agentId: this.o.id,
        hostname: this.o.id,
        bootId: this.host.bootId,
        version: "0.1.0-synthetic",
        readOnly: true,
        capabilities: [],
        labels: { bench: "fleet" },
      });
      this.snapshot();
      // Churn and heartbeats start at a random phase, as real agents' would.
      const phase = Math.random() * this.o.churnEveryMs;
      this.timers.push(
        setTimeout(() => {
          this.timers.push(setInterval(() => this.churn(), this.o.churnEveryMs));
        }, phase),
      );
      this.timers.push(setInterval(() => this.send({ type: "heartbeat", seq: this.seq }), HEARTBEAT_MS));
    });
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === "resync") {
        this.o.onEvent("resync");
        this.snapshot();
      }
    });
    ws.on("error", () => this.o.onEvent("error"));
    ws.on("close", () => {
      this.open = false;
      for (const t of this.timers) clearInterval(t);
      this.timers = [];
      if (this.stopped) return;
      this.o.onEvent("closed");
      if (this.urls.length > 1) {
        // Like the real agent: straight to the next hub (jittered), backoff only after a round.
        this.hub += 1;
        setTimeout(() => this.start(), 50 + Math.random() * 200);
      }
    });
  }

  stop() {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.ws?.close(1000, "bench done");
  }

  send(frame) {
    if (this.open) this.ws.send(JSON.stringify(frame));
  }

  snapshot() {
    this.seq += 1;
    const inventory = {
      ...this.o.base,
      host: { ...this.host, scannedAt: new Date().toISOString() },
      processes: [...this.processes.values()].sort((a, b) => a.pid - b.pid),
    };
    this.send({ type: "snapshot", epoch: this.epoch, seq: this.seq, inventory });
    if (this.open) this.o.onSent?.("snapshot", Date.now());
  }

  /** One change: the oldest churnable process exits, a new one (new pid, new command) starts. */
  churn() {
    this.changeProcesses(1, 1);
    this.o.onEvent("delta");
    if (this.open) this.o.onSent?.("delta", Date.now());
  }

  /** One delta in which `starts` new processes start and the `exits` oldest churnable ones exit. */
  changeProcesses(starts, exits) {
    const gone = this.churnable.splice(0, exits);
    const upsert = [];
    for (let n = 0; n < starts; n++) {
      const pid = this.nextPid++;
      const started = { ...this.template, pid, startTime: pid, cmdline: ["sleep", `${pid}.${pid % 97}`] };
      this.processes.set(pid, started);
      this.churnable.push(pid);
      upsert.push(started);
    }
    for (const pid of gone) this.processes.delete(pid);
    this.delta({ processes: { upsert, ...(gone.length === 0 ? {} : { remove: gone }) } });
  }

  /** Sends changes (with the host and a fresh scan time) as the next delta. */
  delta(changes) {
    const baseSeq = this.seq;
    this.seq += 1;
    const host = { ...this.host, scannedAt: new Date().toISOString() };
    this.send({ type: "delta", epoch: this.epoch, seq: this.seq, baseSeq, changes: { ...changes, host } });
  }
}
