// Names for the numbers rtnetlink reports, spelled as iproute2 prints them (its defaults in
// /etc/iproute2/rt_protos, rt_scopes and rt_tables, and lib/ll_map.c, ipaddress.c).

export const AF_INET = 2;
export const AF_INET6 = 10;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
/** ifi_type of the loopback device (linux/if_arp.h). */
export const ARPHRD_LOOPBACK = 772;
export const ARPHRD_ETHER = 1;

const SCOPES: Record<number, string> = { 0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere" };
const PROTOCOLS: Record<number, string> = {
  0: "unspec",
  1: "redirect",
  2: "kernel",
  3: "boot",
  4: "static",
  8: "gated",
  9: "ra",
  10: "mrt",
  11: "zebra",
  12: "bird",
  13: "dnrouted",
  14: "xorp",
  15: "ntk",
  16: "dhcp",
  17: "mrouted",
  18: "keepalived",
  42: "babel",
  99: "openr",
  186: "bgp",
  187: "isis",
  188: "ospf",
  189: "rip",
  192: "eigrp",
};
const TABLES: Record<number, string> = { 253: "default", 254: "main", 255: "local" };
const ROUTE_TYPES = [
  "unspec",
  "unicast",
  "local",
  "broadcast",
  "anycast",
  "multicast",
  "blackhole",
  "unreachable",
  "prohibit",
  "throw",
  "nat",
  "xresolve",
];
/** IF_OPER_* (RFC 2863), linux/if.h. */
const OPERSTATES = ["UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"];
/** IFF_* bits in the order `ip link` prints them; IFF_RUNNING (0x40) is shown as NO-CARRIER's absence. */
const IFF_BITS: ReadonlyArray<[number, string]> = [
  [0x8, "LOOPBACK"],
  [0x2, "BROADCAST"],
  [0x10, "POINTOPOINT"],
  [0x1000, "MULTICAST"],
  [0x80, "NOARP"],
  [0x200, "ALLMULTI"],
  [0x100, "PROMISC"],
  [0x400, "MASTER"],
  [0x800, "SLAVE"],
  [0x4, "DEBUG"],
  [0x8000, "DYNAMIC"],
  [0x4000, "AUTOMEDIA"],
  [0x2000, "PORTSEL"],
  [0x20, "NOTRAILERS"],
  [0x1, "UP"],
  [0x10000, "LOWER_UP"],
  [0x20000, "DORMANT"],
  [0x40000, "ECHO"],
];
const IFF_UP = 0x1;
const IFF_RUNNING = 0x40;

const named = (table: Record<number, string>, n: number): string => table[n] ?? String(n);

export const scopeName = (scope: number): string => named(SCOPES, scope);
export const protocolName = (protocol: number): string => named(PROTOCOLS, protocol);
export const tableName = (table: number): string => named(TABLES, table);
export const routeTypeName = (type: number): string => ROUTE_TYPES[type] ?? String(type);
export const operstateName = (state: number): string => OPERSTATES[state] ?? "UNKNOWN";
export const familyName = (family: number): "inet" | "inet6" => (family === AF_INET6 ? "inet6" : "inet");

/** ifi_flags as `ip -j link` lists them: NO-CARRIER first when up without carrier. */
export function flagNames(flags: number): string[] {
  const out: string[] = [];
  if (flags & IFF_UP && !(flags & IFF_RUNNING)) out.push("NO-CARRIER");
  for (const [bit, name] of IFF_BITS) if (flags & bit) out.push(name);
  return out;
}
