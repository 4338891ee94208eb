import type { WebSocket } from "ws";

/** Output a tRPC socket may have buffered before the next message (a client that stops
 * reading): beyond it the socket closes 1013 instead of growing the heap without bound. */
export const MAX_BUFFERED_OUTPUT = 8 * 1024 * 1024;
/** Try Again Later: the client may reconnect and read faster. */
export const CLOSE_TRY_AGAIN_LATER = 1013;

/** Wraps a socket's send so that one message is always accepted (a large inventory), but a
 * message offered while more than MAX_BUFFERED_OUTPUT is still queued closes the socket. */
export function boundOutput(ws: WebSocket): void {
  const send = ws.send.bind(ws);
  ws.send = ((data: Parameters<WebSocket["send"]>[0], ...rest: unknown[]) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_OUTPUT) {
      // The close frame queues behind the buffered output; a client that never reads is cut
      // by ws's own close timeout (30 s), and nothing more is queued meanwhile.
      ws.close(CLOSE_TRY_AGAIN_LATER, "output buffer full: read faster");
      return;
    }
    (send as (d: unknown, ...r: unknown[]) => void)(data, ...rest);
  }) as WebSocket["send"];
}
