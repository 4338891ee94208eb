import type { Db } from "@nsatlas/hub";
import { CloseCode } from "@nsatlas/protocol";
import type { Logger } from "./logger.js";

/** An open websocket and how to re-check the credential it was opened with. */
export interface WatchedSocket {
  /** Whether the credential still holds; throws when it cannot be checked right now. */
  alive(): boolean;
  close(code: number, reason: string): void;
}

/** How often the database is asked whether another process (the `nsatlas token` CLI) changed
 * it; SQLite's data_version is a counter read, so this is cheap, and it runs only while a
 * credentialed socket is open. */
const POLL_MS = 20;
/** Sessions also end by expiring, which changes nothing in the database: a sweep at least this
 * often closes the sockets of expired sessions (a subscription makes no calls to fail). */
const SWEEP_AT_LEAST_EVERY_MS = 60_000;

/** Closes the open websockets (tRPC and /agent) whose credential was revoked or whose session
 * ended, with 4401: at once for changes made in this process (`sweep`), within POLL_MS for
 * changes another process committed to the database. A credential that cannot be checked
 * (database error) keeps its socket: "unknown" is not "revoked". */
export function createCredentialWatch(db: Db, log: Logger) {
  const sockets = new Set<WatchedSocket>();
  let timer: NodeJS.Timeout | null = null;
  let version = 0;
  let sweptAt = 0;
  const dataVersion = () => db.pragma("data_version", { simple: true }) as number;

  function sweep(): void {
    sweptAt = Date.now();
    for (const s of sockets) {
      let alive: boolean;
      try {
        alive = s.alive();
      } catch (err) {
        log.warn(`credential re-check failed, socket kept: ${(err as Error).message}`);
        continue;
      }
      if (!alive) {
        sockets.delete(s);
        s.close(CloseCode.unauthorized, "credential revoked or session ended");
      }
    }
  }

  function poll(): void {
    try {
      const v = dataVersion();
      if (v === version && Date.now() - sweptAt < SWEEP_AT_LEAST_EVERY_MS) return;
      version = v;
    } catch {
      return; // the database is closing: the server is draining
    }
    sweep();
  }

  return {
    /** Watches a socket until the returned function is called (on its close). */
    add(s: WatchedSocket): () => void {
      sockets.add(s);
      if (timer === null) {
        version = dataVersion();
        sweptAt = Date.now();
        timer = setInterval(poll, POLL_MS);
        timer.unref();
      }
      return () => {
        sockets.delete(s);
        if (sockets.size === 0 && timer !== null) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
    sweep,
    close(): void {
      if (timer !== null) clearInterval(timer);
      timer = null;
      sockets.clear();
    },
  };
}

export type CredentialWatch = ReturnType<typeof createCredentialWatch>;
