/** Lets the event loop run (timers, sockets) between pages of a long job. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Most milliseconds a long job (verify, export) runs before it lets the event loop run. */
export const SLICE_MS = 4;

/** Calls of `due()` say whether a slice of SLICE_MS has passed since the last yield. */
export function timeSlicer(): { due(): boolean } {
  let start = performance.now();
  return {
    due() {
      const now = performance.now();
      if (now - start < SLICE_MS) return false;
      start = now;
      return true;
    },
  };
}
