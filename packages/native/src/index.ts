import { createRequire } from "node:module";
import { constants as osConstants } from "node:os";
import type { NetstackReply, NetstackRequest } from "./netstack-types.js";

export type * from "./netstack-types.js";

/** Slots of RawProcess.ns, in the addon's order. */
export const NS_LINK_NAMES = [
  "cgroup",
  "ipc",
  "mnt",
  "net",
  "pid",
  "pid_for_children",
  "time",
  "time_for_children",
  "user",
  "uts",
] as const;
export type NsLinkName = (typeof NS_LINK_NAMES)[number];
/** fds[] slot value of a socket rather than a namespace. */
export const FD_SOCKET = -1;
/** fds[] slot value of a tun/tap fd (/dev/net/tun); its netns is the device's stack. */
export const FD_TUN = -3;

/** One live process as read by the native walk; parsing is left to the scanner. */
export interface RawProcess {
  pid: number;
  /** cmdline and cgroup were not read: the caller listed this (pid, start time) for reuse. */
  reused: boolean;
  /** Owner of /proc/<pid>: the process's effective uid (root when it is not dumpable). */
  uid: number;
  stat: string;
  /** NUL-separated argv, as in /proc/<pid>/cmdline. */
  cmdline: string;
  /** Rest of the `NSpid:` line of status, read only outside the initial pid namespace. */
  nspid: string | null;
  /** /proc/<pid>/cgroup as seen from our cgroup namespace; null when unread. */
  cgroup: string | null;
  /** Inodes by NS_LINK_NAMES slot; 0 where unreadable. */
  ns: Float64Array;
  nsErrno: number;
  /** Flat quads [fd, slot, inode, netns]: namespace fds (slot >= 0, netns 0), sockets
   * (FD_SOCKET; netns = inode of the stack the socket belongs to, 0 when unknown) and tun/tap
   * fds (FD_TUN; netns = the device's stack, 0 when unknown). */
  fds: Float64Array;
  fdErrno: number;
  /** Device names (fdinfo `iff:`) of the FD_TUN entries of fds, in order; null when none. */
  tunIff: string[] | null;
  /** Flat triples [tid, slot, inode] for threads whose namespace differs from the process's. */
  tasks: Float64Array;
  taskErrno: number;
}

export interface WalkOptions {
  /** Inode of the initial pid namespace; status (for NSpid) is read only outside it. */
  initialPidNs?: number;
  threads?: number;
  fds?: boolean;
  tasks?: boolean;
  /** Read /proc/<pid>/cgroup (for container hints). */
  cgroup?: boolean;
  /** Sorted [pid, start time] pairs whose cmdline and cgroup the caller already has. */
  reuse?: Float64Array;
  /** Resolve the stack of every socket and tun fd (pidfd_getfd + SIOCGSKNS / TUNGETDEVNETNS). */
  socketNs?: boolean;
}

/** What the nsfs ioctls (ioctl_ns(2)) tell about one namespace. */
export interface NsFacts {
  inode: number;
  type: string;
  /** Owning user namespace; 0 with ownerErrno EPERM when it lies outside ours. */
  owner: number;
  ownerErrno: number;
  /** pid and user namespaces only; 0 at the root of the tree (EPERM). */
  parent: number;
  parentErrno: number;
  /** user namespaces only, else -1. */
  ownerUid: number;
}

interface Addon {
  walk(procRoot: string, options?: Record<string, number | Float64Array>): RawProcess[];
  walkAsync(procRoot: string, options?: Record<string, number | Float64Array>): Promise<RawProcess[]>;
  describe(path: string): Float64Array;
  describeSocket(pid: number, fd: number): Float64Array;
  procEventsStart(onEvents?: () => void): number;
  procEventsTake(): number;
  procEventsTakeExecs(): number[] | null;
  procEventsRecvTimeout(): number;
  netstacks(request: AddonNetstackRequest): NetstackReply;
  netstacksAsync(request: AddonNetstackRequest): Promise<NetstackReply>;
  nsfsMounts(nsMntPath: string): string[];
  mountsChanged(fds: number[]): number[];
  watchMountTable(path: string, onChange: () => void): number;
}

interface AddonNetstackRequest {
  stacks: NetstackRequest["stacks"];
  dump: number;
  queries: number[];
  threads: number;
}

// NSATLAS_NATIVE_SANITIZE=1 (tests only; see scripts/test-native-sanitizers.sh) loads the
// AddressSanitizer build, which needs the sanitizer runtime preloaded into Node.
const addon = createRequire(import.meta.url)(
  process.env.NSATLAS_NATIVE_SANITIZE === "1"
    ? "../build/sanitize/nsatlas_native.node"
    : "../build/nsatlas_native.node",
) as Addon;

function walkArgs(options: WalkOptions): Record<string, number | Float64Array> {
  return {
    initialPidNs: options.initialPidNs ?? 0,
    threads: options.threads ?? 2,
    fds: options.fds === false ? 0 : 1,
    tasks: options.tasks === false ? 0 : 1,
    socketNs: options.socketNs === false ? 0 : 1,
    cgroup: options.cgroup === false ? 0 : 1,
    ...(options.reuse ? { reuse: options.reuse } : {}),
  };
}

/** Reads every process under procRoot on several threads, blocking the caller until done.
 * Throws (code = errno name) if procRoot is unreadable. */
