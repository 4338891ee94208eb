// Raw facts of network stacks as rtnetlink and sock_diag report them (numbers as the kernel
// writes them: AF_*, ARPHRD_*, IFF_*, RT_SCOPE_*, RTPROT_*…); the scanner shapes them.

/** One way or several to open a stack, tried in order until one opens this inode. */
export interface StackRef {
  inode: number;
  /** nsfs paths: /proc/<pid>/ns/net, /proc/<pid>/task/<tid>/ns/net, /proc/<pid>/fd/<n>, pins. */
  paths: string[];
  /** Flat [pid, fd] pairs of sockets created in the stack (opened with pidfd_getfd + SIOCGSKNS). */
  sockets: number[];
}

export interface RawLink {
  ifindex: number;
  name: string | null;
  /** IFLA_INFO_KIND ("veth", "bridge", "tun", …); null for drivers without rtnl_link_ops. */
  kind: string | null;
  /** IFLA_TUN_TYPE: 1 tun, 2 tap, 0 unknown or not a tun device. */
  tunType: number;
  arphrd: number;
  flags: number;
  mtu: number;
  mac: string | null;
  /** IF_OPER_*; -1 when absent. */
  operstate: number;
  master: number;
  /** IFLA_LINK: ifindex of the peer (veth) or lower device; 0 for none. */
  link: number;
  /** IFLA_LINK_NETNSID: the stack of `link`, as this stack numbers it; null when `link` is local. */
  linkNetnsid: number | null;
}

export interface RawAddress {
  ifindex: number;
  family: number;
  prefixlen: number;
  scope: number;
  address: string | null;
}

export interface RawHop {
  oif: number;
  gateway: string | null;
}

export interface RawRoute {
  family: number;
  /** null for the default route (no RTA_DST). */
  dst: string | null;
  dstLen: number;
  protocol: number;
  scope: number;
  type: number;
  table: number;
  metric: number | null;
  oif: number;
  gateway: string | null;
  /** RTA_MULTIPATH nexthops (at most 8); null for single-path routes. */
  hops: RawHop[] | null;
}

export interface RawSocket {
  /** IPPROTO_TCP (6) or IPPROTO_UDP (17). */
  proto: number;
  family: number;
  state: number;
  port: number;
  inode: number;
  address: string | null;
}

export interface RawStack {
  /** errno of the first failed step, 0 when the stack was read. */
  err: number;
  errStep: string | null;
  links: RawLink[];
  addresses: RawAddress[];
  routes: RawRoute[];
  sockets: RawSocket[];
  /** errno of a failed sock_diag dump (not fatal: links and routes still count). */
  socketErr: number;
}

export interface NetstackRequest {
  stacks: StackRef[];
  /** Read every stack (true), or only answer the nsid questions. */
  dump: boolean;
  /** Flat [from, target] index pairs into stacks: "which nsid does `from` give `target`?". */
  queries?: number[];
  threads?: number;
}

export interface NetstackReply {
  /** One per requested stack, in order; empty facts where dump was false. */
  stacks: RawStack[];
  /** Flat [nsid, errno] per query: nsid -1 when the stack assigned none. */
  nsids: number[];
}
