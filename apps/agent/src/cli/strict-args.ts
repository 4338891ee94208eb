import { parseArgs } from "node:util";
import { UsageError } from "./usage-error.js";

/** The flags a command takes, in node:util parseArgs' notation (long name without dashes). */
export type FlagSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

/** A flag that takes a value, and a switch (no value), for FlagSpec tables. */
export const VALUE = { type: "string" } as const;
export const SWITCH = { type: "boolean" } as const;

export interface Flag {
  /** The long name with its dashes (`--type`, also when given as `-t`). */
  flag: string;
  /** The value of a string flag; undefined for a boolean one. */
  value: string | undefined;
}

type Token = NonNullable<ReturnType<typeof parseArgs>["tokens"]>[number];

/** The usage error of one token, or null when it is well-formed: every argument is a known
 * flag standing alone (no `-xyz` bundles or `-tVALUE`), a switch takes no `=value`, a string
 * flag has a non-empty value. */
function problem(t: Token, argv: readonly string[], spec: FlagSpec): UsageError | null {
  const raw = argv[t.index] ?? "";
  if (t.kind !== "option") return new UsageError(`unknown option: ${raw}`);
  // Own keys only: "--valueOf" is not a flag because every object has a valueOf.
  const s = Object.hasOwn(spec, t.name) ? spec[t.name] : undefined;
  const short = !t.rawName.startsWith("--");
  if (!s || (short && raw !== t.rawName)) return new UsageError(`unknown option: ${raw}`);
  if (s.type === "boolean") return t.inlineValue ? new UsageError(`${t.rawName} takes no value`) : null;
  return t.value ? null : new UsageError(`${t.rawName} needs a value`);
}

/** `--flag VALUE` and `-f VALUE` of a string flag as `--flag=VALUE`: the value is the next
 * argument whatever it starts with (`--hostname -x`), as these CLIs have always read it, where
 * strict parseArgs would refuse a value that looks like an option. */
function joinValues(argv: readonly string[], spec: FlagSpec): string[] {
  const byName = new Map<string, string>();
  for (const [name, s] of Object.entries(spec)) {
    if (s.type !== "string") continue;
    byName.set(`--${name}`, name);
    if (s.short) byName.set(`-${s.short}`, name);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const name = byName.get(arg);
    const next = argv[i + 1];
    if (name === undefined || next === undefined || next === "") out.push(arg);
    else {
      out.push(`--${name}=${next}`);
      i++;
    }
  }
  return out;
}

/** Parses argv strictly with node:util parseArgs (`--flag value`, `--flag=value`, `-t value`;
 * no positionals) and returns the flags in the order given, so that a later flag overrides an
 * earlier one and repeatable flags keep their order. The first bad argument is a UsageError
 * (exit 2) that names it as given. */
export function strictFlags(argv: readonly string[], spec: FlagSpec): Flag[] {
  const args = joinValues(argv, spec);
  // The loose pass keeps every argument as a token, so the error names the first bad one
  // exactly as it was typed; the strict pass is the gate.
  const loose = parseArgs({ args, options: spec, strict: false, allowPositionals: true, tokens: true }).tokens;
  for (const t of loose) {
    const err = problem(t, args, spec);
    if (err) throw err;
  }
  let strict: Token[];
  try {
    strict = parseArgs({ args, options: spec, strict: true, allowPositionals: false, tokens: true }).tokens;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  return strict.flatMap((t) => (t.kind === "option" ? [{ flag: `--${t.name}`, value: t.value }] : []));
}
