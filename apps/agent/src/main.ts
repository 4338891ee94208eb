import { UsageError } from "./cli/usage-error.js";
import { runScan } from "./scan-command.js";

const USAGE = `usage: nsatlas-agent <command> [options]

commands:
  scan    scan this host's namespaces once (nsatlas-agent scan --help)
  run     stream this host's namespaces to a dashboard (nsatlas-agent run --help)
  lsns    list namespaces as util-linux lsns does, completely (nsatlas-agent lsns --help)
`;

/** Entry point of the nsatlas-agent CLI; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "scan":
        return await runScan(rest);
      case "lsns":
        return (await import("./lsns/lsns-command.js")).runLsns(rest, {
          isTTY: process.stdout.isTTY === true,
          columns: process.stdout.columns,
          envColumns: process.env.COLUMNS,
          locale: process.env.LC_ALL || process.env.LC_CTYPE || process.env.LANG,
        });
      case "run":
        // Loaded on demand: `run` brings zod, ws and the full scanner, which `scan` (above
        // all `scan --no-netstacks`) must not pay for at start-up.
        return await (await import("./run-command.js")).runAgent(rest);
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
