// Decoders for the packet list: each layer a capture of a Linux stack commonly carries, from
// the link header to DNS, as one summary line and the fields of each layer. Bounds are
// checked at every read: a truncated or hostile packet decodes as far as it goes, never throws.

export interface Layer {
  name: string;
  fields: Array<[string, string]>;
}

export interface DecodedPacket {
  source: string;
  destination: string;
  protocol: string;
  summary: string;
  layers: Layer[];
}

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_LINUX_SLL2 = 276;

class Bytes {
  constructor(readonly b: Uint8Array) {}
  has(at: number, n: number) {
    return at >= 0 && at + n <= this.b.length;
  }
  u8(at: number) {
    return this.b[at] ?? 0;
  }
  u16(at: number) {
    return (this.u8(at) << 8) | this.u8(at + 1);
  }
  u32(at: number) {
    return this.u16(at) * 65536 + this.u16(at + 2);
  }
  mac(at: number) {
    return [...this.b.subarray(at, at + 6)].map((x) => x.toString(16).padStart(2, "0")).join(":");
  }
  ipv4(at: number) {
    return [...this.b.subarray(at, at + 4)].join(".");
  }
  ipv6(at: number) {
    const groups: string[] = [];
    for (let i = 0; i < 8; i += 1) groups.push(this.u16(at + i * 2).toString(16));
    // Longest run of zero groups becomes "::" (RFC 5952).
    let best = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; ) {
      let j = i;
      while (j < 8 && groups[j] === "0") j += 1;
      if (j - i > bestLen) {
        best = i;
        bestLen = j - i;
      }
      i = j === i ? i + 1 : j;
    }
    if (best < 0) return groups.join(":");
    return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
  }
}

const ETHERTYPES: Record<number, string> = { 2048: "IPv4", 2054: "ARP", 34525: "IPv6", 33024: "802.1Q" };
const hex = (n: number, w = 4) => `0x${n.toString(16).padStart(w, "0")}`;

interface State {
  p: DecodedPacket;
  d: Bytes;
}

function fallback(s: State, protocol: string, summary: string) {
  s.p.protocol = protocol;
  s.p.summary = summary;
}

function ethertype(s: State, type: number, at: number) {
  if (type === 0x0800) return ipv4(s, at);
  if (type === 0x86dd) return ipv6(s, at);
  if (type === 0x0806) return arp(s, at);
  fallback(s, ETHERTYPES[type] ?? hex(type), `ethertype ${hex(type)}`);
}

function ethernet(s: State) {
  const { d, p } = s;
  if (!d.has(0, 14)) return fallback(s, "Ethernet", "truncated Ethernet header");
  let type = d.u16(12);
  let at = 14;
  const fields: Array<[string, string]> = [
    ["Destination", d.mac(0)],
    ["Source", d.mac(6)],
  ];
  if (type === 0x8100 && d.has(14, 4)) {
    fields.push(["VLAN", String(d.u16(14) & 0x0fff)]);
    type = d.u16(16);
    at = 18;
  }
  fields.push(["Type", `${ETHERTYPES[type] ?? "?"} (${hex(type)})`]);
  p.layers.push({ name: "Ethernet II", fields });
  p.source = d.mac(6);
  p.destination = d.mac(0);
  ethertype(s, type, at);
}

const SLL_PACKET_TYPES = ["to us", "broadcast", "multicast", "to another host", "sent by us"];

function cooked(s: State, v2: boolean) {
  const { d, p } = s;
  const len = v2 ? 20 : 16;
  if (!d.has(0, len)) return fallback(s, "SLL", "truncated Linux cooked header");
  const type = v2 ? d.u16(0) : d.u16(14);
  const pktType = v2 ? d.u8(10) : d.u16(0);
  const addrLen = v2 ? d.u8(11) : d.u16(4);
  const addrAt = v2 ? 12 : 6;
  const addr = addrLen === 6 ? d.mac(addrAt) : "";
  const fields: Array<[string, string]> = [
    ["Packet type", SLL_PACKET_TYPES[pktType] ?? String(pktType)],
    ["Link-layer address", addr || "(none)"],
    ["Protocol", `${ETHERTYPES[type] ?? "?"} (${hex(type)})`],
  ];
  if (v2) fields.push(["Interface index", String(d.u32(4))]);
  p.layers.push({ name: v2 ? "Linux cooked capture v2" : "Linux cooked capture", fields });
  p.source = addr;
  ethertype(s, type, len);
}

