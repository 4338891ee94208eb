/** Splits /proc/<pid>/cmdline (NUL-separated argv, usually NUL-terminated) into argv.
 * Kernel threads have an empty cmdline; a process that rewrote its argv may lack the final NUL. */
export function parseCmdline(text: string): string[] {
  if (text === "") return [];
  const parts = text.split("\0");
  if (parts.at(-1) === "") parts.pop();
  return parts;
}
