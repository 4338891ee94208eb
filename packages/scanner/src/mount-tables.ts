import { closeSync, openSync, readFileSync } from "node:fs";
import { listNsfsMounts, mountTablesChanged, type NsfsMount } from "@nsatlas/native";
import { parseMountinfo } from "./parse/mountinfo.js";

/** The nsfs mounts of one mount namespace and the pid they were read through (mount points
 * are as that process sees them; `/proc/<via>/root` opens them). */
export interface NsfsMountsOf {
  via: number;
  mounts: NsfsMount[];
}

/** Finds the nsfs mounts (pins) of mount namespaces. A scan calls begin(), then read() once
 * per mount namespace, then end() with every mount namespace it saw. */
export interface MountTableReader {
  begin?(): void;
  /** Through the first of pids that still exists; null (with a warning pushed) when none. */
  read(mntNs: number, pids: readonly number[], procRoot: string, warnings: string[]): NsfsMountsOf | null;
  end?(seen: ReadonlySet<number>): void;
}

/** Setting that forces the mountinfo path (for kernels or sandboxes where listmount(2)
 * misbehaves, and for tests of that path): NSATLAS_MOUNT_TABLES=mountinfo. */
export const MOUNT_TABLES_ENV = "NSATLAS_MOUNT_TABLES";

/** errno names that say "this kernel (or its seccomp profile) cannot list that namespace":
 * no listmount (ENOSYS, before 6.8), no NS_GET_MNTNS_ID (ENOTTY, before 6.11), no mnt_ns_id
 * in the request (EINVAL), refused (EPERM, EACCES, EOPNOTSUPP). */
const UNSUPPORTED = new Set(["ENOSYS", "ENOTTY", "EINVAL", "EPERM", "EACCES", "EOPNOTSUPP"]);

const errCode = (err: unknown) => (err as NodeJS.ErrnoException).code;
/** The process exited since the walk: try another one in the namespace. */
const gone = (code: string | undefined) => code === "ENOENT" || code === "ESRCH";

/** Reads /proc/<pid>/mountinfo of the first pid that still exists; null (warning pushed) if none. */
export function readMountinfoText(
  pids: readonly number[],
  procRoot: string,
  mntNs: number,
  warnings: string[],
): { via: number; text: string } | null {
  for (const pid of pids) {
    try {
      return { via: pid, text: readFileSync(`${procRoot}/${pid}/mountinfo`, "utf8") };
    } catch (err) {
      if (gone(errCode(err))) continue;
      warnings.push(`mnt:${mntNs}: cannot read mountinfo of pid ${pid}: ${errCode(err) ?? err}`);
      return null;
    }
  }
  if (pids.length > 0) warnings.push(`mnt:${mntNs}: every process left before its mountinfo was read`);
  return null;
}

/** The nsfs mounts of a mountinfo text (the cheap substring test first: a host with a
 * container each has hundreds of tables of mostly other mounts). */
export function nsfsMountsOfText(text: string, mntNs: number, warnings: string[]): NsfsMount[] {
  if (!text.includes(" - nsfs ")) return [];
  const lines = text
    .split("\n")
    .filter((l) => l.includes(" - nsfs "))
    .join("\n");
  const { entries, errors } = parseMountinfo(lines);
  for (const e of errors) warnings.push(`mnt:${mntNs}: ${e.message}`);
  return entries.filter((m) => m.fsType === "nsfs").map((m) => ({ root: m.root, mountPoint: m.mountPoint }));
}

/** A filter for mount-table change signals: calls onChange only when the nsfs mounts listed
 * in the mountinfo at path changed (a pin came or went), not for the many other mounts a busy
 * host makes (container roots, tmpfs, overlay). One read of that table per signal. */
export function onNsfsMountsChange(path: string, onChange: () => void): () => void {
  const nsfsLines = () => {
    try {
      return readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l.includes(" - nsfs "))
        .join("\n");
    } catch (err) {
      return `unreadable: ${errCode(err) ?? err}`;
    }
  };
  let last = nsfsLines();
  return () => {
    const now = nsfsLines();
    if (now === last) return;
    last = now;
    onChange();
  };
}

/** The classic path: format and read every mount namespace's whole mountinfo. */
export const mountinfoReader: MountTableReader = {
  read(mntNs, pids, procRoot, warnings) {
    const got = readMountinfoText(pids, procRoot, mntNs, warnings);
    return got && { via: got.via, mounts: nsfsMountsOfText(got.text, mntNs, warnings) };
  },
};

