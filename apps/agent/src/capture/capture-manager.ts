import { statfsSync, statSync } from "node:fs";
import {
  type ActionFrame,
  type ActionResultFrame,
  type CaptureStopReason,
  captureArgv,
  captureStackPath,
  filterWithExclusions,
} from "@nsatlas/protocol";
import { refusal } from "../actions/action-refusal.js";
import { CaptureSession, type CaptureSink } from "./capture-session.js";

/** Most captures one agent runs at once (the hub's NSATLAS_CAPTURE_CONCURRENT is the real cap). */
const MAX_AGENT_CAPTURES = 16;
/** How long dumpcap gets to open its interface and write its first block. */
const START_TIMEOUT_MS = 10_000;
const NSFS_MAGIC = 0x6e736673;

/** The uplink's TCP connection as the agent sees it. */
export interface UplinkEndpoints {
  localAddress: string;
  localPort: number;
  remotePort: number;
}

export interface CaptureManagerOptions {
  sink: CaptureSink;
  /** The agent's own network namespace (its uplink runs there). */
  ownNetInode: () => number;
  uplink: () => UplinkEndpoints | null;
  log: (msg: string) => void;
}

const bare = (a: string) => a.replace(/^::ffff:/, "");

/** What a capture in the agent's own stack leaves out: the uplink connection and every
 * connection to the dashboard's port (other users' session cookies travel there). */
export function uplinkExclusion(e: UplinkEndpoints): string {
  return `tcp port ${e.remotePort} or (host ${bare(e.localAddress)} and tcp port ${e.localPort})`;
}

function inodeOf(path: string): number | null {
  try {
    return statfsSync(path).type === NSFS_MAGIC ? statSync(path).ino : null;
  } catch {
    return null; // vanished: refused below, naming the path
  }
}

/** Starts and stops the agent's captures; the action executor has already checked the frame
 * (schemas, argv equal to the plan's, targets still the planned stacks). */
export class CaptureManager {
  readonly #sessions = new Map<string, CaptureSession>();

  constructor(private readonly o: CaptureManagerOptions) {}

  get running(): number {
    return this.#sessions.size;
  }

  async start(frame: ActionFrame, started: number): Promise<ActionResultFrame> {
    const a = frame.action;
    const target = frame.targets.ns;
    if (a.type !== "capture.start" || !target) return refusal(frame.requestId, "BAD_ACTION", "not a capture");
    if (this.#sessions.size >= MAX_AGENT_CAPTURES)
      return refusal(frame.requestId, "CAPTURE_LIMIT", `this agent runs ${MAX_AGENT_CAPTURES} captures already`);
    // The stack the capture enters must be the one planned, down to its inode, and only then
    // is the uplink's own traffic left out when that stack is the agent's.
    const path = captureStackPath(target);
    const inode = path === null ? this.o.ownNetInode() : inodeOf(path);
    if (inode === null || (target.inode !== undefined && inode !== target.inode))
      return refusal(frame.requestId, "TARGET_CHANGED", `${path ?? "the initial stack"} is not the planned stack`);
    const up = this.o.uplink();
    const excluded = inode === this.o.ownNetInode() && up ? uplinkExclusion(up) : null;
    const argv = captureArgv(a.params, target, filterWithExclusions(a.params.filter, excluded));
    this.o.log(`capture ${frame.requestId}: ${argv.join(" ")}`);
    const session = new CaptureSession(frame.requestId, a.params, argv, excluded, this.o.sink, () =>
      this.#sessions.delete(frame.requestId),
    );
    this.#sessions.set(frame.requestId, session);
    const timeout = new Promise<string>((r) => setTimeout(() => r("dumpcap did not start in time"), START_TIMEOUT_MS));
    const error = await Promise.race([session.firstData, timeout]);
    if (error !== null) session.stop("failed");
    return {
      type: "action-result",
      requestId: frame.requestId,
      status: error === null ? "succeeded" : "failed",
      command: frame.command,
      writes: null,
      exitCode: null,
      stdout: excluded === null ? "" : `excluded: ${excluded}`,
      stderr: error ?? "",
      durationMs: Math.max(0, Date.now() - started),
      error: error === null ? null : { code: "CAPTURE_FAILED", message: error },
    };
  }

  stop(id: string, reason: CaptureStopReason): void {
    this.#sessions.get(id)?.stop(reason);
  }

  stopAll(reason: CaptureStopReason): void {
    for (const s of this.#sessions.values()) s.stop(reason);
  }
}
