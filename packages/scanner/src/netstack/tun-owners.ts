import { FD_TUN, NS_LINK_NAMES, type RawProcess } from "@nsatlas/native";

const NET_SLOT = NS_LINK_NAMES.indexOf("net");

/** Owners of tun/tap devices: processes with an fd on /dev/net/tun attached to a device
 * (fdinfo `iff:` names it). Keyed by the device's stack, then its name: names repeat across
 * stacks. The walk asks the fd for the device's stack (TUNGETDEVNETNS); where it could not
 * (a foreign proc root), the device is taken to be in its owner's stack, where tun creates it. */
export function tunOwners(raw: readonly RawProcess[]): Map<number, Map<string, number[]>> {
  const out = new Map<number, Map<string, number[]>>();
  for (const r of raw) {
    if (r.tunIff === null) continue;
    let t = 0;
    for (let i = 0; i + 3 < r.fds.length; i += 4) {
      if (r.fds[i + 1] !== FD_TUN) continue;
      const name = r.tunIff[t++];
      if (!name) continue; // an fd not (or no longer) attached to a device
      const netns = (r.fds[i + 3] as number) || (r.ns[NET_SLOT] as number);
      let byName = out.get(netns);
      if (!byName) {
        byName = new Map();
        out.set(netns, byName);
      }
      const pids = byName.get(name);
      if (!pids) byName.set(name, [r.pid]);
      else if (!pids.includes(r.pid)) pids.push(r.pid);
    }
  }
  return out;
}
