import { readFileSync } from "node:fs";

function readTrimmed(path: string): string | null {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    // Missing in fixture trees and on kernels built without these sysctls: reported as "".
    return null;
  }
}

/** Identity of the host as the proc root shows it: hostname (of our uts namespace), boot id
 * (changes every boot, so pids and start times are comparable only within it), kernel. */
export function readHostIdentity(procRoot: string): { hostname: string; bootId: string; kernel: string } {
  return {
    hostname: readTrimmed(`${procRoot}/sys/kernel/hostname`) ?? "",
    bootId: readTrimmed(`${procRoot}/sys/kernel/random/boot_id`) ?? "",
    kernel: readTrimmed(`${procRoot}/sys/kernel/osrelease`) ?? "",
  };
}
