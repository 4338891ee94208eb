import { readFileSync, readlinkSync } from "node:fs";
import {
  describeNamespace,
  describeSocketNamespace,
  FD_SOCKET,
  type RawProcess,
  readNetstacks,
  readNetstacksAsync,
  type WalkOptions,
  walkProcesses,
  walkProcessesAsync,
} from "@nsatlas/native";
import type { Finding, Inventory, Process } from "@nsatlas/protocol";
import { INVENTORY_SCHEMA, namespaceId } from "@nsatlas/protocol/ids";
import { ProcRootError } from "./errors.js";
import { forgetVanished } from "./forget-vanished.js";
import { fromBindMounts } from "./from-bind-mounts.js";
import { fromFds } from "./from-fds.js";
import { type DescribeNamespace, fromNetnsDir, recheckNetnsDir } from "./from-netns-dir.js";
import { fromProc } from "./from-proc.js";
import { fromTasks } from "./from-tasks.js";
import { resolveHierarchy } from "./hierarchy.js";
import { readHostIdentity } from "./host-info.js";
import { findInitialNamespaces } from "./initial.js";
import type { MountTableReader } from "./mount-tables.js";
import { NamespaceTable } from "./namespace-table.js";
import { runSteps, runStepsAsync, type ScanSteps, walkStep } from "./native-steps.js";
import type { collectNetstackSteps, ReadNetstacks } from "./netstack/collect.js";
import { leakedStacks, notPrivileged, sortFindings, unreadableProcesses } from "./netstack/findings.js";
import { checkNetnsNames } from "./netstack/netns-names.js";
import { parseNsLink } from "./parse/ns-link.js";
import { parsePasswd } from "./parse/passwd.js";
import { describeUnreadable } from "./unreadable.js";
import { zombieHolders } from "./zombie-holders.js";

export interface ScanOptions {
  procRoot: string;
  netnsDir: string;
  /** Effective uid of the scanning process (only root sees every process's links). */
  euid: number;
  passwdPath?: string;
  now?: () => Date;
  /** Injected for fixture trees, where nothing is a real nsfs file. */
  describe?: DescribeNamespace;
  walk?: (procRoot: string, options: WalkOptions) => RawProcess[];
  /** Processes of a previous scan whose argv and container hint are still current (a resident
   * agent passes its last inventory minus the pids that exec'd since): the walk then skips their
   * cmdline and cgroup, a third of its procfs reads. Matched by pid and start time. */
  reuse?: readonly Process[];
  threads?: number;
  /** Our pid; socket stacks are resolved only when procRoot/self is us (pidfd_open(2) takes
   * pids of our own pid namespace, which a foreign proc root does not show). */
  ownPid?: number;
  /** Read each network stack's links, addresses, routes, sockets and /etc/netns files
   * (default true); false leaves `netstacks` out and costs nothing. */
  netstacks?: boolean;
  /** Where `ip netns exec` finds per-stack /etc files (default /etc/netns). */
  etcNetnsDir?: string;
  /** Injected for fixture trees, where no stack can be entered. */
  readNetstacks?: ReadNetstacks;
  /** How pins in other mount namespaces are found (default: listmount(2) where the kernel
   * has it, else mountinfo; NSATLAS_MOUNT_TABLES=mountinfo forces mountinfo). A resident
   * agent passes a CachedMountTables, which re-reads a table only when it changed. */
  mountTables?: MountTableReader;
}

function readUsers(path: string): Map<number, string> {
  try {
    return parsePasswd(readFileSync(path, "utf8"));
  } catch {
    // No passwd file (a minimal container): users stay nameless, uids are still reported.
    return new Map();
  }
}

function linkInode(path: string): number | undefined {
  try {
    return parseNsLink(readlinkSync(path))?.inode;
  } catch {
    return undefined; // unreadable or absent; the caller falls back
  }
}

/** Sorted [pid, start time] pairs, as the native walk looks them up. */
function reuseList(processes: readonly Process[]): Float64Array {
  const sorted = [...processes].sort((a, b) => a.pid - b.pid);
  const pairs = new Float64Array(sorted.length * 2);
  sorted.forEach((p, i) => {
    pairs[2 * i] = p.pid;
    pairs[2 * i + 1] = p.startTime;
  });
  return pairs;
}

function isOwnProcRoot(procRoot: string, ownPid: number | undefined): boolean {
  try {
    return ownPid !== undefined && readlinkSync(`${procRoot}/self`) === String(ownPid);
  } catch {
    return false; // a fixture tree or a proc root without `self`
  }
}

function countSockets(r: RawProcess): number {
  let n = 0;
  for (let i = 1; i < r.fds.length; i += 4) if (r.fds[i] === FD_SOCKET) n++;
  return n;
}

/** One scan of the namespaces visible through procRoot and netnsDir; stack detail through
 * `collect`, which callers pass in so that a scan without it never loads that code. Blocks
 * the calling thread for the whole scan. */
export function scanCore(options: ScanOptions, collect: typeof collectNetstackSteps | null): Inventory {
  return runSteps(scanSteps(options, collect), {
    walk: options.walk ?? walkProcesses,
    netstacks: options.readNetstacks ?? readNetstacks,
  });
}

