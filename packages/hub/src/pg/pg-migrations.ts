/** The PostgreSQL schema, one migration per entry, applied in order (see openPgDatabase). The
 * tables mirror the SQLite ones; ms timestamps are BIGINT (read back as numbers by the stores). */
export const PG_MIGRATIONS: readonly string[] = [
  `CREATE TABLE tokens (
     id BIGSERIAL PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'auditor', 'agent')),
     hash TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL,
     revoked_at TEXT
   );
   CREATE TABLE sessions (
     hash TEXT PRIMARY KEY,
     token_name TEXT NOT NULL,
     role TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at BIGINT NOT NULL
   );
   CREATE INDEX sessions_by_token ON sessions (token_name);`,
  // The hash-chained audit log: appends are serialised by an advisory lock (see PgAuditLog);
  // rows are never updated, and deleted only as a retention prefix through the prune gate.
  `CREATE TABLE audit (
     seq BIGINT PRIMARY KEY,
     ts TEXT NOT NULL,
     actor TEXT NOT NULL,
     role TEXT,
     source_ip TEXT,
     request_id TEXT,
     action TEXT NOT NULL,
     target_host TEXT,
     target_ns TEXT,
     target_name TEXT,
     params TEXT NOT NULL,
     plan_hash TEXT,
     result TEXT NOT NULL,
     error TEXT,
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL,
     digest TEXT NOT NULL
   );
   CREATE INDEX audit_by_host ON audit (target_host, ts);
   CREATE INDEX audit_by_request ON audit (request_id);
   CREATE TABLE audit_prune_gate (through BIGINT NOT NULL);
   CREATE TABLE audit_checkpoints (
     id BIGSERIAL PRIMARY KEY,
     key_id TEXT NOT NULL,
     seq BIGINT NOT NULL,
     ts TEXT NOT NULL,
     digest TEXT NOT NULL,
     signature TEXT NOT NULL,
     reason TEXT NOT NULL
   );
   CREATE INDEX audit_checkpoints_by_seq ON audit_checkpoints (seq);
   CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit'
        AND OLD.seq <= (SELECT COALESCE(MAX(through), 0) FROM audit_prune_gate) THEN
       RETURN OLD;
     END IF;
     RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME;
   END $$;
   CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
     FOR EACH ROW EXECUTE FUNCTION audit_append_only();
   CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON audit_checkpoints
     FOR EACH ROW EXECUTE FUNCTION audit_append_only();`,
  `CREATE TABLE history (
     id BIGSERIAL PRIMARY KEY,
     host_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     key TEXT NOT NULL,
     ns TEXT,
     data TEXT NOT NULL,
     appeared_at BIGINT NOT NULL,
     disappeared_at BIGINT
   );
   CREATE INDEX history_open ON history (host_id, disappeared_at);
   CREATE INDEX history_appeared ON history (host_id, appeared_at);
   CREATE INDEX history_disappeared ON history (host_id, disappeared_at, appeared_at);`,
  // Plans are shared: planned on one replica, confirmed on another. The plan is JSON; used is
  // flipped once, by a conditional UPDATE, so a plan is consumed by one replica only.
  `CREATE TABLE plans (
     id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     plan TEXT NOT NULL,
     expires_at BIGINT NOT NULL,
     used BOOLEAN NOT NULL DEFAULT false
   );
   CREATE INDEX plans_by_owner ON plans (owner, expires_at);`,
];
