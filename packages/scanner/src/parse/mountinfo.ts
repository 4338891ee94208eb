import { ProcParseError } from "../errors.js";

export interface MountEntry {
  mountId: number;
  /** Root of the mount within its filesystem; for nsfs the namespace, e.g. `net:[4026532177]`. */
  root: string;
  mountPoint: string;
  fsType: string;
}

/** Undoes the octal escapes (\040 for space, \011, \012, \134) that mountinfo uses in paths. */
function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** Parses one line of /proc/<pid>/mountinfo (proc(5)): optional fields end at " - ". */
export function parseMountinfoLine(line: string): MountEntry {
  const sep = line.indexOf(" - ");
  if (sep < 0)
    throw new ProcParseError("mountinfo", `malformed line (no ' - ' separator): ${JSON.stringify(line.slice(0, 80))}`);
  const head = line.slice(0, sep).split(" ");
  const tail = line.slice(sep + 3).split(" ");
  const mountId = Number(head[0]);
  const root = head[3];
  const mountPoint = head[4];
  const fsType = tail[0];
  if (!Number.isInteger(mountId) || root === undefined || mountPoint === undefined || !fsType) {
    throw new ProcParseError("mountinfo", `malformed line ${JSON.stringify(line.slice(0, 80))}`);
  }
  return { mountId, root: unescapeOctal(root), mountPoint: unescapeOctal(mountPoint), fsType };
}

/** Parses a whole mountinfo file; malformed lines become errors next to the good entries. */
export function parseMountinfo(text: string): { entries: MountEntry[]; errors: ProcParseError[] } {
  const entries: MountEntry[] = [];
  const errors: ProcParseError[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    try {
      entries.push(parseMountinfoLine(line));
    } catch (err) {
      if (!(err instanceof ProcParseError)) throw err;
      errors.push(err);
    }
  }
  return { entries, errors };
}
