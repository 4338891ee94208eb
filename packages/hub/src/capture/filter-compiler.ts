import { execFileSync } from "node:child_process";

/** LINKTYPE_* values (pcap-linktype(7)) of the headers a capture of a Linux link carries. */
export const LINKTYPE = { ethernet: 1, raw: 101, linuxSll: 113 } as const;

/** Link kinds whose packets carry no link-layer header (ARPHRD_NONE and the IP tunnels:
 * libpcap gives them DLT_RAW); every other kind (loopback included) carries Ethernet's. */
const RAW_KINDS = new Set(["tun", "wireguard", "ipip", "sit", "ip6tnl", "vti", "vti6", "gre", "ip6gre"]);

/** The linktype a capture on this link kind (null: all interfaces, "any") records. */
export function linktypeOf(kind: string | null): number {
  if (kind === null) return LINKTYPE.linuxSll;
  return RAW_KINDS.has(kind) ? LINKTYPE.raw : LINKTYPE.ethernet;
}

/** A pcap savefile header with no packets: what tcpdump needs to know the linktype. */
function savefileHeader(linktype: number, snaplen: number): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(snaplen, 16);
  b.writeUInt32LE(linktype, 20);
  return b;
}

/** Compiles a pcap-filter(7) expression for a linktype the way the capture will (libpcap, via
 * `tcpdump -d` reading an empty savefile of that linktype: no interface, no privilege, argv
 * only). Returns null when it compiles, else the compiler's own message. */
export function compileFilter(filter: string, linktype: number, snaplen: number): string | null {
  if (filter.trim() === "") return null;
  try {
    execFileSync("tcpdump", ["-n", "-r", "-", "-d", "--", filter], {
      input: savefileHeader(linktype, snaplen),
      stdio: ["pipe", "ignore", "pipe"],
      timeout: 5_000,
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C" },
    });
    return null;
  } catch (err) {
    const e = err as { stderr?: Buffer; code?: string };
    if (e.code === "ENOENT") throw new Error("tcpdump is not installed: the hub cannot check capture filters");
    const lines = String(e.stderr ?? "")
      .split("\n")
      .filter((l) => l && !l.startsWith("reading from file"));
    return (lines.join("; ").replace(/^tcpdump: /, "") || "the filter does not compile").slice(0, 1000);
  }
}
