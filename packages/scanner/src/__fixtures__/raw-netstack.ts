import type { RawLink, RawProcess, RawRoute, RawStack } from "@nsatlas/native";

/** A RawLink with plain defaults: an UP ethernet-like link of the given kind. */
export function rawLink(ifindex: number, name: string, extra: Partial<RawLink> = {}): RawLink {
  return {
    ifindex,
    name,
    kind: null,
    tunType: 0,
    arphrd: 1,
    flags: 0x11043, // UP, BROADCAST, RUNNING, MULTICAST, LOWER_UP
    mtu: 1500,
    mac: "02:00:00:00:00:01",
    operstate: 6,
    master: 0,
    link: 0,
    linkNetnsid: null,
    ...extra,
  };
}

/** A veth whose peer is ifindex `peer` in the stack this one calls `nsid` (null: same stack). */
export const veth = (ifindex: number, name: string, peer: number, nsid: number | null): RawLink =>
  rawLink(ifindex, name, { kind: "veth", link: peer, linkNetnsid: nsid });

export function rawStack(extra: Partial<RawStack> = {}): RawStack {
  return { err: 0, errStep: null, links: [], addresses: [], routes: [], sockets: [], socketErr: 0, ...extra };
}

/** A RawProcess with only what the netstack code reads: pid, ns (net slot 3), fds, tunIff. */
export function rawProcess(pid: number, netns: number, fds: number[], tunIff: string[] | null = null): RawProcess {
  const ns = new Float64Array(10);
  ns[3] = netns;
  return {
    pid,
    reused: false,
    uid: 0,
    stat: "",
    cmdline: "",
    nspid: null,
    cgroup: null,
    ns,
    nsErrno: 0,
    fds: Float64Array.from(fds),
    fdErrno: 0,
    tunIff,
    tasks: new Float64Array(0),
    taskErrno: 0,
  };
}

/** An IPv4 static route of the main table; the default route unless dst is given. */
export function rawRoute(extra: Partial<RawRoute> = {}): RawRoute {
  return {
    family: 2,
    dst: null,
    dstLen: 0,
    protocol: 4,
    scope: 0,
    type: 1,
    table: 254,
    metric: null,
    oif: 2,
    gateway: null,
    hops: null,
    ...extra,
  };
}
