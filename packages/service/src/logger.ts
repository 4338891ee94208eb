import { createRequire } from "node:module";
import { pino } from "pino";

export type { Logger } from "pino";
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** Fields that may hold a secret: never written, whatever a caller passes. */
export const REDACTED_FIELDS = [
  "token",
  "secret",
  "password",
  "authorization",
  "cookie",
  "*.token",
  "*.secret",
  "*.password",
  "*.authorization",
  "*.cookie",
  "headers.authorization",
  "headers.cookie",
  "req.headers.authorization",
  "req.headers.cookie",
];

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve("pino-pretty");
    return true;
  } catch {
    return false;
  }
}

/** A pino logger writing JSON lines (time, level, name, msg) to stderr, or to `destination`.
 * `pretty` asks for pino-pretty's readable lines: a development aid, a devDependency, used
 * only where it is installed (production installs leave it out and keep JSON). */
export function createLogger(o: {
  name: string;
  level?: LogLevel;
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}) {
  const options = {
    name: o.name,
    level: o.level ?? "info",
    redact: { paths: REDACTED_FIELDS, censor: "[redacted]" },
  };
  if (o.destination) return pino(options, o.destination);
  if (o.pretty && prettyAvailable()) {
    return pino({
      ...options,
      transport: { target: "pino-pretty", options: { destination: 2, translateTime: "SYS:isoTime" } },
    });
  }
  return pino(options, pino.destination({ dest: 2, sync: true }));
}
