import type { NamespaceType } from "@nsatlas/protocol";
import { NAMESPACE_TYPES } from "@nsatlas/protocol/ids";
import { parseDuration } from "./duration.js";
import * as engine from "./engine-options.js";
import { type FlagSpec, SWITCH, strictFlags, VALUE } from "./strict-args.js";
import { UsageError } from "./usage-error.js";

export interface ScanCliOptions extends engine.EngineCliOptions {
  json: boolean;
  types: NamespaceType[] | null;
  procRoot: string;
  netnsDir: string;
  netstacks: boolean;
  help: boolean;
  /** --watch: print the inventory, then each delta, as NDJSON until interrupted. */
  watch: boolean;
  intervalMs: number;
  fullEveryMs: number;
  /** --pretty: indent the --json document. */
  pretty: boolean;
  /** --no-findings: no findings summary under the table. */
  findings: boolean;
}

export const SCAN_USAGE = `usage: nsatlas-agent scan [--json] [--type TYPE[,TYPE]]... [--proc-root DIR] [--netns-dir DIR] [--no-netstacks] [--watch]
       [--pretty] [--no-findings]
       [--docker-socket PATH]... [--containerd-socket PATH]... [--podman-socket PATH]... [--crio-socket PATH]... [--no-engines]

  --json            print the inventory (schema nsatlas.inventory/v1) as one JSON document
  --pretty          with --json: indent the document
  --no-findings     no findings summary under the table (it is shown only on a terminal)
  --type TYPE       only namespaces of these types (${NAMESPACE_TYPES.join(", ")}); repeatable
  --proc-root DIR   procfs to scan (default /proc)
  --netns-dir DIR   directory of named network namespaces (default /run/netns)
  --no-netstacks    skip network stack detail (links, addresses, routes)
  --watch           print the inventory, then each change as an NDJSON delta, until interrupted
  --interval D      with --watch: how often new/exited processes are looked for (default 1s)
  --full-every D    with --watch: full rescan period (default 30s)
${engine.ENGINE_USAGE}`;

// Switches take no value: `--json=false` must not quietly mean --json.
const SCAN_FLAGS: FlagSpec = {
  json: SWITCH,
  "no-netstacks": SWITCH,
  pretty: SWITCH,
  "no-findings": SWITCH,
  watch: SWITCH,
  help: { type: "boolean", short: "h" },
  type: { type: "string", short: "t" },
  "proc-root": VALUE,
  "netns-dir": VALUE,
  interval: VALUE,
  "full-every": VALUE,
  ...engine.ENGINE_FLAGS,
};

/** Parses `scan` arguments strictly: unknown options and types are usage errors. */
export function parseScanArgs(argv: readonly string[]): ScanCliOptions {
  const opts: ScanCliOptions = {
    json: false,
    types: null,
    procRoot: "/proc",
    netnsDir: "/run/netns",
    netstacks: true,
    help: false,
    watch: false,
    intervalMs: 1_000,
    fullEveryMs: 30_000,
    pretty: false,
    findings: true,
    ...engine.defaultEngineOptions(),
  };
  for (const f of strictFlags(argv, SCAN_FLAGS)) {
    const value = f.value ?? "";
    switch (f.flag) {
      case "--json":
        opts.json = true;
        break;
      case "--no-netstacks":
        opts.netstacks = false;
        break;
      case "--pretty":
        opts.pretty = true;
        break;
      case "--no-findings":
        opts.findings = false;
        break;
      case "--watch":
        opts.watch = true;
        break;
      case "--help":
        opts.help = true;
        break;
      case "--type":
        opts.types = [...(opts.types ?? []), ...parseTypes(value)];
        break;
      case "--proc-root":
        opts.procRoot = value.replace(/\/+$/, "") || "/";
        break;
      case "--netns-dir":
        opts.netnsDir = value.replace(/\/+$/, "") || "/";
        break;
      case "--interval":
        opts.intervalMs = parseDuration(f.flag, value);
        break;
      case "--full-every":
        opts.fullEveryMs = parseDuration(f.flag, value);
        break;
      default:
        engine.readEngineFlag(f, opts);
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