function arp(s: State, at: number) {
  const { d, p } = s;
  if (!d.has(at, 28)) return fallback(s, "ARP", "truncated ARP");
  const op = d.u16(at + 6);
  const [sha, spa, tpa] = [d.mac(at + 8), d.ipv4(at + 14), d.ipv4(at + 24)];
  p.layers.push({
    name: "Address Resolution Protocol",
    fields: [
      ["Opcode", op === 1 ? "request (1)" : op === 2 ? "reply (2)" : String(op)],
      ["Sender MAC", sha],
      ["Sender IP", spa],
      ["Target MAC", d.mac(at + 18)],
      ["Target IP", tpa],
    ],
  });
  p.source = spa;
  p.destination = tpa;
  fallback(s, "ARP", op === 1 ? `Who has ${tpa}? Tell ${spa}` : op === 2 ? `${spa} is at ${sha}` : `opcode ${op}`);
}

function ipv4(s: State, at: number) {
  const { d, p } = s;
  if (!d.has(at, 20)) return fallback(s, "IPv4", "truncated IPv4 header");
  const ihl = (d.u8(at) & 0x0f) * 4;
  const proto = d.u8(at + 9);
  const total = d.u16(at + 2);
  p.source = d.ipv4(at + 12);
  p.destination = d.ipv4(at + 16);
  p.layers.push({
    name: "Internet Protocol Version 4",
    fields: [
      ["Source", p.source],
      ["Destination", p.destination],
      ["Header length", String(ihl)],
      ["Total length", String(total)],
      ["TTL", String(d.u8(at + 8))],
      ["Protocol", String(proto)],
      ["Identification", hex(d.u16(at + 4))],
    ],
  });
  const frag = d.u16(at + 6) & 0x1fff;
  if (frag !== 0) return fallback(s, "IPv4", `fragment offset ${frag * 8}`);
  transport(s, proto, at + Math.max(20, ihl), at + total, false);
}

function ipv6(s: State, at: number) {
  const { d, p } = s;
  if (!d.has(at, 40)) return fallback(s, "IPv6", "truncated IPv6 header");
  const next = d.u8(at + 6);
  p.source = d.ipv6(at + 8);
  p.destination = d.ipv6(at + 24);
  p.layers.push({
    name: "Internet Protocol Version 6",
    fields: [
      ["Source", p.source],
      ["Destination", p.destination],
      ["Payload length", String(d.u16(at + 4))],
      ["Next header", String(next)],
      ["Hop limit", String(d.u8(at + 7))],
    ],
  });
  // Hop-by-hop (MLD carries one), routing and destination options: skipped to the payload.
  let header = next;
  let off = at + 40;
  for (let i = 0; i < 8 && [0, 43, 60].includes(header) && d.has(off, 2); i += 1) {
    header = d.u8(off);
    off += (d.u8(off + 1) + 1) * 8;
  }
  transport(s, header, off, at + 40 + d.u16(at + 4), true);
}

const ICMP_TYPES: Record<number, string> = {
  0: "Echo reply",
  3: "Destination unreachable",
  8: "Echo request",
  11: "Time exceeded",
};
const ICMP6_TYPES: Record<number, string> = {
  1: "Destination unreachable",
  128: "Echo request",
  143: "Multicast listener report v2",
  129: "Echo reply",
  133: "Router solicitation",
  134: "Router advertisement",
  135: "Neighbor solicitation",
  136: "Neighbor advertisement",
};

function transport(s: State, proto: number, at: number, end: number, v6: boolean) {
  const { d, p } = s;
  if (proto === 6) return tcp(s, at, end);
  if (proto === 17) return udp(s, at);
  if (proto === (v6 ? 58 : 1)) {
    if (!d.has(at, 4)) return fallback(s, v6 ? "ICMPv6" : "ICMP", "truncated");
    const type = d.u8(at);
    const code = d.u8(at + 1);
    const name = (v6 ? ICMP6_TYPES : ICMP_TYPES)[type] ?? `type ${type}`;
    const echo = v6 ? type === 128 || type === 129 : type === 0 || type === 8;
    const fields: Array<[string, string]> = [
      ["Type", `${name} (${type})`],
      ["Code", String(code)],
    ];
    let extra = "";
    if (echo && d.has(at, 8)) {
      fields.push(["Identifier", String(d.u16(at + 4))], ["Sequence", String(d.u16(at + 6))]);
      extra = ` id=${d.u16(at + 4)} seq=${d.u16(at + 6)}`;
    }
    if (v6 && (type === 135 || type === 136) && d.has(at, 24)) {
      fields.push(["Target", d.ipv6(at + 8)]);
      extra = ` for ${d.ipv6(at + 8)}`;
    }
    p.layers.push({ name: v6 ? "Internet Control Message Protocol v6" : "Internet Control Message Protocol", fields });
    return fallback(s, v6 ? "ICMPv6" : "ICMP", `${name}${extra}`);
  }
  fallback(s, v6 ? "IPv6" : "IPv4", `protocol ${proto}`);
}

