import type { RawLink } from "@nsatlas/native";
import { ARPHRD_ETHER, ARPHRD_LOOPBACK, flagNames, operstateName } from "./kernel-names.js";

/** What a link is, from its rtnl kind: the tun driver serves both tun (layer 3) and tap
 * (layer 2) devices and says which in IFLA_TUN_TYPE (older kernels: only the ARP type tells).
 * Devices without a kind were made by a driver, not by `ip link add`: NICs ("physical") and lo. */
export function linkKind(raw: RawLink): string {
  if (raw.kind === "tun") {
    if (raw.tunType === 1 || raw.tunType === 2) return raw.tunType === 2 ? "tap" : "tun";
    return raw.arphrd === ARPHRD_ETHER ? "tap" : "tun";
  }
  if (raw.kind) return raw.kind;
  return raw.arphrd === ARPHRD_LOOPBACK ? "loopback" : "physical";
}

/** The link's own facts; wiring (peer, master, linkNs, owners) and addresses come later. */
export function linkFacts(raw: RawLink): {
  ifindex: number;
  name: string;
  kind: string;
  state: string;
  flags: string[];
  mtu: number;
  mac: string | null;
} {
  return {
    ifindex: raw.ifindex,
    name: raw.name ?? `if${raw.ifindex}`,
    kind: linkKind(raw),
    state: operstateName(raw.operstate),
    flags: flagNames(raw.flags),
    mtu: raw.mtu,
    mac: raw.mac,
  };
}
