import { z } from "zod";
import { StackSandbox } from "./containers.js";
import { FINDING_CODES } from "./ids.js";
import { NamespaceId } from "./namespace-types.js";

const Pid = z.number().int().positive();
const Ifindex = z.number().int().positive();
const Family = z.enum(["inet", "inet6"]);

/** An address of a link, as `ip -j addr` shows it (`local`). */
export const Address = z.object({
  family: Family,
  address: z.string(),
  prefixlen: z.number().int().min(0).max(128),
  /** "global", "site", "link", "host", "nowhere", or the number. */
  scope: z.string(),
});
export type Address = z.infer<typeof Address>;

/** The other end of a veth pair: its stack, ifindex there and name. */
export const Peer = z.object({ ns: NamespaceId, ifindex: Ifindex, name: z.string() });
export type Peer = z.infer<typeof Peer>;

export const Link = z.object({
  ifindex: Ifindex,
  name: z.string(),
  /** Driver kind: loopback, veth, bridge, tun, tap, vlan, macvlan, ipvlan, vxlan, dummy,
   * wireguard, bond, …; "physical" for a device without rtnl kind (a NIC's driver). */
  kind: z.string(),
  /** Operational state (RFC 2863 names as `ip` prints them): UP, DOWN, UNKNOWN, LOWERLAYERDOWN, … */
  state: z.string(),
  /** IFF_* flags in `ip link` order and spelling (NO-CARRIER, BROADCAST, …, UP, LOWER_UP). */
  flags: z.array(z.string()),
  mtu: z.number().int().nonnegative(),
  mac: z.string().nullable(),
  /** Name of the bridge or bond this link is a port of (always in the same stack). */
  master: z.string().nullable(),
  /** The stack the other end (veth peer, lower device of a macvlan/vlan/tunnel) lives in,
   * when that is another stack; null otherwise or when it is not visible. */
  linkNs: NamespaceId.nullable(),
  /** Name of the lower device of a macvlan, macvtap, ipvlan, vlan or tunnel (in linkNs when that
   * is set, else in this stack); null when there is none or it is not visible; absent from older agents. */
  parent: z.string().nullable().optional(),
  addresses: z.array(Address),
  /** veth only: the other end; null for other kinds, and when it was not found (a finding says why). */
  peer: Peer.nullable(),
  /** tun/tap only: pids with an fd attached to this device; [] otherwise. */
  tunOwners: z.array(Pid),
});
export type Link = z.infer<typeof Link>;

export const Nexthop = z.object({ gateway: z.string().nullable(), dev: z.string().nullable() });
export type Nexthop = z.infer<typeof Nexthop>;

/** A route of any table but `local` (the per-address routes the kernel adds itself). */
export const Route = z.object({
  /** "default" or an address with its prefix length ("10.0.0.0/24"); host routes without it, like `ip`. */
  dst: z.string(),
  gateway: z.string().nullable(),
  dev: z.string().nullable(),
  protocol: z.string(),
  scope: z.string(),
  metric: z.number().int().nonnegative(),
  table: z.string(),
  family: Family,
  /** Route type: unicast, blackhole, unreachable, prohibit, … (an extension of the issue's contract). */
  type: z.string(),
  /** Multipath routes only: every nexthop (gateway and dev are then those of the first). */
  nexthops: z.array(Nexthop).optional(),
});
export type Route = z.infer<typeof Route>;

/** A listening TCP socket, or a bound unconnected UDP socket (what `ss -lntu` lists). */
export const Listening = z.object({
  proto: z.enum(["tcp", "udp"]),
  address: z.string(),
  port: z.number().int().min(1).max(65535),
  /** Processes with an fd on the socket (found through its inode); [] when none is visible. */
  pids: z.array(Pid),
});
export type Listening = z.infer<typeof Listening>;

/** One network namespace seen as a network stack. */
export const NetStack = z.object({
  ns: NamespaceId,
  links: z.array(Link),
  routes: z.array(Route),
  listening: z.array(Listening),
  /** /etc/netns/<name>/* that `ip netns exec` bind-mounts over /etc: name -> content (at most 64 KiB). */
  files: z.record(z.string(), z.string()),
  /** Ids of the containers whose processes share this stack (set by the agent, absent from
   * older agents). */
  containers: z.array(z.string()).optional(),
  /** Whose sandbox this stack is, or null; absent from older agents. */
  sandbox: StackSandbox.nullable().optional(),
});
export type NetStack = z.infer<typeof NetStack>;

/** A known code, or one a newer agent sends that this version does not know (kept and
 * shown as it is: an older hub must not refuse a newer agent's whole snapshot for it). */
export const FindingCode = z.enum(FINDING_CODES).or(z.string().regex(/^[a-z][a-z0-9-]{0,63}$/));
export type FindingCode = z.infer<typeof FindingCode>;

/** Something worth a look, in plain words, with the namespaces (and processes) it concerns. */
export const Finding = z.object({
  code: FindingCode,
  /** The stack the finding is about; absent when it concerns none (an unreadable name). */
  ns: NamespaceId.optional(),
  message: z.string(),
  /** Other namespaces involved (`type:inode`). */
  refs: z.array(z.string()),
  /** Processes involved (an extension of the issue's contract). */
  pids: z.array(Pid).optional(),
});
export type Finding = z.infer<typeof Finding>;
