import { describe, expect, it } from "vitest";
import { searchFleet } from "./search.js";
import { testInventory } from "./test-inventory.js";

function hostWith(id: string, address: string) {
  const inv = testInventory([1, 20]);
  inv.namespaces[0] = { ...inv.namespaces[0], names: ["blue"], initial: false } as (typeof inv.namespaces)[0];
  inv.netstacks = [
    {
      ns: "net:4026531833",
      links: [
        {
          ifindex: 2,
          name: "eth0",
          kind: "veth",
          state: "UP",
          flags: [],
          mtu: 1500,
          mac: null,
          master: null,
          linkNs: null,
          addresses: [{ family: "inet", address, prefixlen: 24, scope: "global" }],
          peer: null,
          tunOwners: [],
        },
      ],
      routes: [],
      listening: [{ proto: "tcp", address: "0.0.0.0", port: 22, pids: [20] }],
      files: {},
    },
  ];
  return { id, hostname: id, inventory: inv };
}

describe("searchFleet", () => {
  const hosts = [hostWith("h1", "10.0.0.1"), hostWith("h2", "10.0.0.1"), hostWith("h3", "10.9.9.9")];

  it("finds an address on every host that has it, and says it is on others too", () => {
    const m = searchFleet(hosts, "10.0.0.1");
    expect(m.map((x) => [x.hostId, x.kind, x.stack?.name])).toEqual([
      ["h1", "address", "blue"],
      ["h2", "address", "blue"],
    ]);
    expect(m[0]?.alsoOn).toEqual(["h2"]);
  });

  it("finds listening ports, processes, pids, stack names and interfaces", () => {
    expect(searchFleet(hosts, ":22").map((x) => x.kind)).toEqual(["port", "port", "port"]);
    expect(searchFleet(hosts, "22/tcp")).toHaveLength(3);
    expect(searchFleet([hosts[0] as never], "sleep").map((x) => x.pid)).toEqual([1, 20]);
    expect(searchFleet([hosts[0] as never], "20").map((x) => x.kind)).toEqual(["pid"]);
    expect(searchFleet([hosts[0] as never], "blue").map((x) => x.kind)).toEqual(["stack-name"]);
    expect(searchFleet([hosts[0] as never], "eth0").map((x) => x.kind)).toEqual(["interface"]);
    expect(searchFleet(hosts, "   ")).toEqual([]);
  });
});

describe("searchFleet on containers", () => {
  it("finds container names, pod names and images, each with the container and its stack", () => {
    const host = hostWith("h1", "10.0.0.1");
    const inv = host.inventory;
    inv.namespaces[0] = { ...inv.namespaces[0], names: [], initial: false } as (typeof inv.namespaces)[0];
    const ns = inv.processes[0]?.ns ?? null;
    const pod = { name: "web-0", namespace: "shop", uid: "u1" };
    inv.containers = [
      {
        id: "c1",
        engine: "docker",
        name: "web1",
        image: "nginx:1",
        state: "running",
        pid: 1,
        pod: null,
        compose: null,
        labels: {},
        ns,
      },
      {
        id: "c2",
        engine: "containerd",
        name: "side",
        image: "envoy:1",
        state: "running",
        pid: 20,
        pod,
        compose: null,
        labels: {},
        ns,
      },
    ];
    inv.processes = inv.processes.map((p) =>
      p.pid === 20
        ? {
            ...p,
            container: {
              runtime: "containerd",
              id: "c2",
              podUid: "u1",
              engine: "containerd",
              name: "side",
              image: "envoy:1",
              pod,
              compose: null,
            },
          }
        : p,
    );
    const web1 = searchFleet([host], "web1").filter((m) => m.kind === "container");
    expect(web1).toEqual([
      expect.objectContaining({
        kind: "container",
        container: { id: "c1", name: "web1" },
        stack: { id: "net:4026531833", name: "shop/web-0" },
      }),
    ]);
    expect(
      searchFleet([host], "web-0")
        .filter((m) => m.kind === "pod")
        .map((m) => m.container),
    ).toEqual([{ id: "c2", name: "side" }]);
    expect(searchFleet([host], "envoy").map((m) => [m.kind, m.container?.name])).toEqual([["image", "side"]]);
  });
});
