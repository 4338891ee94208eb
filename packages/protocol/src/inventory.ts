import { z } from "zod";
import { ComposeRef, ContainerEngine, PodRef } from "./containers.js";
import { INVENTORY_SCHEMA } from "./ids.js";
import { NamespaceId, NamespaceType } from "./namespace-types.js";
import { Finding, NetStack } from "./netstack.js";

const Pid = z.number().int().positive();
const Inode = z.number().int().nonnegative();

/** Why a namespace is alive: one reference the kernel counts. */
export const Holder = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("process"), pid: Pid }),
  z.object({ kind: z.literal("task"), pid: Pid, tid: Pid }),
  z.object({ kind: z.literal("fd"), pid: Pid, fd: z.number().int().nonnegative() }),
  z.object({ kind: z.literal("bindmount"), path: z.string(), mountNs: NamespaceId.optional() }),
  /** pid_for_children / time_for_children of a process that unshared without forking. */
  z.object({ kind: z.literal("children"), pid: Pid }),
  /** A socket created in this stack, held by a process that now lives in another one. */
  z.object({ kind: z.literal("socket"), pid: Pid, fd: z.number().int().nonnegative() }),
]);
export type Holder = z.infer<typeof Holder>;

export const Namespace = z.object({
  id: NamespaceId,
  type: NamespaceType,
  inode: Inode,
  initial: z.boolean(),
  names: z.array(z.string()),
  pids: z.array(Pid),
  holders: z.array(Holder),
  owner: NamespaceId.nullable(),
  parent: NamespaceId.nullable().optional(),
  ownerUid: z.number().int().nonnegative().optional(),
});
export type Namespace = z.infer<typeof Namespace>;

/** Runtimes this version knows; a newer agent may send others, kept as plain strings. */
export const KnownRuntime = z.enum(["docker", "containerd", "cri-o", "podman", "kubepods", "lxc", "systemd-nspawn"]);

export const ContainerHint = z.object({
  runtime: KnownRuntime.or(z.string().min(1).max(64)),
  id: z.string().nullable(),
  podUid: z.string().nullable(),
  /** The engine that named the container; null when only the cgroup path told us (and for
   * documents of older agents, which carry runtime, id and podUid only). */
  engine: ContainerEngine.nullable().default(null),
  name: z.string().nullable().default(null),
  image: z.string().nullable().default(null),
  pod: PodRef.nullable().default(null),
  compose: ComposeRef.nullable().default(null),
});
export type ContainerHint = z.infer<typeof ContainerHint>;

/** null: the kernel no longer serves the link (a zombie has only `user` and `pid`; a
 * process that unshared its pid namespace has no `pid_for_children` until it forks). */
const NsLink = Inode.nullable();

const NsInodes = z.object({
  cgroup: NsLink,
  ipc: NsLink,
  mnt: NsLink,
  net: NsLink,
  pid: NsLink,
  time: NsLink,
  user: NsLink,
  uts: NsLink,
});

/** A container as its engine reports it (labels capped, see CONTAINER_LABEL_LIMITS; never its
 * environment). `ns` are the namespaces of its init process, null when it does not run. */
export const Container = z.object({
  id: z.string(),
  engine: ContainerEngine,
  name: z.string().nullable(),
  image: z.string().nullable(),
  state: z.string(),
  pid: z.number().int().nonnegative().nullable(),
  pod: PodRef.nullable(),
  compose: ComposeRef.nullable(),
  labels: z.record(z.string(), z.string()),
  ns: NsInodes.nullable(),
});
export type Container = z.infer<typeof Container>;

export const Process = z.object({
  pid: Pid,
  ppid: z.number().int().nonnegative(),
  comm: z.string(),
  cmdline: z.array(z.string()),
  uid: z.number().int(),
  user: z.string().nullable(),
  startTime: z.number().int().nonnegative(),
  nspid: z.array(Pid),
  container: ContainerHint.nullable(),
  ns: NsInodes,
  nsForChildren: z.object({ pid: NsLink, time: NsLink }),
  /** State letter of /proc/<pid>/stat (R, S, D, Z, T, …); absent from older agents. */
  state: z
    .string()
    .regex(/^[A-Za-z]$/)
    .optional(),
});
export type Process = z.infer<typeof Process>;

export const HostInfo = z.object({
  hostname: z.string(),
  bootId: z.string(),
  kernel: z.string(),
  scannedAt: z.string().datetime(),
  initialFrom: z.enum(["pid1", "kthreadd", "none"]),
  privileged: z.boolean(),
});
export type HostInfo = z.infer<typeof HostInfo>;

export const Inventory = z.object({
  schema: z.literal(INVENTORY_SCHEMA),
  host: HostInfo,
  namespaces: z.array(Namespace),
  processes: z.array(Process),
  warnings: z.array(z.string()),
  /** One entry per network namespace; absent when the scan skipped stack detail (--no-netstacks). */
  netstacks: z.array(NetStack).optional(),
  /** Always written by the scanner ([] when none); defaults to [] for documents of older agents. */
  findings: z.array(Finding).default([]),
  /** Containers the engines report, by id; [] without engines (and for older agents). */
  containers: z.array(Container).default([]),
});
export type Inventory = z.infer<typeof Inventory>;
