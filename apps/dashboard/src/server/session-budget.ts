/** Frames per second one agent session may send on average: a real agent sends a delta per
 * scan (`--interval`, 1 s by default, 250 ms at the shortest a test uses) plus a heartbeat and
 * the odd action result, far below this. A host that floods frames is slowed down at its own
 * socket, not at everyone's. Counted in frames, not handler time: on a loaded machine handler
 * time grows for everyone, and a real agent must not be throttled for that. */
export const SESSION_FRAMES_PER_SECOND = 50;
/** Frames a session may send in one burst (a reconnect: hello, snapshot, catching up). */
export const SESSION_FRAME_BURST = 100;
/** Longest single pause: a throttled session still gets a frame through now and then. */
export const SESSION_MAX_PAUSE_MS = 250;

interface Pausable {
  pause(): void;
  resume(): void;
}

/** A token bucket of frames per session; when it runs dry the socket is paused (the kernel's
 * receive window then pushes back on the agent) until a frame's worth has refilled. */
export function sessionBudget(ws: Pausable, now: () => number = () => performance.now()) {
  let tokens = SESSION_FRAME_BURST;
  let last = now();
  let timer: NodeJS.Timeout | null = null;
  return {
    /** Counts one frame of the session. */
    charge(): void {
      const t = now();
      tokens = Math.min(SESSION_FRAME_BURST, tokens + ((t - last) * SESSION_FRAMES_PER_SECOND) / 1000) - 1;
      last = t;
      // The debt is bounded: frames already buffered when the socket paused cost one pause.
      tokens = Math.max(tokens, -SESSION_FRAME_BURST);
      if (tokens >= 0 || timer !== null) return;
      ws.pause();
      timer = setTimeout(
        () => {
          timer = null;
          ws.resume();
        },
        Math.min(SESSION_MAX_PAUSE_MS, (-tokens * 1000) / SESSION_FRAMES_PER_SECOND),
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
