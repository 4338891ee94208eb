import { closeSync, type Dirent, openSync, readdirSync, readSync } from "node:fs";

/** Most bytes of one /etc/netns file reported; the rest is cut (and a warning says so). */
export const ETC_FILE_CAP = 64 * 1024;

export interface EtcFiles {
  files: Record<string, string>;
  warnings: string[];
}

function readCapped(path: string): { text: string; truncated: boolean } {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(ETC_FILE_CAP + 1);
    let len = 0;
    while (len < buf.length) {
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
    }
    return { text: buf.subarray(0, Math.min(len, ETC_FILE_CAP)).toString("utf8"), truncated: len > ETC_FILE_CAP };
  } finally {
    closeSync(fd);
  }
}

/** The files `ip netns exec NAME` bind-mounts over /etc (every entry of /etc/netns/NAME, e.g.
 * resolv.conf, hosts), for the names of one stack: the first name that has a directory wins,
 * as each name would give its own view. Regular files only; each at most 64 KiB. */
export function readEtcNetns(root: string, names: readonly string[]): EtcFiles {
  const result: EtcFiles = { files: {}, warnings: [] };
  for (const name of names) {
    const dir = `${root}/${name}`;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Most stacks have no /etc/netns directory: that is the normal case, not a problem.
      if (code !== "ENOENT" && code !== "ENOTDIR") result.warnings.push(`${dir}: ${code ?? err}`);
      continue;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!e.isFile()) continue;
      try {
        const { text, truncated } = readCapped(`${dir}/${e.name}`);
        result.files[e.name] = text;
        if (truncated) result.warnings.push(`${dir}/${e.name}: larger than 64 KiB, cut to the first 64 KiB`);
      } catch (err) {
        result.warnings.push(`${dir}/${e.name}: ${(err as NodeJS.ErrnoException).code ?? err}`);
      }
    }
    return result;
  }
  return result;
}