export function walkProcesses(procRoot: string, options: WalkOptions = {}): RawProcess[] {
  return addon.walk(procRoot, walkArgs(options));
}

/** walkProcesses() as async work: the walk runs off the JS thread, which stays free for
 * timers and sockets meanwhile. Rejects (code = errno name) if procRoot is unreadable. */
export function walkProcessesAsync(procRoot: string, options: WalkOptions = {}): Promise<RawProcess[]> {
  return addon.walkAsync(procRoot, walkArgs(options));
}

/** Namespace types by the index the addon reports (its NSTYPES order). */
const NS_TYPE_NAMES = ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"] as const;

/** The addon's flat answer, seven numbers per namespace, as objects. */
function factsOf(flat: Float64Array): NsFacts[] {
  const out: NsFacts[] = [];
  for (let i = 0; i + 6 < flat.length; i += 7) {
    out.push({
      inode: flat[i] as number,
      type: NS_TYPE_NAMES[flat[i + 1] as number] ?? "unknown",
      owner: flat[i + 2] as number,
      ownerErrno: flat[i + 3] as number,
      parent: flat[i + 4] as number,
      parentErrno: flat[i + 5] as number,
      ownerUid: flat[i + 6] as number,
    });
  }
  return out;
}

/** Facts of the namespace at path, followed by those of its ancestors (parents and owners). */
export function describeNamespace(path: string): NsFacts[] {
  return factsOf(addon.describe(path));
}

/** Facts of the network namespace a socket (fd of pid) was created in, and of its ancestors:
 * the one way to reach a stack that nothing but a socket keeps alive. */
export function describeSocketNamespace(pid: number, fd: number): NsFacts[] {
  return factsOf(addon.describeSocket(pid, fd));
}

/** Links, addresses, routes and listening sockets of each stack, read by worker threads that
 * setns(2) into one stack after another (rtnetlink and sock_diag); and nsid questions. */
export function readNetstacks(request: NetstackRequest): NetstackReply {
  return addon.netstacks(netstackArgs(request));
}

/** readNetstacks() as async work: the worker threads are waited for off the JS thread. */
export function readNetstacksAsync(request: NetstackRequest): Promise<NetstackReply> {
  return addon.netstacksAsync(netstackArgs(request));
}

function netstackArgs(request: NetstackRequest): AddonNetstackRequest {
  return {
    stacks: request.stacks,
    dump: request.dump ? 1 : 0,
    queries: request.queries ?? [],
    threads: request.threads ?? 2,
  };
}

/** One nsfs mount of a mount namespace, as mountinfo's root and mount point fields say. */
export interface NsfsMount {
  /** "net:[4026532…]" */
  root: string;
  mountPoint: string;
}

/** The nsfs mounts of the mount namespace at nsMntPath (/proc/<pid>/ns/mnt) through
 * listmount(2)/statmount(2), without formatting its mount table. Throws with the errno name
 * where the kernel cannot (ENOSYS before 6.8, ENOTTY/EINVAL before 6.11, EPERM in a seccomp
 * sandbox): the caller then reads mountinfo. */
export function listNsfsMounts(nsMntPath: string): NsfsMount[] {
  const flat = addon.nsfsMounts(nsMntPath);
  const out: NsfsMount[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ root: flat[i] as string, mountPoint: flat[i + 1] as string });
  return out;
}

/** Indices of fds (open /proc/<pid>/mountinfo files) whose mount table changed since they
 * were opened or last asked, or that are no longer valid: one poll(2) for all of them. */
export function mountTablesChanged(fds: readonly number[]): number[] {
  return addon.mountsChanged([...fds]);
}

/** Subscribes to the kernel's process events (netlink proc connector; needs CAP_NET_ADMIN in
 * the initial user and pid namespaces). Returns null when running, else the reason.
 * onEvents is called when events arrive after a takeProcessEvents() (edge-triggered). */
export function startProcessEvents(onEvents?: () => void): string | null {
  return errnoReason(addon.procEventsStart(onEvents));
}

/** null for 0, else the errno name of -rc. */
function errnoReason(rc: number): string | null {
  if (rc === 0) return null;
  const name = Object.entries(osConstants.errno).find(([, n]) => n === -rc)?.[0];
  return name ?? `errno ${-rc}`;
}

/** Calls onChange (on the JS thread, coalesced) after every change of the mount table at path
 * (/proc/self/mountinfo): a watcher thread sleeps in poll(2) until the kernel flags one. One
 * table per process. Returns null when watching, else the reason (EALREADY: one is watched). */
export function watchMountTable(path: string, onChange: () => void): string | null {
  return errnoReason(addon.watchMountTable(path, onChange));
}

/** User-process starts, execs and exits seen since the last call (0 if not subscribed). */
export function takeProcessEvents(): number {
  return addon.procEventsTake();
}

/** The process-event socket's receive timeout in µs: 0 once subscribed (the event thread
 * sleeps until the kernel sends something), negative errno when not subscribed. */
export function processEventsRecvTimeout(): number {
  return addon.procEventsRecvTimeout();
}

/** Pids that exec'd since the last call (their argv changed), or null when more did than
 * were kept: then every argv may have changed. */
export function takeProcessExecs(): number[] | null {
  return addon.procEventsTakeExecs();
}
