import { writeSync } from "node:fs";

/** Writes all of text to fd 1 even when stdout is a pipe (process.stdout may be async). */
export function writeOut(text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off);
    } catch (err) {
      // EAGAIN on a non-blocking pipe: the reader is slow; try again.
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
    }
  }
}
