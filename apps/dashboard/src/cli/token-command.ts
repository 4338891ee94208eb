import type { TokenInfo } from "@nsatlas/hub";
import { CliUsage } from "./cli-errors.js";
import { cliOptions } from "./cli-options.js";

/** A `token …` command line, checked. */
export type TokenOp =
  | { kind: "create"; name: string; role: string }
  | { kind: "list" }
  | { kind: "revoke"; name: string };

export function parseTokenCommand(args: string[]): TokenOp {
  const [sub, ...rest] = args;
  switch (sub) {
    case "create": {
      const { values } = cliOptions(rest, ["role", "name"]);
      const required = (flag: string) => {
        const v = values.get(flag);
        if (v === undefined) throw new CliUsage(`${flag} is required`);
        return v;
      };
      return { kind: "create", name: required("--name"), role: required("--role") };
    }
    case "list":
      cliOptions(rest, []);
      return { kind: "list" };
    case "revoke": {
      const [name] = cliOptions(rest, [], 1).operands;
      if (!name) throw new CliUsage("token revoke takes exactly one NAME");
      return { kind: "revoke", name };
    }
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
