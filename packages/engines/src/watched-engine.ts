import { existsSync, type FSWatcher, watch } from "node:fs";
import { dirname } from "node:path";
import type { ContainerEngine } from "@nsatlas/protocol";
import type { EngineContainer } from "./engine-container.js";

export type EngineState = "connecting" | "connected" | "unreachable";

export interface EngineTiming {
  /** Bound on every request (list, inspect) and on an event stream's first answer. */
  timeoutMs: number;
  /** First reconnect delay; doubles up to maxRetryMs. */
  retryMs: number;
  maxRetryMs: number;
}

export const DEFAULT_TIMING: EngineTiming = { timeoutMs: 2_000, retryMs: 500, maxRetryMs: 5_000 };

/** An engine error that says which socket and what went wrong, for warnings and findings. */
export class EngineError extends Error {
  readonly code = "engine-unreachable";
  constructor(
    readonly socket: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "EngineError";
  }
}

/** Rejects after ms with a timeout error unless `work` settles first. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/** One engine socket, watched: list on connect (and after every reconnect), then follow the
 * event stream; never asked per scan. Subclasses speak the engine's API. Nothing here throws
 * to the caller: failures become `state: "unreachable"` with the error, and a retry. */
export abstract class WatchedEngine {
  abstract readonly engine: ContainerEngine;
  #state: EngineState = "connecting";
  #error: string | null = null;
  #containers = new Map<string, EngineContainer>();
  #onChange: () => void = () => {};
  #retry: NodeJS.Timeout | null = null;
  #retryMs: number;
  #closeEvents: (() => void) | null = null;
  #dirWatch: FSWatcher | null = null;
  #stopped = true;
  #generation = 0;
  #relistTimer: NodeJS.Timeout | null = null;
  #firstAnswer: Promise<void>;
  #settleFirst: () => void = () => {};

  constructor(
    readonly socket: string,
    protected readonly timing: EngineTiming = DEFAULT_TIMING,
  ) {
    this.#retryMs = timing.retryMs;
    this.#firstAnswer = new Promise((resolve) => {
      this.#settleFirst = resolve;
    });
  }

  /** List every container the engine knows (bounded by timing.timeoutMs). */
  protected abstract listAll(): Promise<EngineContainer[]>;
  /** Follow the engine's events; call `onEnd` when the stream ends or fails. Returns a closer. */
  protected abstract subscribe(onEnd: (err: unknown) => void): Promise<() => void>;
  /** Releases clients (sockets) held by the subclass. */
  protected close(): void {}

  get state(): EngineState {
    return this.#state;
  }
  get error(): string | null {
    return this.#error;
  }
  containers(): EngineContainer[] {
    return [...this.#containers.values()];
  }
  /** Resolves once the first connection attempt has listed or failed. */
  settled(): Promise<void> {
    return this.#firstAnswer;
  }

  /** Connects and keeps connected; `watch: false` lists once and follows no events (a one-shot scan). */
  start(onChange: () => void, watchEvents = true): void {
    this.#onChange = onChange;
    this.#stopped = false;
    void this.#connect(watchEvents);
  }

  stop(): void {
    this.#stopped = true;
    this.#generation += 1;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#closeEvents?.();
    this.#closeEvents = null;
    this.#dirWatch?.close();
    this.#dirWatch = null;
    if (this.#relistTimer) clearTimeout(this.#relistTimer);
    this.#relistTimer = null;
    this.close();
    this.#settleFirst();
  }

  protected upsert(c: EngineContainer): void {
    this.#containers.set(c.id, c);
    this.#onChange();
  }

  protected remove(id: string): void {
    if (this.#containers.delete(id)) this.#onChange();
  }

  /** One relist for a burst of events (a container start is create, start, …). */
  protected relistSoon(): void {
    if (this.#relistTimer) return;
    this.#relistTimer = setTimeout(() => {
      this.#relistTimer = null;
      void this.relist();
    }, 50);
  }

  /** Lists again (after an event that a single lookup cannot describe). */
  protected async relist(): Promise<void> {
    const generation = this.#generation;
    try {
      const all = await withTimeout(this.listAll(), this.timing.timeoutMs, "list");
      if (generation !== this.#generation) return;
      this.#containers = new Map(all.map((c) => [c.id, c]));
      this.#onChange();
    } catch (err) {
      if (generation === this.#generation) this.#fail(err, true);
    }
  }

  async #connect(watchEvents: boolean): Promise<void> {
    const generation = ++this.#generation;
    try {
      // Events first, then the list: a container started in between is in one of them.
      if (watchEvents) {
        const close = await withTimeout(
          this.subscribe((err) => {
            if (generation === this.#generation) this.#fail(err ?? new Error("event stream ended"), true);
          }),
          this.timing.timeoutMs,
          "events",
        );
        if (generation !== this.#generation) return close();
        this.#closeEvents = close;
      }
      const all = await withTimeout(this.listAll(), this.timing.timeoutMs, "list");
      if (generation !== this.#generation) return;
      this.#containers = new Map(all.map((c) => [c.id, c]));
      this.#state = "connected";
      this.#error = null;
      this.#retryMs = this.timing.retryMs;
      this.#dirWatch?.close();
      this.#dirWatch = null;
      this.#onChange();
    } catch (err) {
      if (generation === this.#generation) this.#fail(err, watchEvents);
    } finally {
      this.#settleFirst();
    }
  }

  #fail(err: unknown, retry: boolean): void {
    const wasConnected = this.#state === "connected";
    this.#generation += 1;
    this.#closeEvents?.();
    this.#closeEvents = null;
    this.#state = "unreachable";
    this.#error = errorText(err);
    this.#containers.clear();
    this.close();
    this.#onChange();
    if (!retry || this.#stopped) return;
    this.#scheduleRetry(wasConnected ? this.timing.retryMs : this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, this.timing.maxRetryMs);
    this.#watchForSocket();
  }

  #scheduleRetry(ms: number): void {
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = setTimeout(() => {
      this.#retry = null;
      if (!this.#stopped) void this.#connect(true);
    }, ms);
    this.#retry.unref?.();
  }

  /** An engine started later creates its socket: inotify on the directory retries at once. */
  #watchForSocket(): void {
    if (this.#dirWatch) return;
    const dir = dirname(this.socket);
    if (!existsSync(dir)) return; // the backoff retry covers a directory made later
    try {
      this.#dirWatch = watch(dir, (_event, file) => {
        if (file && this.socket.endsWith(`/${file}`) && existsSync(this.socket)) this.#scheduleRetry(50);
      });
      this.#dirWatch.on("error", () => {
        this.#dirWatch?.close();
        this.#dirWatch = null;
      });
      this.#dirWatch.unref?.();
    } catch {
      // Not watchable (permissions, inotify limits): the backoff retry still finds the socket.
      this.#dirWatch = null;
    }
  }
}
