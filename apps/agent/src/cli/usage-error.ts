/** Bad command-line input: printed on stderr, exit code 2. */
export class UsageError extends Error {
  readonly code = "USAGE";
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
