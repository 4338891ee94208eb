import type { ContainerHint, Namespace } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { fixtureInventory, fixtureProcess } from "../__fixtures__/inventory.js";
import { renderFindings, renderNamespaceTable } from "./ns-table.js";

const proc = (pid: number, comm: string, net: number) => fixtureProcess(pid, 1, [comm, "1000"], { net });
const ns = (type: Namespace["type"], inode: number, o: Partial<Namespace> = {}): Namespace => ({
  id: `${type}:${inode}`,
  type,
  inode,
  initial: false,
  names: [],
  pids: [],
  holders: [],
  owner: null,
  ...o,
});
const inv = fixtureInventory(
  [
    ns("net", 4026532100, {
      names: ["blue"],
      pids: [10, 11],
      holders: [
        { kind: "process", pid: 10 },
        { kind: "process", pid: 11 },
        { kind: "bindmount", path: "/run/netns/blue" },
      ],
    }),
    ns("net", 4026532200, { holders: [{ kind: "fd", pid: 12, fd: 3 }] }),
    ns("net", 4026531840, { initial: true, pids: [1], holders: [{ kind: "process", pid: 1 }] }),
    ns("uts", 4026532300, { pids: [13], holders: [{ kind: "process", pid: 13 }] }),
  ],
  [
    proc(1, "init", 4026531840),
    proc(10, "sleep", 4026532100),
    proc(11, "sleep", 4026532100),
    proc(13, "sh", 4026531840),
  ],
  [
    { code: "leaked-stack", ns: "net:4026532200", message: "kept by fd 3 of pid 12 only", refs: [] },
    { code: "leaked-stack", ns: "net:4026532100", message: "x", refs: [] },
  ],
);

describe("the scan table", () => {
  it("groups by type, names each namespace, sums its holders and shows its first process", () => {
    expect(renderNamespaceTable(inv, inv.namespaces)).toBe(
      [
        "TYPE         NS NPROCS PID USER NAME                     HOLDERS         COMMAND",
        "net  4026531840      1   1 root initial                  1 proc          init 1000",
        "     4026532100      2  10 root blue                     2 proc, 1 mount sleep 1000",
        "     4026532200      0   - -    unnamed (fd 3 of pid 12) 1 fd            (fd 3 of pid 12)",
        "",
        "uts  4026532300      1  13 root unnamed (pid 13 sh)      1 proc          sh 1000",
      ].join("\n"),
    );
  });

  it("sums up findings on one line, naming stacks rather than inodes", () => {
    const line = renderFindings(inv, inv.findings);
    expect(line).toBe("2 findings: 2 leaked-stack (unnamed (fd 3 of pid 12), blue) (details: scan --json)");
    expect(line).not.toMatch(/\d{10}/);
    expect(renderFindings(inv, [])).toBe("findings: none");
  });

  it("shows the container or the pod in NAME, like lsns shows a name there", () => {
    const hint = (name: string, pod: ContainerHint["pod"] = null): ContainerHint => ({
      runtime: "docker",
      id: name.repeat(64).slice(0, 64),
      podUid: null,
      engine: "docker",
      name,
      image: "busybox",
      pod,
      compose: null,
    });
    const inContainer = (pid: number, net: number, c: ContainerHint) => ({ ...proc(pid, "sleep", net), container: c });
    const stacks = [
      ns("net", 900, { pids: [20, 21], holders: [{ kind: "process", pid: 20 }] }),
      ns("net", 901, { pids: [22], holders: [{ kind: "process", pid: 22 }] }),
    ];
    const withContainers = fixtureInventory(stacks, [
      inContainer(20, 900, hint("a")),
      inContainer(21, 900, hint("b")),
      inContainer(22, 901, hint("c", { name: "web-0", namespace: "shop", uid: "u" })),
    ]);
    const rows = renderNamespaceTable(withContainers, stacks).split("\n");
    expect(rows[1]).toMatch(/ a, b +1 proc +sleep 1000$/);
    expect(rows[2]).toMatch(/ shop\/web-0 +1 proc +sleep 1000$/);
  });
});
