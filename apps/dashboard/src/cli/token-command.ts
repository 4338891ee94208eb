import type { TokenInfo } from "@nsatlas/hub";
import { CliUsage } from "./cli-errors.js";

function flagValue(args: string[], name: string): string {
  const i = args.indexOf(name);
  const v = i >= 0 ? args[i + 1] : undefined;
  if (v === undefined || v.startsWith("--")) throw new CliUsage(`${name} is required`);
  return v;
}

/** A `token …` command line, checked. */
export type TokenOp =
  | { kind: "create"; name: string; role: string }
  | { kind: "list" }
  | { kind: "revoke"; name: string };

export function parseTokenCommand(args: string[]): TokenOp {
  const [sub, ...rest] = args;
  switch (sub) {
    case "create": {
      const known = new Set(["--role", "--name"]);
      for (let i = 0; i < rest.length; i += 2) {
        if (!known.has(rest[i] ?? "")) throw new CliUsage(`unknown option: ${rest[i]}`);
      }
      return { kind: "create", name: flagValue(rest, "--name"), role: flagValue(rest, "--role") };
    }
    case "list":
      if (rest.length > 0) throw new CliUsage(`unexpected argument: ${rest[0]}`);
      return { kind: "list" };
    case "revoke":
      if (rest.length !== 1 || !rest[0]) throw new CliUsage("token revoke takes exactly one NAME");
      return { kind: "revoke", name: rest[0] };
    default:
      throw new CliUsage(`unknown token command: ${sub ?? "(none)"}`);
  }
}

/** What a token command prints, from what the store answered. */
export function printTokenResult(op: TokenOp, answer: string | TokenInfo[] | undefined): number {
  if (op.kind === "create") process.stdout.write(`${answer}\n`);
  else if (op.kind === "revoke") process.stdout.write(`revoked ${op.name}\n`);
  else {
    process.stdout.write("NAME\tROLE\tCREATED\tREVOKED\n");
    for (const t of answer as TokenInfo[])
      process.stdout.write(`${t.name}\t${t.role}\t${t.createdAt}\t${t.revokedAt ?? "-"}\n`);
  }
  return 0;
}
