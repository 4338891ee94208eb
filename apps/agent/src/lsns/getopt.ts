// A getopt_long(3) work-alike for the lsns drop-in: `node:util` parseArgs cannot express
// lsns's grammar (an optional argument that only attaches, `-T[rel]`/`--tree[=rel]`, GNU
// abbreviations of long options such as `--js`, argument permutation), and scripts written
// against lsns use all of them.

/** Bad command-line input: the message lsns's getopt would print, and exit code 1. */
export class LsnsUsageError extends Error {
  readonly code = "LSNS_USAGE";
  readonly exitCode = 1;
  /** getopt's own errors end with "Try '… --help' for more information."; lsns's own checks do not. */
  readonly tryHelp: boolean;
  constructor(message: string, tryHelp = false) {
    super(message);
    this.name = "LsnsUsageError";
    this.tryHelp = tryHelp;
  }
}

export type ArgKind = "none" | "required" | "optional";

export interface LongOption {
  name: string;
  arg: ArgKind;
  /** The short letter it stands for, or a name of its own (e.g. "output-all"). */
  key: string;
}

export interface ParsedOption {
  key: string;
  /** The argument; undefined when none was given (also for an absent optional argument). */
  value: string | undefined;
  /** How it was spelled, for messages (`--task`, `-p`). */
  spelled: string;
}

/** Parses a short-option spec in getopt's notation: "ab:c::" (b required, c optional). */
function shortKinds(spec: string): Map<string, ArgKind> {
  const kinds = new Map<string, ArgKind>();
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i] as string;
    if (spec[i + 1] === ":" && spec[i + 2] === ":") {
      kinds.set(c, "optional");
      i += 2;
    } else if (spec[i + 1] === ":") {
      kinds.set(c, "required");
      i += 1;
    } else kinds.set(c, "none");
  }
  return kinds;
}

function findLong(name: string, longs: readonly LongOption[]): LongOption {
  const exact = longs.find((l) => l.name === name);
  if (exact) return exact;
  const prefixed = longs.filter((l) => l.name.startsWith(name));
  const first = prefixed[0];
  if (first === undefined) throw new LsnsUsageError(`unrecognized option '--${name}'`, true);
  if (prefixed.length > 1) {
    const all = prefixed.map((l) => `'--${l.name}'`).join(" ");
    throw new LsnsUsageError(`option '--${name}' is ambiguous; possibilities: ${all}`, true);
  }
  return first;
}

/** Walks argv as GNU getopt_long does (permuting operands into `operands`, `--` ends
 * options), one option at a time: an error further on is raised only when reached. */
export function* getoptLong(
  argv: readonly string[],
  spec: string,
  longs: readonly LongOption[],
  operands: string[],
): Generator<ParsedOption> {
  const kinds = shortKinds(spec);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      let long: LongOption;
      try {
        long = findLong(name, longs);
      } catch (err) {
        // getopt names the whole argument, `=value` included, when the name is unknown.
        if (err instanceof LsnsUsageError && err.message.startsWith("unrecognized"))
          throw new LsnsUsageError(`unrecognized option '${arg}'`, true);
        throw err;
      }
      const spelled = `--${long.name}`;
      if (long.arg === "none") {
        if (inline !== undefined) throw new LsnsUsageError(`option '${spelled}' doesn't allow an argument`, true);
        yield { key: long.key, value: undefined, spelled };
      } else if (long.arg === "optional") {
        yield { key: long.key, value: inline, spelled };
      } else if (inline !== undefined) {
        yield { key: long.key, value: inline, spelled };
      } else {
        const next = argv[i + 1];
        if (next === undefined) throw new LsnsUsageError(`option '${spelled}' requires an argument`, true);
        i++;
        yield { key: long.key, value: next, spelled };
      }
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") {
      operands.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j] as string;
      const kind = kinds.get(c);
      if (kind === undefined || c === ":") throw new LsnsUsageError(`invalid option -- '${c}'`, true);
      const spelled = `-${c}`;
      const rest = arg.slice(j + 1);
      if (kind === "none") {
        yield { key: c, value: undefined, spelled };
        continue;
      }
      if (rest !== "") {
        yield { key: c, value: rest, spelled };
      } else if (kind === "optional") {
        yield { key: c, value: undefined, spelled };
      } else {
        const next = argv[i + 1];
        if (next === undefined) throw new LsnsUsageError(`option requires an argument -- '${c}'`, true);
        i++;
        yield { key: c, value: next, spelled };
      }
      break;
    }
  }
}
