import { execFile } from "node:child_process";

export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an argv and reports how it ended (never throws for a failing command). */
export type CommandRunner = (argv: readonly string[]) => Promise<CommandResult>;

/** The programs an action may run: iproute2, umount (a pin's removal), and nsenter to reach a
 * stack without a name or a pin's mount namespace — and nsenter itself only runs one of those. */
const PROGRAMS = new Set(["ip", "umount", "nsenter"]);
const UNDER_NSENTER = new Set(["ip", "umount"]);

/** The program an argv finally runs: nsenter's options are all `--x=…`, its program follows. */
function finalProgram(argv: readonly string[]): string | undefined {
  if (argv[0] !== "nsenter") return argv[0];
  return argv.slice(1).find((a) => !a.startsWith("--"));
}
const MAX_OUTPUT = 64 * 1024;

/** A refused argv (a program other than ip/nsenter): a bug or a forged plan, never run. */
export class ProgramNotAllowedError extends Error {
  readonly code = "PROGRAM_NOT_ALLOWED";
}

/** Runs argv with execFile: no shell ever sees it, so no character of a name is special. A
 * fixed PATH and the C locale make what runs, and the messages it prints, predictable. */
export function execFileRunner(timeoutMs = 20_000): CommandRunner {
  return (argv) => {
    const [program, ...args] = argv;
    const runs = finalProgram(argv);
    if (program === undefined || !PROGRAMS.has(program) || (program === "nsenter" && !UNDER_NSENTER.has(runs ?? ""))) {
      return Promise.reject(new ProgramNotAllowedError(`refusing to run ${JSON.stringify(runs ?? program)}`));
    }
    return new Promise((resolve) => {
      execFile(
        program,
        args,
        {
          shell: false,
          timeout: timeoutMs,
          maxBuffer: 1024 * 1024,
          env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C" },
        },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
          const extra = err && code === null ? `${stderr ? "\n" : ""}${err.message}` : "";
          resolve({
            exitCode: code,
            stdout: String(stdout).slice(0, MAX_OUTPUT),
            stderr: `${String(stderr)}${extra}`.slice(0, MAX_OUTPUT),
          });
        },
      );
    });
  };
}
