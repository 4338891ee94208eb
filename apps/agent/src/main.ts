import { UsageError } from "./cli/usage-error.js";
import { runScan } from "./scan-command.js";

const USAGE = `usage: nsatlas-agent <command> [options]

commands:
  scan    scan this host's namespaces once (nsatlas-agent scan --help)
`;

/** Entry point of the nsatlas-agent CLI; returns the process exit code. */
export function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "scan":
        return runScan(rest);
      case "-h":
      case "--help":
        process.stdout.write(USAGE);
        return 0;
      case undefined:
        throw new UsageError("missing command");
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`nsatlas-agent: ${err.message}\n${USAGE}`);
      return err.exitCode;
    }
    throw err;
  }
}
