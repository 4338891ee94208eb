import type { RawAddress } from "@nsatlas/native";
import type { Address } from "@nsatlas/protocol";
import { familyName, scopeName } from "./kernel-names.js";

/** Addresses of a stack grouped by the ifindex they are on, in dump order (v4 first). */
export function addressesByLink(raw: readonly RawAddress[]): Map<number, Address[]> {
  const out = new Map<number, Address[]>();
  for (const a of raw) {
    if (a.address === null) continue;
    const address: Address = {
      family: familyName(a.family),
      address: a.address,
      prefixlen: a.prefixlen,
      scope: scopeName(a.scope),
    };
    const list = out.get(a.ifindex);
    if (list) list.push(address);
    else out.set(a.ifindex, [address]);
  }
  return out;
}
