import type { Inventory, Namespace, Process } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { freeingSteps } from "./freeing-steps";

const proc = (pid: number, comm: string, extra: Partial<Process> = {}): Process =>
  ({ pid, comm, state: "S", container: null, ...extra }) as Process;
const ns = (id: string, type: Namespace["type"], pids: number[], holders: Namespace["holders"], initial = false) =>
  ({ id, type, inode: Number(id.split(":")[1]), initial, names: [], pids, holders, owner: null }) as Namespace;

describe("freeingSteps", () => {
  it("names each holder of a leaked stack, who owns it, and its fix; pins first", () => {
    const leaked = ns(
      "net:300",
      "net",
      [],
      [
        { kind: "fd", pid: 812, fd: 3 },
        { kind: "bindmount", path: "/run/netns/old", mountNs: "mnt:400" },
        { kind: "bindmount", path: "/pin", mountNs: "mnt:500" },
      ],
    );
    const inv = {
      namespaces: [leaked, ns("mnt:400", "mnt", [900, 901], [], false), ns("mnt:500", "mnt", [], [])],
      processes: [
        proc(812, "sleep"),
        proc(900, "sh", { state: "Z" }),
        proc(901, "nginx", { container: { name: "web" } as Process["container"] }),
      ],
    } as unknown as Inventory;
    expect(freeingSteps(leaked, inv)).toEqual([
      {
        kind: "pin",
        path: "/run/netns/old",
        mountNs: "mnt:400",
        hostMountNs: false,
        members: [{ pid: 901, comm: "nginx" }],
        container: "web",
      },
      { kind: "pin", path: "/pin", mountNs: "mnt:500", hostMountNs: false, members: [], container: null },
      {
        kind: "process-ref",
        holder: "fd",
        who: { pid: 812, comm: "sleep" },
        detail: "holds it open as fd 3",
        command: "kill 812",
      },
    ]);
  });
});
