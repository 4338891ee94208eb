/** Share of one core that the frames of one agent session may take (a token bucket of handler
 * time): a host that floods deltas is slowed down at its own socket, not at everyone's. A
 * real agent on a busy host uses a few percent; its first snapshot fits in the burst. */
export const SESSION_CPU_SHARE = 0.5;
/** Handler time a session may spend in one burst before it is paused. */
export const SESSION_BURST_MS = 1_000;
/** Longest single pause: a session deep in debt still gets a frame through now and then (its
 * action results must not wait behind its own deltas for seconds). */
export const SESSION_MAX_PAUSE_MS = 250;

interface Pausable {
  pause(): void;
  resume(): void;
  readonly readyState: number;
}

/** Charges a session for the time its frames took; when its bucket runs dry the socket is
 * paused (the kernel's receive window then pushes back on the agent) until it has refilled. */
export function sessionBudget(ws: Pausable, now: () => number = () => performance.now()) {
  let tokens = SESSION_BURST_MS;
  let last = now();
  let timer: NodeJS.Timeout | null = null;
  return {
    charge(ms: number): void {
      const t = now();
      // The debt is bounded too: one huge snapshot costs a pause, not a long penalty.
      tokens = Math.max(-SESSION_BURST_MS, Math.min(SESSION_BURST_MS, tokens + (t - last) * SESSION_CPU_SHARE) - ms);
      last = t;
      if (tokens >= 0 || timer !== null) return;
      ws.pause();
      timer = setTimeout(
        () => {
          timer = null;
          ws.resume();
        },
        Math.min(SESSION_MAX_PAUSE_MS, -tokens / SESSION_CPU_SHARE),
      );
      timer.unref();
    },
    get paused(): boolean {
      return timer !== null;
    },
    stop(): void {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
