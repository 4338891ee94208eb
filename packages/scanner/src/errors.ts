/** A /proc text that does not have the shape the kernel writes; becomes a scan warning. */
export class ProcParseError extends Error {
  readonly code = "PROC_PARSE";
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "ProcParseError";
  }
}

/** The proc root cannot be read at all: the scan cannot start. */
export class ProcRootError extends Error {
  readonly code = "PROC_ROOT_UNREADABLE";
  constructor(
    readonly procRoot: string,
    options: { cause: unknown },
  ) {
    super(`cannot read proc root ${procRoot}: ${(options.cause as Error)?.message ?? options.cause}`, options);
    this.name = "ProcRootError";
  }
}
