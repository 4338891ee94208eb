import { describe, expect, it } from "vitest";
import type { ContainerHint, Namespace, Process } from "./inventory.js";
import { resolveNamespaceName } from "./stack-name.js";

const NS = { cgroup: 1, ipc: 2, mnt: 3, net: 4, pid: 5, time: 6, user: 7, uts: 8 };
const hint = (over: Partial<ContainerHint>): ContainerHint => ({
  runtime: "docker",
  id: "a".repeat(64),
  podUid: null,
  engine: "docker",
  name: null,
  image: null,
  pod: null,
  compose: null,
  ...over,
});
const proc = (pid: number, container: ContainerHint | null): Process => ({
  pid,
  ppid: 1,
  comm: "sleep",
  cmdline: ["sleep", "9"],
  uid: 0,
  user: "root",
  startTime: 1,
  nspid: [pid],
  container,
  ns: NS,
  nsForChildren: { pid: 5, time: 6 },
});
const ns = (over: Partial<Namespace>): Namespace => ({
  id: "net:4026532000",
  type: "net",
  inode: 4026532000,
  initial: false,
  names: [],
  pids: [],
  holders: [],
  owner: null,
  ...over,
});

function name(n: Namespace, procs: Process[]): string {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  return resolveNamespaceName(n, (pid) => byPid.get(pid)).name;
}

describe("resolveNamespaceName", () => {
  const pod = { name: "web-0", namespace: "shop", uid: "u" };
  const compose = { project: "shop", service: "db" };

  it("takes initial, then the netns name, pod, containers, compose, pin, and finally pid and command", () => {
    const pin = { kind: "bindmount", path: "/run/x/pin" } as const;
    const all = [proc(7, hint({ name: "web1", pod, compose })), proc(8, hint({ name: "web2", compose }))];
    expect(name(ns({ initial: true, names: ["x"], pids: [7] }), all)).toBe("initial");
    expect(name(ns({ names: ["blue"], pids: [7, 8] }), all)).toBe("blue");
    expect(name(ns({ pids: [7, 8] }), all)).toBe("shop/web-0");
    expect(name(ns({ pids: [8] }), all)).toBe("web2");
    expect(name(ns({ pids: [8, 9] }), [...all, proc(9, hint({ name: "web3" }))])).toBe("web2, web3");
    expect(name(ns({ pids: [9] }), [proc(9, hint({ compose }))])).toBe("shop/db");
    expect(name(ns({ pids: [9], holders: [pin] }), [proc(9, hint({}))])).toBe("/run/x/pin");
    expect(name(ns({ pids: [9] }), [proc(9, null)])).toBe("unnamed (pid 9 sleep)");
    expect(name(ns({}), [])).toBe("unnamed (4026532000)");
  });
});
