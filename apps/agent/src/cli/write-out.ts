import { writeSync } from "node:fs";

/** Writes all of text to fd 1 even when stdout is a pipe (process.stdout may be async).
 * Returns false when the reader went away (EPIPE, as with `| head -c 100`): like other Unix
 * tools the command then stops quietly and exits 0. */
export function writeOut(text: string): boolean {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EPIPE") return false;
      // EAGAIN on a non-blocking pipe: the reader is slow; try again.
      if (code !== "EAGAIN") throw err;
    }
  }
  return true;
}
