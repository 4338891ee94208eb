import type { TokenStorage } from "@nsatlas/hub";
import { dataPath, readSecretFile, writeSecretFile } from "./data-dir.js";

export interface AdminTokenOutcome {
  /** The secret, when this start created it (print it once) or found it in admin.token. */
  secret: string | null;
  created: boolean;
  /** "replica": a shared database already holds the first admin token (another replica made
   * it and keeps its secret in that replica's admin.token). */
  source: "env" | "file" | "created" | "replica";
}

/** Without NSATLAS_ADMIN_TOKEN, the first start creates an admin token, keeps it in
 * <data dir>/admin.token (0600) so the owner can find it again, and prints it once. With a
 * shared database (`shared`), replicas starting at once make one between them (createOnce runs
 * under a database lock) and a later replica never replaces it. */
export async function ensureAdminToken(
  tokens: TokenStorage,
  dataDir: string,
  envToken: string | null,
  shared = false,
): Promise<AdminTokenOutcome> {
  if (envToken !== null) return { secret: envToken, created: false, source: "env" };
  const file = dataPath(dataDir, "admin.token");
  const existing = readSecretFile(file);
  if (existing !== null && (await tokens.verify(existing))?.role === "admin") {
    return { secret: existing, created: false, source: "file" };
  }
  const secret = shared ? await tokens.createOnce("admin", "admin") : await tokens.rotate("admin", "admin");
  if (secret === null) return { secret: null, created: false, source: "replica" };
  writeSecretFile(file, `${secret}\n`);
  return { secret, created: true, source: "created" };
}
