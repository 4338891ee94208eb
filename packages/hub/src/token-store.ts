import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "./database.js";
import type { TokenStorage } from "./storage.js";

export const ROLES = ["admin", "operator", "auditor", "agent"] as const;
export type Role = (typeof ROLES)[number];

export interface TokenInfo {
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

/** A token-store failure with a stable code (e.g. a duplicate name). */
export class TokenError extends Error {
  constructor(
    readonly code: "NAME_TAKEN" | "BAD_NAME" | "BAD_ROLE" | "NOT_FOUND",
    message: string,
  ) {
    super(message);
    this.name = "TokenError";
  }
}

const NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Throws TokenError for a name or role no store accepts. */
export function checkTokenInput(name: string, role: string): void {
  if (!NAME.test(name)) throw new TokenError("BAD_NAME", `token name must match ${NAME.source}`);
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new TokenError("BAD_ROLE", `role must be one of ${ROLES.join(", ")}`);
  }
}

/** SHA-256 of a token: tokens are 256-bit random secrets, so a fast hash is enough (no
 * password stretching needed) and the database never holds a usable credential. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Compares two secrets in constant time (by their digests, so lengths may differ). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** A change to the token store (the audit log records each). */
export interface TokenChange {
  kind: "create" | "rotate" | "revoke";
  name: string;
  role: Role | null;
}

/** Named bearer tokens with a role, stored hashed in SQLite. */
export class TokenStore implements TokenStorage {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    private readonly onChange: (change: TokenChange) => void = () => {},
  ) {}

  /** Creates a token and returns its secret: the only time the secret is ever shown. */
  create(name: string, role: string): string {
    const secret = this.#insert(name, role);
    this.onChange({ kind: "create", name, role: role as Role });
    return secret;
  }

  #insert(name: string, role: string): string {
    checkTokenInput(name, role);
    const secret = `nsa_${randomBytes(32).toString("base64url")}`;
    try {
      this.db
        .prepare("INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)")
        .run(name, role, hashToken(secret), this.now().toISOString());
    } catch (err) {
      if ((err as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") {
        throw new TokenError("NAME_TAKEN", `a token named ${JSON.stringify(name)} exists (revoke it first)`);
      }
      throw err;
    }
    return secret;
  }

  /** Replaces any token of that name with a new one (used for the local agent's per-start token). */
  rotate(name: string, role: Role): string {
    this.db.prepare("DELETE FROM tokens WHERE name = ?").run(name);
    this.db.prepare("DELETE FROM sessions WHERE token_name = ?").run(name);
    const secret = this.#insert(name, role);
    this.onChange({ kind: "rotate", name, role });
    return secret;
  }

  /** Creates the token unless a live one of that name exists (one SQLite writer at a time). */
  createOnce(name: string, role: Role): string | null {
    return this.isLive(name) ? null : this.create(name, role);
  }

  /** The live token with that secret, or null. */
  verify(secret: string): TokenInfo | null {
    const row = this.db
      .prepare("SELECT name, role, created_at, revoked_at FROM tokens WHERE hash = ? AND revoked_at IS NULL")
      .get(hashToken(secret)) as { name: string; role: Role; created_at: string; revoked_at: null } | undefined;
    return row ? { name: row.name, role: row.role, createdAt: row.created_at, revokedAt: row.revoked_at } : null;
  }

  /** Whether a live (unrevoked) token has this name. */
  isLive(name: string): boolean {
    return this.db.prepare("SELECT 1 FROM tokens WHERE name = ? AND revoked_at IS NULL").get(name) !== undefined;
  }

  list(): TokenInfo[] {
    const rows = this.db.prepare("SELECT name, role, created_at, revoked_at FROM tokens ORDER BY id").all() as Array<{
      name: string;
      role: Role;
      created_at: string;
      revoked_at: string | null;
    }>;
    return rows.map((r) => ({ name: r.name, role: r.role, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  /** Revokes the live token of that name; its sessions end with it. */
  revoke(name: string): void {
    const role =
      (
        this.db.prepare("SELECT role FROM tokens WHERE name = ? AND revoked_at IS NULL").get(name) as
          | { role: Role }
          | undefined
      )?.role ?? null;
    const r = this.db
      .prepare(
        "UPDATE tokens SET revoked_at = ?, name = name || '#revoked-' || id WHERE name = ? AND revoked_at IS NULL",
      )
      .run(this.now().toISOString(), name);
    if (r.changes === 0) throw new TokenError("NOT_FOUND", `no live token named ${JSON.stringify(name)}`);
    // Sessions opened with the token end with it.
    this.db.prepare("DELETE FROM sessions WHERE token_name = ?").run(name);
    this.onChange({ kind: "revoke", name, role });
  }
}
