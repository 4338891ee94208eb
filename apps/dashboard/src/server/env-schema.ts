import { isIP } from "node:net";
import { DURATION_HINT, parseDuration } from "@nsatlas/service/duration";
import { z } from "zod";

// The dashboard's environment variables, one line each: a new setting is one more line here
// (and its field in Settings, env.ts). An empty variable counts as unset. NSATLAS_NATS_*
// (natsSettingsFrom), NSATLAS_DATABASE_URL with its key files (databaseFrom, which the CLI
// reads too) and NSATLAS_CAPTURE_* (captureFrom) are checked by their own readers in env.ts.

const unsetIfEmpty = (v: unknown) => (v === "" ? undefined : v);
const text = () => z.preprocess(unsetIfEmpty, z.string().optional());

/** A duration setting ("90s", "5m", "12h", "30d", "500ms"; a bare number is seconds), in ms. */
const duration = (minMs = 1) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((v, ctx) => {
        const ms = parseDuration(v.trim());
        if (ms === null)
          ctx.addIssue({ code: "custom", message: `must be a duration, ${DURATION_HINT}; got ${JSON.stringify(v)}` });
        else if (ms < minMs)
          ctx.addIssue({
            code: "custom",
            message: minMs === 1 ? "must be more than zero" : `must be at least ${minMs} ms`,
          });
        return ms ?? 0;
      })
      .optional(),
  );

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, "must be a whole number")
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .optional(),
  );

/** "1"/"true" on, "0"/"false" off; anything else is refused (a typo must not flip a switch). */
const strictFlag = () =>
  z.preprocess(
    unsetIfEmpty,
    z
      .enum(["0", "false", "1", "true"], { message: "must be 1, true, 0 or false" })
      .transform((v) => v === "1" || v === "true")
      .optional(),
  );

const ipList = () =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(/[\s,]+/).filter(Boolean))
    .refine((list) => list.every((a) => isIP(a) !== 0), "must list IP addresses");

export const EnvSchema = z.object({
  NSATLAS_HOST: text(),
  NSATLAS_PORT: integer(0, 65535),
  NSATLAS_DATA_DIR: text(),
  NSATLAS_ADMIN_TOKEN: text(),
  NSATLAS_AGENT_TOKEN: text(),
  NSATLAS_LOCAL_AGENT: text(),
  NSATLAS_LOCAL_AGENT_ARGS: text(),
  NSATLAS_AGENT_BIN: text(),
  NSATLAS_DEV: text(),
  NSATLAS_TLS_CERT: text(),
  NSATLAS_TLS_KEY: text(),
  NSATLAS_TLS_CA: text(),
  NSATLAS_TRUSTED_PROXIES: ipList(),
  NSATLAS_READ_ONLY: strictFlag(),
  NSATLAS_PLAN_TTL: duration(),
  NSATLAS_ACTION_TIMEOUT: duration(),
  NSATLAS_AUDIT_RETENTION: duration(),
  NSATLAS_AUDIT_CHECKPOINT: duration(),
  NSATLAS_HISTORY_RETENTION: duration(),
  NSATLAS_HISTORY_MAX_ROWS: integer(1000),
  NSATLAS_LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  ),
});
export type Env = z.infer<typeof EnvSchema>;

/** One line per bad variable, each naming it: "NSATLAS_PORT: must be at most 65535". */
export function describeEnvIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${String(i.path[0] ?? "environment")}: ${i.message}`).join("; ");
}