/** scanCore() with the /proc walk and the stack reads done as async work, off the JS thread. */
export function scanCoreAsync(options: ScanOptions, collect: typeof collectNetstackSteps | null): Promise<Inventory> {
  return runStepsAsync(scanSteps(options, collect), {
    walk: options.walk ?? walkProcessesAsync,
    netstacks: options.readNetstacks ?? readNetstacksAsync,
  });
}

function* scanSteps(options: ScanOptions, collect: typeof collectNetstackSteps | null): ScanSteps<Inventory> {
  const { procRoot, netnsDir } = options;
  const describe = options.describe ?? describeNamespace;
  const now = options.now ?? (() => new Date());

  // NSpid needs /proc/<pid>/status, the costliest file; it only says something new outside
  // the initial pid namespace, so the walk reads it only there.
  const initialPidNs = linkInode(`${procRoot}/1/ns/pid`) ?? linkInode(`${procRoot}/2/ns/pid`) ?? 0;
  let raw: RawProcess[];
  const ownProcRoot = isOwnProcRoot(procRoot, options.ownPid);
  try {
    raw = yield* walkStep(procRoot, {
      initialPidNs,
      threads: options.threads ?? 2,
      socketNs: ownProcRoot,
      ...(options.reuse ? { reuse: reuseList(options.reuse) } : {}),
    });
  } catch (err) {
    throw new ProcRootError(procRoot, { cause: err });
  }

  const table = new NamespaceTable();
  const proc = fromProc(raw, table, {
    procRoot,
    users: readUsers(options.passwdPath ?? "/etc/passwd"),
    previous: new Map((options.reuse ?? []).map((p) => [p.pid, p])),
  });
  fromTasks(raw, table, procRoot);
  fromFds(raw, table, procRoot);
  const initial = findInitialNamespaces(proc.processes, raw);
  const ownMntNs = linkInode(`${procRoot}/self/ns/mnt`) ?? initial.byType.get("mnt");
  const mounts = fromBindMounts(
    proc.processes,
    table,
    procRoot,
    initial.byType.get("mnt"),
    new Set(ownMntNs === undefined ? [] : [ownMntNs]),
    options.mountTables,
  );
  const named = fromNetnsDir(netnsDir, table, describe);
  // Sockets are borrowed with pidfd_getfd, which takes pids of our own pid namespace.
  const hierarchyWarnings = resolveHierarchy(
    table,
    describe,
    ownProcRoot ? describeSocketNamespace : undefined,
    procRoot,
  );
  const lateWarnings = recheckNetnsDir(netnsDir, named.pending, table, describe);

  const ownUserNs = linkInode(`${procRoot}/self/ns/user`);
  const privileged = options.euid === 0 && (ownUserNs === undefined || ownUserNs === initial.byType.get("user"));
  const warnings = [
    ...describeUnreadable(proc.unreadable, options.euid),
    ...proc.malformed,
    ...mounts.warnings,
    ...named.warnings,
    ...lateWarnings,
    ...hierarchyWarnings,
  ];
  if (initial.from === "none") warnings.push(`initial namespaces unknown: ${initial.why}`);
  if (!ownProcRoot) {
    const sockets = raw.reduce((n, r) => n + countSockets(r), 0);
    if (sockets > 0)
      warnings.push(
        `stacks kept alive only by a socket are not visible: ${procRoot} is not this process's /proc, and a socket's stack is found through pidfd_getfd(2), which takes pids of our own pid namespace (${sockets} socket(s) unresolved)`,
      );
  }
  if (!privileged)
    warnings.push("not privileged: the scan shows only what this user may read (run as root for a full view)");

  const findings: Finding[] = [
    // Root reads every process but the odd hardened one (an unreadable-process finding each);
    // without root most are unreadable, and "no process inside" would be a guess.
    ...leakedStacks(table.entries(), initial.byType.get("net"), privileged ? 0 : proc.unreadable.length),
    ...unreadableProcesses(proc.unreadable, privileged),
    ...notPrivileged(privileged, proc.unreadable.length),
    ...checkNetnsNames(netnsDir, table, (ownMntNs && mounts.mounts.get(ownMntNs)) || [], describe),
    ...zombieHolders(table.entries(), proc.processes),
  ];
  const stacks =
    options.netstacks === false || collect === null
      ? null
      : yield* collect({
          table,
          raw,
          procRoot,
          netnsDir,
          etcNetnsDir: options.etcNetnsDir ?? "/etc/netns",
          readFrom: mounts.readFrom,
          withSockets: ownProcRoot,
          threads: options.threads ?? 2,
          read: options.readNetstacks ?? readNetstacks,
        });
  let processes = proc.processes;
  let kept = findings;
  if (stacks) {
    findings.push(...stacks.findings);
    warnings.push(...stacks.warnings);
    processes = forgetVanished(table, processes, stacks.gone);
    const gone = new Set<string>(stacks.gone.map((e) => namespaceId(e.type, e.inode)));
    kept = findings.filter((f) => f.ns === undefined || !gone.has(f.ns));
  }
  return {
    schema: INVENTORY_SCHEMA,
    host: { ...readHostIdentity(procRoot), scannedAt: now().toISOString(), initialFrom: initial.from, privileged },
    namespaces: table.toNamespaces(initial.byType),
    processes: processes.sort((a, b) => a.pid - b.pid),
    warnings,
    ...(stacks ? { netstacks: stacks.netstacks } : {}),
    findings: sortFindings(kept),
    // The kernel knows no container names: the agent's engine watchers fill this in.
    containers: [],
  };
}
