import { type Awaitable, type Db, listenCredentials } from "@nsatlas/hub";
import { CloseCode } from "@nsatlas/protocol";
import type { Logger } from "./logger.js";

/** An open websocket and how to re-check the credential it was opened with. */
export interface WatchedSocket {
  /** Whether the credential still holds; throws when it cannot be checked right now. */
  alive(): Awaitable<boolean>;
  close(code: number, reason: string): void;
}

/** Where the watch learns that another process changed credentials: it calls `changed` then.
 * `active` says whether any credentialed socket is open (a poll may idle otherwise). */
export interface CredentialChanges {
  start(changed: () => void): void;
  active(on: boolean): void;
  close(): void;
}

/** How often SQLite is asked whether another process (the `nsatlas token` CLI) changed it;
 * data_version is a counter read, so this is cheap, and it runs only while a credentialed
 * socket is open. */
const POLL_MS = 20;
/** Sessions also end by expiring, which changes nothing in the database: a sweep at least this
 * often closes the sockets of expired sessions (a subscription makes no calls to fail). */
const SWEEP_AT_LEAST_EVERY_MS = 60_000;

/** Changes committed to the SQLite file by any process, seen through PRAGMA data_version. */
export function sqliteCredentialChanges(db: Db): CredentialChanges {
  let timer: NodeJS.Timeout | null = null;
  let version = 0;
  let changed = () => {};
  const dataVersion = () => db.pragma("data_version", { simple: true }) as number;
  const poll = () => {
    try {
      const v = dataVersion();
      if (v === version) return;
      version = v;
    } catch {
      return; // the database is closing: the server is draining
    }
    changed();
  };
  return {
    start(c) {
      changed = c;
    },
    active(on) {
      if (on && timer === null) {
        version = dataVersion();
        timer = setInterval(poll, POLL_MS);
        timer.unref();
      } else if (!on && timer !== null) {
        clearInterval(timer);
        timer = null;
      }
    },
    close() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
  };
}

/** Changes announced by any replica on PostgreSQL (LISTEN/NOTIFY; see PgTokenStore). */
export function pgCredentialChanges(url: string, log: Logger): CredentialChanges {
  let changed = () => {};
  const listener = listenCredentials(
    url,
    () => changed(),
    (err) => log.warn(`credential notifications: ${err.message} (reconnecting)`),
  );
  return {
    start(c) {
      changed = c;
    },
    active() {},
    close() {
      void listener.close();
    },
  };
}

/** Closes the open websockets (tRPC and /agent) whose credential was revoked or whose session
 * ended, with 4401: at once for changes made in this process (`sweep`), and as soon as
 * `changes` reports one made by another process or replica. A credential that cannot be
 * checked (database error) keeps its socket: "unknown" is not "revoked". */
export function createCredentialWatch(changes: CredentialChanges, log: Logger) {
  const sockets = new Set<WatchedSocket>();
  let sweeping: Promise<void> | null = null;
  let again = false;
  let periodic: NodeJS.Timeout | null = null;

  async function sweepOnce(): Promise<void> {
    for (const s of [...sockets]) {
      let alive: boolean;
      try {
        alive = await s.alive();
      } catch (err) {
        log.warn(`credential re-check failed, socket kept: ${(err as Error).message}`);
        continue;
      }
      if (!alive && sockets.delete(s)) s.close(CloseCode.unauthorized, "credential revoked or session ended");
    }
  }

  /** Re-checks every socket; a sweep asked for while one runs runs once more after it. */
  function sweep(): Promise<void> {
    if (sweeping) {
      again = true;
      return sweeping;
    }
    sweeping = (async () => {
      do {
        again = false;
        await sweepOnce();
      } while (again);
      sweeping = null;
    })();
    return sweeping;
  }

  changes.start(() => void sweep());
  return {
    /** Watches a socket until the returned function is called (on its close). */
    add(s: WatchedSocket): () => void {
      sockets.add(s);
      if (periodic === null) {
        changes.active(true);
        periodic = setInterval(() => void sweep(), SWEEP_AT_LEAST_EVERY_MS);
        periodic.unref();
      }
      return () => {
        sockets.delete(s);
        if (sockets.size === 0 && periodic !== null) {
          clearInterval(periodic);
          periodic = null;
          changes.active(false);
        }
      };
    },
    sweep,
    close(): void {
      if (periodic !== null) clearInterval(periodic);
      periodic = null;
      changes.close();
      sockets.clear();
    },
  };
}

export type CredentialWatch = ReturnType<typeof createCredentialWatch>;
