import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isPacketBlock, PcapngReader, parseInterface, parsePacket } from "@nsatlas/protocol/pcapng";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CaptureFeed, hexDump, LIST_RATE_LIMIT, matchesDisplayFilter } from "./capture-feed";
import { decodePacket } from "./packet-decode";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../../../packages/protocol/src/__fixtures__/${name}`, import.meta.url));

/** What tshark says of each packet: protocol column, network source and destination. */
function tsharkRows(file: string): string[][] {
  const out = execFileSync(
    "tshark",
    [
      "-r",
      file,
      "-T",
      "fields",
      "-e",
      "_ws.col.Protocol",
      "-e",
      "ip.src",
      "-e",
      "ipv6.src",
      "-e",
      "ip.dst",
      "-e",
      "ipv6.dst",
      "-e",
      "arp.src.proto_ipv4",
    ],
    { encoding: "utf8" },
  );
  return out
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split("\t").map((f) => f.split(",")[0] ?? "")); // an ICMP error quotes the packet it answers: the outer header first
}

function decodedRows(file: string) {
  const r = new PcapngReader();
  const blocks = r.push(new Uint8Array(readFileSync(file)));
  const ifaces = blocks.map(parseInterface).filter((i) => i !== null);
  return blocks.filter(isPacketBlock).map((b) => {
    const p = parsePacket(b, ifaces);
    return decodePacket(ifaces[0]?.linktype ?? 0, p?.data ?? new Uint8Array());
  });
}

describe("decodePacket against tshark, on real dumpcap captures", () => {
  for (const name of ["veth-ethernet.pcapng", "any-cooked.pcapng"]) {
    it(`${name}: the same protocol and addresses as tshark for every packet`, () => {
      const ours = decodedRows(fixture(name));
      const theirs = tsharkRows(fixture(name));
      expect(ours).toHaveLength(theirs.length);
      ours.forEach((p, i) => {
        const [proto = "", ip4src = "", ip6src = "", ip4dst = "", ip6dst = "", arpSrc = ""] = theirs[i] ?? [];
        expect(p.protocol, `packet ${i + 1}: ${p.summary}`).toBe(proto);
        if (proto === "ARP") expect(p.source).toBe(arpSrc);
        else {
          expect(p.source).toBe(ip4src || ip6src);
          expect(p.destination).toBe(ip4dst || ip6dst);
        }
      });
      const summaries = ours.map((p) => p.summary).join("\n");
      expect(summaries).toContain("Echo request id=");
      expect(summaries).toContain("Who has 10.232.0.2? Tell 10.232.0.1");
      expect(summaries).toMatch(/→ 8080 \[SYN\]/);
      expect(summaries).toContain("Standard query 0x4a26 A example.org");
      expect(summaries).toContain("Neighbor solicitation for fd00:232::2");
    });
  }

  it("decodes Linux cooked v2 headers", () => {
    const sll2 = new Uint8Array(20 + 28);
    sll2.set([0x08, 0x06], 0); // protocol ARP
    sll2.set([0, 0, 0, 7], 4); // ifindex 7
    sll2[11] = 6;
    sll2.set([0, 1, 8, 0, 6, 4, 0, 1], 20);
    sll2.set([10, 0, 0, 1], 20 + 14);
    sll2.set([10, 0, 0, 2], 20 + 24);
    const p = decodePacket(276, sll2);
    expect(p.protocol).toBe("ARP");
    expect(p.summary).toBe("Who has 10.0.0.2? Tell 10.0.0.1");
    expect(p.layers[0]?.fields).toContainEqual(["Interface index", "7"]);
  });

  it("never throws, whatever the bytes and linktype", () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 101, 113, 276, 0), fc.uint8Array({ maxLength: 200 }), (lt, data) => {
        const p = decodePacket(lt, data);
        expect(typeof p.summary).toBe("string");
      }),
      { numRuns: 3000 },
    );
  });
});

describe("CaptureFeed", () => {
  it("lists every packet up to LIST_RATE_LIMIT a second and counts the rest as sampled out", () => {
    const file = new Uint8Array(readFileSync(fixture("veth-ethernet.pcapng")));
    const feed = new CaptureFeed();
    feed.push(file);
    expect(feed.packets).toBe(33);
    expect(feed.rows).toHaveLength(33);
    expect(feed.rows.filter((r) => matchesDisplayFilter(r, "icmp 10.232.0.2"))).toHaveLength(5);
    expect(feed.rows.filter((r) => matchesDisplayFilter(r, "!icmp !tcp !dns !arp"))).toHaveLength(0);
    // A burst: one packet again and again, all with the same timestamp.
    const burst = new CaptureFeed();
    const header = file.subarray(0, 164); // section and interface blocks
    burst.push(header);
    const packets = new PcapngReader().push(file).filter(isPacketBlock);
    while (burst.packets < LIST_RATE_LIMIT + 100) burst.push(packets[0]?.bytes ?? new Uint8Array());
    expect(burst.rows).toHaveLength(LIST_RATE_LIMIT);
    expect(burst.skipped).toBe(burst.packets - LIST_RATE_LIMIT);
  });

  it("hex-dumps 16 bytes a line with their printable characters", () => {
    expect(hexDump(new TextEncoder().encode("GET / HTTP/1.1\r\n!"))).toEqual([
      "0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..",
      "0010  21                                                !",
    ]);
  });
});