const TCP_FLAGS = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"];

function tcp(s: State, at: number, end: number) {
  const { d, p } = s;
  if (!d.has(at, 20)) return fallback(s, "TCP", "truncated TCP header");
  const [sport, dport] = [d.u16(at), d.u16(at + 2)];
  const off = (d.u8(at + 12) >> 4) * 4;
  const bits = d.u8(at + 13);
  const flags = TCP_FLAGS.filter((_, i) => bits & (1 << i));
  const len = Math.max(0, end - at - off);
  p.layers.push({
    name: "Transmission Control Protocol",
    fields: [
      ["Source port", String(sport)],
      ["Destination port", String(dport)],
      ["Sequence", String(d.u32(at + 4))],
      ["Acknowledgment", String(d.u32(at + 8))],
      ["Flags", flags.join(", ") || "none"],
      ["Window", String(d.u16(at + 14))],
      ["Payload length", String(len)],
    ],
  });
  fallback(s, "TCP", `${sport} → ${dport} [${flags.join(", ")}] seq=${d.u32(at + 4)} len=${len}`);
}

function udp(s: State, at: number) {
  const { d, p } = s;
  if (!d.has(at, 8)) return fallback(s, "UDP", "truncated UDP header");
  const [sport, dport, len] = [d.u16(at), d.u16(at + 2), d.u16(at + 4)];
  p.layers.push({
    name: "User Datagram Protocol",
    fields: [
      ["Source port", String(sport)],
      ["Destination port", String(dport)],
      ["Length", String(len)],
    ],
  });
  if (sport === 53 || dport === 53 || sport === 5353 || dport === 5353) return dns(s, at + 8);
  fallback(s, "UDP", `${sport} → ${dport} len=${Math.max(0, len - 8)}`);
}

const DNS_TYPES: Record<number, string> = {
  1: "A",
  2: "NS",
  5: "CNAME",
  12: "PTR",
  15: "MX",
  16: "TXT",
  28: "AAAA",
  33: "SRV",
};

/** A DNS name at `at` (labels only: a compression pointer in a question ends the name). */
function dnsName(d: Bytes, at: number): { name: string; end: number } | null {
  const labels: string[] = [];
  let i = at;
  while (d.has(i, 1)) {
    const n = d.u8(i);
    if (n === 0) return { name: labels.join(".") || ".", end: i + 1 };
    if (n >= 0xc0 || !d.has(i + 1, n) || labels.length > 127) return null;
    labels.push(String.fromCharCode(...d.b.subarray(i + 1, i + 1 + n)).replace(/[^\x21-\x7e]/g, "?"));
    i += 1 + n;
  }
  return null;
}

function dns(s: State, at: number) {
  const { d, p } = s;
  if (!d.has(at, 12)) return fallback(s, "DNS", "truncated DNS header");
  const id = d.u16(at);
  const flags = d.u16(at + 2);
  const response = (flags & 0x8000) !== 0;
  const q = d.u16(at + 4) > 0 ? dnsName(d, at + 12) : null;
  const qtype = q && d.has(q.end, 2) ? d.u16(q.end) : null;
  const typeName = qtype === null ? "" : (DNS_TYPES[qtype] ?? `TYPE${qtype}`);
  p.layers.push({
    name: "Domain Name System",
    fields: [
      ["Transaction ID", hex(id)],
      ["Kind", response ? "response" : "query"],
      ["Response code", String(flags & 0x0f)],
      ["Questions", String(d.u16(at + 4))],
      ["Answers", String(d.u16(at + 6))],
      ...(q ? ([["Question", `${q.name} ${typeName}`]] as Array<[string, string]>) : []),
    ],
  });
  fallback(
    s,
    "DNS",
    `${response ? "Standard query response" : "Standard query"} ${hex(id)} ${typeName} ${q?.name ?? ""}`.trim(),
  );
}

/** Decodes one packet of a linktype; never throws. */
export function decodePacket(linktype: number, data: Uint8Array): DecodedPacket {
  const s: State = { p: { source: "", destination: "", protocol: "", summary: "", layers: [] }, d: new Bytes(data) };
  if (linktype === LINKTYPE_ETHERNET) ethernet(s);
  else if (linktype === LINKTYPE_LINUX_SLL) cooked(s, false);
  else if (linktype === LINKTYPE_LINUX_SLL2) cooked(s, true);
  else if (linktype === LINKTYPE_RAW) {
    const v = s.d.u8(0) >> 4;
    if (v === 4) ipv4(s, 0);
    else if (v === 6) ipv6(s, 0);
    else fallback(s, "raw", `IP version ${v}`);
  } else fallback(s, `linktype ${linktype}`, `${data.length} bytes`);
  return s.p;
}
