import { UsageError } from "./usage-error.js";

/** Walks argv: `--flag value` and `--flag=value` forms, with strict value checks. */
export class ArgReader {
  #i = 0;
  #inline: string | undefined;
  /** The whole current argument, as given (for error messages). */
  raw = "";
  constructor(private readonly argv: readonly string[]) {}

  /** The next flag name, or null at the end. */
  next(): string | null {
    const arg = this.argv[this.#i++];
    if (arg === undefined) return null;
    this.raw = arg;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    this.#inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    return eq > 0 ? arg.slice(0, eq) : arg;
  }

  /** The value of the current flag (inline or the next argument). */
  value(flag: string): string {
    const v = this.#inline ?? this.argv[this.#i++];
    this.#inline = undefined;
    if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
    return v;
  }

  /** Asserts that a boolean flag was not given `=value`. */
  noValue(flag: string): void {
    if (this.#inline !== undefined) throw new UsageError(`${flag} takes no value`);
  }
}