/** listmount(2)/statmount(2) where the kernel has them (one fixed-size answer per mount, the
 * strings only for nsfs ones), mountinfo where it does not: the first refusal switches this
 * reader to mountinfo for good. */
export class ListmountReader implements MountTableReader {
  #unsupported: string | null = null;

  /** Why mountinfo is read instead, or null while listmount answers. */
  get fallbackReason(): string | null {
    return this.#unsupported;
  }

  read(mntNs: number, pids: readonly number[], procRoot: string, warnings: string[]): NsfsMountsOf | null {
    if (this.#unsupported !== null) return mountinfoReader.read(mntNs, pids, procRoot, warnings);
    for (const [i, pid] of pids.entries()) {
      try {
        return { via: pid, mounts: listNsfsMounts(`${procRoot}/${pid}/ns/mnt`) };
      } catch (err) {
        const code = errCode(err);
        // The process exited, or its ns link leads nowhere (a fixture tree): mountinfo says which.
        if (gone(code)) return mountinfoReader.read(mntNs, pids.slice(i), procRoot, warnings);
        if (code && UNSUPPORTED.has(code)) {
          this.#unsupported = code;
          return mountinfoReader.read(mntNs, pids, procRoot, warnings);
        }
        warnings.push(`mnt:${mntNs}: cannot list mounts through pid ${pid}: ${code ?? err}`);
        return null;
      }
    }
    return null;
  }
}

/** The reader a one-shot scan uses: listmount unless NSATLAS_MOUNT_TABLES=mountinfo. */
export function defaultMountTableReader(env: NodeJS.ProcessEnv = process.env): MountTableReader {
  return env[MOUNT_TABLES_ENV] === "mountinfo" ? mountinfoReader : new ListmountReader();
}

interface Cached extends NsfsMountsOf {
  /** An open /proc/<pid>/mountinfo: poll(2) on it says POLLPRI once that table changed. */
  fd: number;
}

/** Most mount tables kept open for change notification (one fd each). */
const MAX_WATCHED = 4096;

/** For a resident agent: re-reads a mount namespace's nsfs mounts only when its table
 * changed since the last read. The fd is opened before the table is read, so a change made
 * during the read is signalled, never lost. A namespace no scan saw is dropped (its fd
 * would otherwise keep the namespace alive). */
export class CachedMountTables implements MountTableReader {
  readonly #cache = new Map<number, Cached>();
  #changed = new Set<number>();
  /** Reads done (not served from the cache) since construction; for tests and benchmarks. */
  reads = 0;

  constructor(private readonly inner: MountTableReader = defaultMountTableReader()) {}

  begin(): void {
    const entries = [...this.#cache.entries()];
    this.#changed = new Set(mountTablesChanged(entries.map(([, c]) => c.fd)).map((i) => entries[i]?.[0] as number));
  }

  read(mntNs: number, pids: readonly number[], procRoot: string, warnings: string[]): NsfsMountsOf | null {
    const cached = this.#cache.get(mntNs);
    if (cached && !this.#changed.has(mntNs)) {
      // Same namespace, same mounts; a pid that has exited cannot open them any more.
      const via = pids.includes(cached.via) ? cached.via : (pids[0] ?? cached.via);
      cached.via = via;
      return { via, mounts: cached.mounts };
    }
    this.#drop(mntNs);
    let fd = -1;
    for (const pid of pids) {
      if (this.#cache.size >= MAX_WATCHED) break;
      try {
        fd = openSync(`${procRoot}/${pid}/mountinfo`, "r");
        break;
      } catch {
        // gone, or not allowed: then this table is simply read every scan
      }
    }
    const got = this.inner.read(mntNs, pids, procRoot, warnings);
    this.reads += 1;
    if (got && fd >= 0) this.#cache.set(mntNs, { ...got, fd });
    else if (fd >= 0) closeSync(fd);
    return got;
  }

  end(seen: ReadonlySet<number>): void {
    for (const mntNs of [...this.#cache.keys()]) if (!seen.has(mntNs)) this.#drop(mntNs);
  }

  /** Closes every fd; the cache is empty afterwards. */
  close(): void {
    for (const mntNs of [...this.#cache.keys()]) this.#drop(mntNs);
  }

  #drop(mntNs: number): void {
    const c = this.#cache.get(mntNs);
    if (!c) return;
    this.#cache.delete(mntNs);
    closeSync(c.fd);
  }
}
