import type { Inventory, Link, NetStack } from "@nsatlas/protocol";
import { testInventory, testNamespace, testProcess } from "./test-inventory.js";

// A host for planner and service tests (not part of the build output): the initial stack with
// eth0 and v1; "blue" (pid 50 inside, pinned) with v0 ⇄ v1 and a web server on 10.0.0.1:80;
// an unnamed stack held by pid 60 only.

export const INITIAL = "net:4026531833";
export const BLUE = "net:4026532100";
export const UNNAMED = "net:4026532200";

export function testLink(
  ifindex: number,
  name: string,
  kind: string,
  addrs: string[] = [],
  peer: Link["peer"] = null,
): Link {
  return {
    ifindex,
    name,
    kind,
    state: "UP",
    flags: ["BROADCAST", "UP", "LOWER_UP"],
    mtu: 1500,
    mac: null,
    master: null,
    linkNs: peer?.ns ?? null,
    peer,
    tunOwners: [],
    addresses: addrs.map((a) => {
      const [address = "", prefix = "24"] = a.split("/");
      return {
        family: address.includes(":") ? ("inet6" as const) : ("inet" as const),
        address,
        prefixlen: Number(prefix),
        scope: "global",
      };
    }),
  };
}

const stack = (ns: string, links: Link[], extra: Partial<NetStack> = {}): NetStack => ({
  ns,
  links,
  routes: [],
  listening: [],
  files: {},
  ...extra,
});

export function testHost(): Inventory {
  const blue = testNamespace(4026532100, [50], ["blue"]);
  blue.holders.push({ kind: "bindmount", path: "/run/netns/blue" });
  const unnamed = testNamespace(4026532200, [60]);
  const inv = testInventory([1], [blue, unnamed]);
  inv.processes.push(
    { ...testProcess(50, 4026532100), comm: "nginx", cmdline: ["nginx"] },
    testProcess(60, 4026532200),
  );
  inv.netstacks = [
    stack(INITIAL, [
      testLink(1, "lo", "loopback", ["127.0.0.1/8"]),
      testLink(2, "eth0", "physical", ["192.168.1.10/24"]),
      testLink(7, "v1", "veth", [], { ns: BLUE, ifindex: 2, name: "v0" }),
    ]),
    stack(
      BLUE,
      [
        testLink(1, "lo", "loopback"),
        testLink(2, "v0", "veth", ["10.0.0.1/24"], { ns: INITIAL, ifindex: 7, name: "v1" }),
      ],
      {
        listening: [{ proto: "tcp", address: "10.0.0.1", port: 80, pids: [50] }],
        routes: [
          {
            dst: "default",
            gateway: "10.0.0.254",
            dev: "v0",
            protocol: "boot",
            scope: "global",
            metric: 0,
            table: "main",
            family: "inet",
            type: "unicast",
          },
        ],
        files: { "resolv.conf": "nameserver 10.0.0.53\n" },
      },
    ),
    stack(UNNAMED, [testLink(1, "lo", "loopback"), testLink(3, "d0", "dummy", ["10.9.0.1/24"])]),
  ];
  return inv;
}
