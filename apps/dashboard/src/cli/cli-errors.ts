/** Bad arguments: exit 2 with the usage. */
export class CliUsage extends Error {
  readonly code = "USAGE";
}

/** The database or a file the command needs cannot be read: exit 2, without the usage. */
export class CliUnreadable extends Error {
  readonly code = "UNREADABLE";
}
