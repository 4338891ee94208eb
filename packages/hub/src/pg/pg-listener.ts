import pg from "pg";
import { CREDENTIALS_CHANNEL } from "./pg-database.js";

export interface PgListener {
  close(): Promise<void>;
}

const RETRY_MS = [250, 500, 1_000, 2_000, 5_000];

/** LISTENs on CREDENTIALS_CHANNEL on a connection of its own and calls `onChange` for each
 * notification (a token revoked or rotated, a session ended, on any replica). The connection
 * is reopened after it drops (a PostgreSQL restart); `onChange` is also called then, since
 * notifications sent while it was down are lost and a sweep re-checks every socket. */
export function listenCredentials(url: string, onChange: () => void, onError: (err: Error) => void): PgListener {
  let client: pg.Client | null = null;
  let closed = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;

  const retry = () => {
    if (closed || timer !== null) return;
    const ms = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] ?? 5_000;
    attempt += 1;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, ms);
    timer.unref();
  };

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    client = c;
    c.on("error", (err) => {
      onError(err);
      c.end().catch(() => {});
      if (client === c) client = null;
      retry();
    });
    c.on("notification", () => onChange());
    try {
      await c.connect();
      await c.query(`LISTEN ${CREDENTIALS_CHANNEL}`);
      if (closed) {
        await c.end();
        return;
      }
      if (attempt > 0) onChange();
      attempt = 0;
    } catch (err) {
      onError(err as Error);
      c.end().catch(() => {});
      if (client === c) client = null;
      retry();
    }
  }

  void connect();
  return {
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      await client?.end().catch(() => {});
    },
  };
}
