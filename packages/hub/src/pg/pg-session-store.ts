import { randomBytes } from "node:crypto";
import { SESSION_TTL_MS, type SessionInfo } from "../session-store.js";
import type { SessionStorage } from "../storage.js";
import { hashToken, type Role } from "../token-store.js";
import { CREDENTIALS_CHANNEL, type PgDatabase } from "./pg-database.js";

/** Browser sessions in PostgreSQL: a cookie opened on one replica works on every other, and
 * ending a session is announced on CREDENTIALS_CHANNEL (its websockets close everywhere). */
export class PgSessionStore implements SessionStorage {
  constructor(
    private readonly db: PgDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  async open(tokenName: string, role: Role): Promise<{ secret: string; expiresAt: number }> {
    const secret = randomBytes(32).toString("base64url");
    const expiresAt = this.now() + SESSION_TTL_MS;
    await this.db.pool.query(
      "INSERT INTO sessions (hash, token_name, role, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
      [hashToken(secret), tokenName, role, new Date(this.now()).toISOString(), expiresAt],
    );
    return { secret, expiresAt };
  }

  async lookup(secret: string): Promise<SessionInfo | null> {
    const r = await this.db.pool.query<{ token_name: string; role: Role; expires_at: number }>(
      "SELECT token_name, role, expires_at FROM sessions WHERE hash = $1",
      [hashToken(secret)],
    );
    const row = r.rows[0];
    if (!row) return null;
    if (row.expires_at <= this.now()) {
      await this.close(secret);
      return null;
    }
    return { tokenName: row.token_name, role: row.role, expiresAt: row.expires_at };
  }

  async close(secret: string): Promise<void> {
    await this.db.pool.query(
      `WITH gone AS (DELETE FROM sessions WHERE hash = $1 RETURNING token_name)
       SELECT pg_notify($2, token_name) FROM gone`,
      [hashToken(secret), CREDENTIALS_CHANNEL],
    );
  }

  async closeAllOf(tokenName: string): Promise<void> {
    await this.db.pool.query("DELETE FROM sessions WHERE token_name = $1", [tokenName]);
    await this.db.pool.query("SELECT pg_notify($1, $2)", [CREDENTIALS_CHANNEL, tokenName]);
  }
}
