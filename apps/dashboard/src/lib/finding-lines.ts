import type { Finding } from "@nsatlas/protocol";
import { nameStacks } from "./stack-names";

export interface FindingLine {
  code: Finding["code"];
  /** The stacks the line is about (`net:<inode>`), the first the one it is filed under. */
  stacks: string[];
  text: string;
}

const DUPLICATE = /^(\S+?)\/\d+ is also in /;

/** Findings as lines a person reads: each names the stack it is about, and a duplicate
 * address (reported by the scanner once per stack that has it) is one line naming every
 * stack that has it. */
export function findingLines(findings: readonly Finding[], titles: ReadonlyMap<string, string>): FindingLine[] {
  const name = (id: string) => titles.get(id) ?? id;
  const lines: FindingLine[] = [];
  const byAddress = new Map<string, FindingLine>();
  for (const f of findings) {
    const address = f.code === "duplicate-address" ? DUPLICATE.exec(f.message)?.[1] : undefined;
    if (address === undefined) {
      const about = f.ns ? `${name(f.ns)}: ` : "";
      lines.push({ code: f.code, stacks: f.ns ? [f.ns] : [], text: `${about}${nameStacks(f.message, titles)}` });
      continue;
    }
    let line = byAddress.get(address);
    if (!line) {
      line = { code: f.code, stacks: [], text: "" };
      byAddress.set(address, line);
      lines.push(line);
    }
    for (const id of [f.ns, ...f.refs]) if (id && !line.stacks.includes(id)) line.stacks.push(id);
    line.text = `${address} is in ${line.stacks.length} stacks: ${line.stacks.map(name).join(", ")}`;
  }
  return lines;
}
