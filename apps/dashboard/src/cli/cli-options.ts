import { parseArgs } from "node:util";
import { CliUsage } from "./cli-errors.js";

/** The `--name value` options and the operands of a subcommand, parsed strictly by node:util
 * parseArgs: every option takes a value, an unknown option, a missing value (or one that
 * starts with `-` without `--name=`) or more operands than `operands` is a CliUsage (exit 2). */
export function cliOptions(
  args: readonly string[],
  names: readonly string[],
  operands = 0,
): { values: Map<string, string>; operands: string[] } {
  const options = Object.fromEntries(names.map((n) => [n, { type: "string" as const }]));
  // `--name VALUE` as `--name=VALUE`, so that a value may start with one dash (a token named
  // "-2.3"), where strict parseArgs would take it for an option; one starting with `--` is not
  // a value, as these commands have always read it.
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (names.includes(arg.slice(2)) && arg.startsWith("--") && next !== undefined && !next.startsWith("--")) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: joined, options, strict: true, allowPositionals: true });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : String(err);
    const option = /'(-[^' ]*)/.exec(message)?.[1] ?? "an option";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new CliUsage(`unknown option: ${option}`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw new CliUsage(`${option} needs a value`);
    throw new CliUsage(message);
  }
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value !== "string") continue;
    if (value === "") throw new CliUsage(`--${name} needs a value`);
    values.set(`--${name}`, value);
  }
  if (parsed.positionals.length > operands) throw new CliUsage(`unexpected argument: ${parsed.positionals[operands]}`);
  return { values, operands: parsed.positionals };
}
