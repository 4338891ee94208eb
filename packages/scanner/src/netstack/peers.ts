import type { RawLink } from "@nsatlas/native";

/** A link by position: stacks[stack].links[link]. */
export interface LinkEnd {
  stack: number;
  link: number;
}

/** Asks stack `from` which nsid it gives stack `target`, for every pair at once (RTM_GETNSID
 * with NETNSA_FD, which reads and never assigns). Keys are `${from}:${target}`; pairs whose
 * stack gave no nsid, or could not be asked, are missing. */
export type AskNsids = (pairs: ReadonlyArray<readonly [number, number]>) => Map<string, number>;

export interface Wiring {
  /** veth -> its other end, keyed `${stack}:${link}`. */
  peers: Map<string, LinkEnd>;
  /** Links whose other end or lower device lives in another stack -> that stack. */
  linkStacks: Map<string, number>;
  /** veths whose other end is in no stack the scan sees. */
  unreachable: LinkEnd[];
}

const endKey = (stack: number, link: number) => `${stack}:${link}`;
/** Most candidate stacks we ask about for one non-veth link (each is one RTM_GETNSID). */
const MAX_LOWER_CANDIDATES = 32;

/** Resolves veth peers and cross-stack links. A veth reports its peer as (IFLA_LINK = peer
 * ifindex, IFLA_LINK_NETNSID = the peer's stack as an nsid of *this* stack). Ifindexes repeat
 * in every stack and nsids mean nothing outside their stack, so a peer is found by pairs: a
 * veth in another stack with ifindex = our IFLA_LINK and IFLA_LINK = our ifindex. One such
 * candidate is the peer; several are told apart exactly by asking our stack for the nsid of
 * each candidate's stack. The nsids learnt map the other cross-stack links (macvlan, vlan,
 * tunnels with a link-netns) to stacks, asking only where a link remains unknown. */
export function resolveWiring(stacks: ReadonlyArray<{ links: readonly RawLink[] }>, askNsids: AskNsids): Wiring {
  const wiring: Wiring = { peers: new Map(), linkStacks: new Map(), unreachable: [] };
  const byIfindex = stacks.map((s) => new Map(s.links.map((l, i) => [l.ifindex, i])));
  const crossVeths = new Map<string, LinkEnd[]>(); // `${ifindex}>${peer ifindex}`
  stacks.forEach((s, stack) => {
    s.links.forEach((l, link) => {
      if (l.kind !== "veth" || l.linkNetnsid === null) return;
      const key = `${l.ifindex}>${l.link}`;
      const list = crossVeths.get(key);
      if (list) list.push({ stack, link });
      else crossVeths.set(key, [{ stack, link }]);
    });
  });
  // nsid -> stack, per stack, as learnt from unique peers and from answers.
  const known = stacks.map(() => new Map<number, number>());
  const ambiguous: Array<{ end: LinkEnd; nsid: number; candidates: LinkEnd[] }> = [];
  const lower: Array<{ end: LinkEnd; nsid: number }> = [];

  stacks.forEach((s, stack) => {
    s.links.forEach((l, link) => {
      const end = { stack, link };
      if (l.kind === "veth" && l.linkNetnsid === null) {
        const local = byIfindex[stack]?.get(l.link);
        if (local === undefined) wiring.unreachable.push(end);
        else wiring.peers.set(endKey(stack, link), { stack, link: local });
        return;
      }
      if (l.linkNetnsid === null) return;
      if (l.kind !== "veth") {
        lower.push({ end, nsid: l.linkNetnsid });
        return;
      }
      const candidates = (crossVeths.get(`${l.link}>${l.ifindex}`) ?? []).filter((c) => c.stack !== stack);
      const only = candidates[0];
      if (candidates.length === 1 && only) {
        wiring.peers.set(endKey(stack, link), only);
        known[stack]?.set(l.linkNetnsid, only.stack);
      } else if (candidates.length === 0) {
        wiring.unreachable.push(end);
      } else {
        ambiguous.push({ end, nsid: l.linkNetnsid, candidates });
      }
    });
  });

  const pairs = new Map<string, readonly [number, number]>();
  const ask = (from: number, target: number) => pairs.set(`${from}:${target}`, [from, target]);
  for (const a of ambiguous) for (const c of a.candidates) ask(a.end.stack, c.stack);
  for (const l of lower) {
    if (known[l.end.stack]?.has(l.nsid)) continue;
    const ifindex = stacks[l.end.stack]?.links[l.end.link]?.link ?? 0;
    const candidates = byIfindex
      .map((m, stack) => (stack !== l.end.stack && ifindex > 0 && m.has(ifindex) ? stack : -1))
      .filter((stack) => stack >= 0);
    if (candidates.length <= MAX_LOWER_CANDIDATES) for (const c of candidates) ask(l.end.stack, c);
  }
  if (pairs.size > 0) {
    for (const [key, nsid] of askNsids([...pairs.values()])) {
      const [from, target] = key.split(":").map(Number) as [number, number];
      if (nsid >= 0) known[from]?.set(nsid, target);
    }
  }

  for (const a of ambiguous) {
    const target = known[a.end.stack]?.get(a.nsid);
    const peer = a.candidates.find((c) => c.stack === target);
    if (peer) wiring.peers.set(endKey(a.end.stack, a.end.link), peer);
    else wiring.unreachable.push(a.end);
  }
  for (const [key, peer] of wiring.peers) {
    if (`${peer.stack}` !== key.slice(0, key.indexOf(":"))) wiring.linkStacks.set(key, peer.stack);
  }
  for (const l of lower) {
    const target = known[l.end.stack]?.get(l.nsid);
    if (target !== undefined) wiring.linkStacks.set(endKey(l.end.stack, l.end.link), target);
  }
  return wiring;
}
