import { randomBytes } from "node:crypto";
import type { Db } from "./database.js";
import type { SessionStorage } from "./storage.js";
import { hashToken, type Role } from "./token-store.js";

/** Sessions last 12 hours. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface SessionInfo {
  tokenName: string;
  role: Role;
  expiresAt: number;
}

/** Browser sessions opened with a token. A session is only as alive as its token: revoking
 * the token ends every session opened with it (checked on each lookup). */
export class SessionStore implements SessionStorage {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens a session for a token's principal; returns the cookie secret. */
  open(tokenName: string, role: Role): { secret: string; expiresAt: number } {
    const secret = randomBytes(32).toString("base64url");
    const expiresAt = this.now() + SESSION_TTL_MS;
    this.db
      .prepare("INSERT INTO sessions (hash, token_name, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
      .run(hashToken(secret), tokenName, role, new Date(this.now()).toISOString(), expiresAt);
    return { secret, expiresAt };
  }

  /** The live session of a cookie secret. `tokenAlive` says whether its token still exists
   * (stored tokens are looked up; the environment's admin token lives while configured). */
  lookup(secret: string, tokenAlive: (name: string) => boolean = () => true): SessionInfo | null {
    const row = this.db
      .prepare("SELECT token_name, role, expires_at FROM sessions WHERE hash = ?")
      .get(hashToken(secret)) as { token_name: string; role: Role; expires_at: number } | undefined;
    if (!row) return null;
    if (row.expires_at <= this.now() || !tokenAlive(row.token_name)) {
      this.db.prepare("DELETE FROM sessions WHERE hash = ?").run(hashToken(secret));
      return null;
    }
    return { tokenName: row.token_name, role: row.role, expiresAt: row.expires_at };
  }

  close(secret: string): void {
    this.db.prepare("DELETE FROM sessions WHERE hash = ?").run(hashToken(secret));
  }

  /** Ends every session of a token (called when it is revoked or rotated). */
  closeAllOf(tokenName: string): void {
    this.db.prepare("DELETE FROM sessions WHERE token_name = ?").run(tokenName);
  }
}
