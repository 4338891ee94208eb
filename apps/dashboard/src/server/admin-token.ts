import type { TokenStore } from "@nsatlas/hub";
import { dataPath, readSecretFile, writeSecretFile } from "./data-dir.js";

export interface AdminTokenOutcome {
  /** The secret, when this start created it (print it once) or found it in admin.token. */
  secret: string | null;
  created: boolean;
  source: "env" | "file" | "created";
}

/** Without NSATLAS_ADMIN_TOKEN, the first start creates an admin token, keeps it in
 * <data dir>/admin.token (0600) so the owner can find it again, and prints it once. */
export function ensureAdminToken(tokens: TokenStore, dataDir: string, envToken: string | null): AdminTokenOutcome {
  if (envToken !== null) return { secret: envToken, created: false, source: "env" };
  const file = dataPath(dataDir, "admin.token");
  const existing = readSecretFile(file);
  if (existing !== null && tokens.verify(existing)?.role === "admin") {
    return { secret: existing, created: false, source: "file" };
  }
  const secret = tokens.rotate("admin", "admin");
  writeSecretFile(file, `${secret}\n`);
  return { secret, created: true, source: "created" };
}
