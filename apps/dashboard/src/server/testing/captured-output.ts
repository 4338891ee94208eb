/** Collects what the code under test writes to stdout and stderr until `restore()`. */
export function captureOutput() {
  const text = { out: "", err: "" };
  const { stdout, stderr } = process;
  const writes = [stdout.write, stderr.write] as const;
  stdout.write = ((s: unknown) => {
    text.out += String(s);
    return true;
  }) as typeof stdout.write;
  stderr.write = ((s: unknown) => {
    text.err += String(s);
    return true;
  }) as typeof stderr.write;
  return {
    text,
    restore(): void {
      [stdout.write, stderr.write] = writes;
    },
  };
}
