import { randomBytes } from "node:crypto";
import type { TokenStorage } from "../storage.js";
import { checkTokenInput, hashToken, type Role, type TokenChange, TokenError, type TokenInfo } from "../token-store.js";
import { CREDENTIALS_CHANNEL, isUniqueViolation, PG_LOCK, type PgDatabase, type PgQueryable } from "./pg-database.js";

interface TokenRow {
  name: string;
  role: Role;
  created_at: string;
  revoked_at: string | null;
}

const info = (r: TokenRow): TokenInfo => ({
  name: r.name,
  role: r.role,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** Named bearer tokens in PostgreSQL, shared by every replica. A rotate or revoke is announced
 * on CREDENTIALS_CHANNEL in its transaction, so every replica closes the token's sockets. */
export class PgTokenStore implements TokenStorage {
  constructor(
    private readonly db: PgDatabase,
    private readonly now: () => Date = () => new Date(),
    private readonly onChange: (change: TokenChange) => unknown = () => {},
  ) {}

  async #insert(q: PgQueryable, name: string, role: string): Promise<string> {
    checkTokenInput(name, role);
    const secret = `nsa_${randomBytes(32).toString("base64url")}`;
    try {
      await q.query("INSERT INTO tokens (name, role, hash, created_at) VALUES ($1, $2, $3, $4)", [
        name,
        role,
        hashToken(secret),
        this.now().toISOString(),
      ]);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new TokenError("NAME_TAKEN", `a token named ${JSON.stringify(name)} exists (revoke it first)`);
      }
      throw err;
    }
    return secret;
  }

  async create(name: string, role: string): Promise<string> {
    const secret = await this.#insert(this.db.pool, name, role);
    await this.onChange({ kind: "create", name, role: role as Role });
    return secret;
  }

  async rotate(name: string, role: Role): Promise<string> {
    const secret = await this.db.locked(PG_LOCK.firstAdmin, async (c) => {
      await c.query("DELETE FROM tokens WHERE name = $1", [name]);
      await c.query("DELETE FROM sessions WHERE token_name = $1", [name]);
      const s = await this.#insert(c, name, role);
      await c.query("SELECT pg_notify($1, $2)", [CREDENTIALS_CHANNEL, name]);
      return s;
    });
    await this.onChange({ kind: "rotate", name, role });
    return secret;
  }

  async createOnce(name: string, role: Role): Promise<string | null> {
    // Under a lock: replicas starting at once agree on one token and only its maker has the secret.
    const secret = await this.db.locked(PG_LOCK.firstAdmin, async (c) => {
      const live = await c.query("SELECT 1 FROM tokens WHERE name = $1 AND revoked_at IS NULL", [name]);
      return live.rowCount ? null : this.#insert(c, name, role);
    });
    if (secret !== null) await this.onChange({ kind: "create", name, role });
    return secret;
  }

  async verify(secret: string): Promise<TokenInfo | null> {
    const r = await this.db.pool.query<TokenRow>(
      "SELECT name, role, created_at, revoked_at FROM tokens WHERE hash = $1 AND revoked_at IS NULL",
      [hashToken(secret)],
    );
    const row = r.rows[0];
    return row ? info(row) : null;
  }

  async isLive(name: string): Promise<boolean> {
    const r = await this.db.pool.query("SELECT 1 FROM tokens WHERE name = $1 AND revoked_at IS NULL", [name]);
    return (r.rowCount ?? 0) > 0;
  }

  async list(): Promise<TokenInfo[]> {
    const r = await this.db.pool.query<TokenRow>("SELECT name, role, created_at, revoked_at FROM tokens ORDER BY id");
    return r.rows.map(info);
  }

  async revoke(name: string): Promise<void> {
    const role = await this.db.locked(PG_LOCK.firstAdmin, async (c) => {
      const r = await c.query<{ role: Role }>(
        `UPDATE tokens SET revoked_at = $1, name = name || '#revoked-' || id
           WHERE name = $2 AND revoked_at IS NULL RETURNING role`,
        [this.now().toISOString(), name],
      );
      const row = r.rows[0];
      if (!row) throw new TokenError("NOT_FOUND", `no live token named ${JSON.stringify(name)}`);
      // Sessions opened with the token end with it.
      await c.query("DELETE FROM sessions WHERE token_name = $1", [name]);
      await c.query("SELECT pg_notify($1, $2)", [CREDENTIALS_CHANNEL, name]);
      return row.role;
    });
    await this.onChange({ kind: "revoke", name, role });
  }
}
