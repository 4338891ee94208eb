import { writeSync } from "node:fs";

/** Writes all of text to fd 1 even when stdout is a pipe (process.stdout may be async).
 * A reader that went away (`| head`) ends the output quietly, as SIGPIPE ends lsns. */
export function writeOut(text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EPIPE") return;
      // EAGAIN on a non-blocking pipe: the reader is slow; try again.
      if (code !== "EAGAIN") throw err;
    }
  }
}
