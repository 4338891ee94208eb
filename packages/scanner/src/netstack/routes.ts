import type { RawRoute } from "@nsatlas/native";
import type { Route } from "@nsatlas/protocol";
import { AF_INET6, familyName, protocolName, routeTypeName, scopeName, tableName } from "./kernel-names.js";

/** "default", a host address, or address/prefix: the way `ip route` writes a destination. */
function destination(r: RawRoute): string {
  if (r.dstLen === 0 || r.dst === null) return "default";
  return r.dstLen === (r.family === AF_INET6 ? 128 : 32) ? r.dst : `${r.dst}/${r.dstLen}`;
}

/** Protocol form of one route; devices are named through the stack's own links. */
export function shapeRoute(r: RawRoute, linkName: (ifindex: number) => string | null): Route {
  const hops = r.hops ?? [];
  const first = hops[0];
  const route: Route = {
    dst: destination(r),
    gateway: first ? first.gateway : r.gateway,
    dev: linkName(first ? first.oif : r.oif),
    protocol: protocolName(r.protocol),
    scope: scopeName(r.scope),
    metric: r.metric ?? 0,
    table: tableName(r.table),
    family: familyName(r.family),
    type: routeTypeName(r.type),
  };
  if (hops.length > 0) route.nexthops = hops.map((h) => ({ gateway: h.gateway, dev: linkName(h.oif) }));
  return route;
}
