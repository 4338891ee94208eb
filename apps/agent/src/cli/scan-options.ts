import type { NamespaceType } from "@nsatlas/protocol";
import { NAMESPACE_TYPES } from "@nsatlas/protocol/ids";
import { UsageError } from "./usage-error.js";

export interface ScanCliOptions {
  json: boolean;
  types: NamespaceType[] | null;
  procRoot: string;
  netnsDir: string;
  netstacks: boolean;
  help: boolean;
}

export const SCAN_USAGE = `usage: nsatlas-agent scan [--json] [--type TYPE[,TYPE]]... [--proc-root DIR] [--netns-dir DIR] [--no-netstacks]

  --json            print the inventory (schema nsatlas.inventory/v1) as one JSON document
  --type TYPE       only namespaces of these types (${NAMESPACE_TYPES.join(", ")}); repeatable
  --proc-root DIR   procfs to scan (default /proc)
  --netns-dir DIR   directory of named network namespaces (default /run/netns)
  --no-netstacks    skip network stack detail (links, addresses, routes)
`;

/** Parses `scan` arguments strictly: unknown options and types are usage errors. */
export function parseScanArgs(argv: readonly string[]): ScanCliOptions {
  const opts: ScanCliOptions = {
    json: false,
    types: null,
    procRoot: "/proc",
    netnsDir: "/run/netns",
    netstacks: true,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    // `--json=false` must not quietly mean --json.
    const noValue = (): void => {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
    };
    switch (flag) {
      case "--json":
        noValue();
        opts.json = true;
        break;
      case "--no-netstacks":
        noValue();
        opts.netstacks = false;
        break;
      case "-h":
      case "--help":
        noValue();
        opts.help = true;
        break;
      case "--type":
      case "-t":
        opts.types = [...(opts.types ?? []), ...parseTypes(value())];
        break;
      case "--proc-root":
        opts.procRoot = value().replace(/\/+$/, "") || "/";
        break;
      case "--netns-dir":
        opts.netnsDir = value().replace(/\/+$/, "") || "/";
        break;
      default:
        throw new UsageError(`unknown option: ${arg}`);
    }
  }
  return opts;
}

function parseTypes(list: string): NamespaceType[] {
  return list.split(",").map((t) => {
    if (!(NAMESPACE_TYPES as readonly string[]).includes(t)) {
      throw new UsageError(`unknown namespace type: ${JSON.stringify(t)} (one of ${NAMESPACE_TYPES.join(", ")})`);
    }
    return t as NamespaceType;
  });
}
