import { createLogger } from "@nsatlas/service/logger";
import type { Settings } from "./env.js";

/** The leveled logger every server module is given; the composition root decides where it
 * writes (a pino logger in the server, a stand-in in tests). */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** The server's pino logger: JSON lines on stderr, readable lines (pino-pretty) with
 * NSATLAS_DEV=1. Secrets are never logged: the first-start admin token is printed by main.ts
 * on stdout, once, and is no log line. */
export function serverLogger(settings: Pick<Settings, "dev" | "logLevel">): Logger {
  return createLogger({ name: "nsatlas-dashboard", level: settings.logLevel ?? "info", pretty: settings.dev });
}
