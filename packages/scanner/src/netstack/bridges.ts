import type { RawLink } from "@nsatlas/native";

/** Name of the master (bridge, bond, VRF) of each link that has one. IFLA_MASTER is an
 * ifindex of the same stack: a port and its bridge cannot live in different stacks. */
export function masterNames(links: readonly RawLink[]): Map<number, string> {
  const names = new Map(links.map((l) => [l.ifindex, l.name ?? `if${l.ifindex}`]));
  const out = new Map<number, string>();
  for (const l of links) {
    if (l.master === 0) continue;
    out.set(l.ifindex, names.get(l.master) ?? `if${l.master}`);
  }
  return out;
}
