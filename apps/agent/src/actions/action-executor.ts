import {
  type ActionFrame,
  ActionFrame as ActionFrameSchema,
  type ActionResultFrame,
  actionCommand,
  ETC_NETNS_DIR,
  firstIssue,
} from "@nsatlas/protocol";
import { refusal, requestIdOf } from "./action-refusal.js";
import type { CommandResult, CommandRunner } from "./command-runner.js";
import { deleteNetnsFile, writeNetnsFile } from "./netns-files.js";
import { checkTargets, type TargetCheckOptions } from "./target-check.js";

export interface ActionExecutorOptions extends TargetCheckOptions {
  /** Root of the per-stack /etc files (default /etc/netns; tests pass a temporary dir). */
  etcNetnsDir: string;
  run: CommandRunner;
  /** Called after anything ran, before the result is sent: rescan so the hub sees the new state first. */
  afterChange: () => unknown; // awaited when it returns a promise
  log: (msg: string) => void;
  now?: () => number;
  /** Starts capture.start actions (they answer once dumpcap runs, not when it ends). */
  captures?: { start(frame: ActionFrame, started: number): Promise<ActionResultFrame> };
}

/** Request ids remembered to refuse a replayed frame. */
const REMEMBERED = 10_000;

/** Runs confirmed actions, one at a time, after checking them again: the frame must pass the
 * same schemas (the name grammar) the hub used, its targets must still be the planned stacks,
 * and the command the agent builds itself must equal the one the plan showed. Only then does
 * it run that argv (never a shell) or write that file. */
export class ActionExecutor {
  #queue: Promise<unknown> = Promise.resolve();
  readonly #seen = new Set<string>();
  readonly #now: () => number;

  constructor(private readonly o: ActionExecutorOptions) {
    this.#now = o.now ?? Date.now;
  }

  /** Handles one raw `action` frame (not yet validated); resolves to the frame to answer with. */
  handle(raw: unknown): Promise<ActionResultFrame> {
    const next = this.#queue.then(() => this.#handle(raw));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #handle(raw: unknown): Promise<ActionResultFrame> {
    const requestId = requestIdOf(raw);
    const parsed = ActionFrameSchema.safeParse(raw);
    if (!parsed.success) return this.#refuse(requestId, "BAD_ACTION", firstIssue(parsed.error));
    const frame = parsed.data;
    if (this.#seen.has(frame.requestId))
      return this.#refuse(requestId, "DUPLICATE_REQUEST", "this request was already handled");
    this.#remember(frame.requestId);
    let built: ReturnType<typeof actionCommand>;
    try {
      built = actionCommand(frame.action, frame.targets);
      if (JSON.stringify([built.command, built.writes]) !== JSON.stringify([frame.command, frame.writes])) {
        return this.#refuse(
          requestId,
          "PLAN_MISMATCH",
          "the command in the frame is not the one its action and targets make",
        );
      }
      checkTargets(frame.action, frame.targets, this.o);
    } catch (err) {
      const code = (err as { code?: string }).code ?? "REFUSED";
      return this.#refuse(requestId, code, (err as Error).message);
    }
    return this.#execute(frame, built);
  }

  async #execute(frame: ActionFrame, built: ReturnType<typeof actionCommand>): Promise<ActionResultFrame> {
    const started = this.#now();
    if (frame.action.type === "capture.start") {
      if (!this.o.captures) return this.#refuse(frame.requestId, "NO_CAPTURE", "this agent does not capture");
      return this.o.captures.start(frame, started);
    }
    let out: CommandResult;
    let writes: string | null = null;
    let error: ActionResultFrame["error"] = null;
    try {
      if (built.command) {
        this.o.log(`action ${frame.requestId}: ${built.command.join(" ")}`);
        out = await this.o.run(built.command);
        if (out.exitCode !== 0)
          error = { code: "COMMAND_FAILED", message: out.stderr.trim() || `exit code ${out.exitCode}` };
      } else {
        writes = this.#fileAction(frame);
        this.o.log(`action ${frame.requestId}: ${frame.action.type} ${writes}`);
        out = { exitCode: null, stdout: "", stderr: "" };
      }
    } catch (err) {
      out = { exitCode: null, stdout: "", stderr: "" };
      error = { code: (err as { code?: string }).code ?? "FAILED", message: (err as Error).message };
    }
    try {
      await this.o.afterChange();
    } catch (err) {
      this.o.log(`rescan after action ${frame.requestId} failed: ${(err as Error).message}`);
    }
    return {
      type: "action-result",
      requestId: frame.requestId,
      status: error ? "failed" : "succeeded",
      command: built.command,
      writes: writes ?? (built.writes ? this.#localPath(built.writes) : null),
      exitCode: out.exitCode,
      stdout: out.stdout,
      stderr: out.stderr,
      durationMs: Math.max(0, this.#now() - started),
      error,
    };
  }

  #fileAction(frame: ActionFrame): string {
    const a = frame.action;
    if (a.type === "netns.file.write")
      return writeNetnsFile(this.o.etcNetnsDir, a.params.name, a.params.file, a.params.content);
    if (a.type === "netns.file.delete") return deleteNetnsFile(this.o.etcNetnsDir, a.params.name, a.params.file);
    throw new Error(`${a.type} runs a command, not a file action`);
  }

  /** The plan's /etc/netns/… path under this agent's --etc-netns-dir. */
  #localPath(planned: string): string {
    return `${this.o.etcNetnsDir}${planned.slice(ETC_NETNS_DIR.length)}`;
  }

  #remember(id: string): void {
    this.#seen.add(id);
    if (this.#seen.size > REMEMBERED) this.#seen.delete(this.#seen.values().next().value ?? "");
  }

  #refuse(requestId: string, code: string, message: string): ActionResultFrame {
    this.o.log(`refused action ${requestId}: ${code} ${message}`);
    return refusal(requestId, code, message);
  }
}
