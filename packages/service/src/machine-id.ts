import { readFileSync } from "node:fs";

/** This machine's id from /etc/machine-id (machine-id(5)), or null where there is none or it
 * is empty (many container images ship without one): each caller decides the fallback. */
export function readMachineId(file = "/etc/machine-id"): string | null {
  try {
    return readFileSync(file, "utf8").trim() || null;
  } catch {
    return null;
  }
}
