import { describe, expect, it } from "vitest";
import { processesMatching } from "./process-records.js";
import { testProcess } from "./test-inventory.js";

const proc = (pid: number, comm: string, cmdline: string[]) => ({ ...testProcess(pid), comm, cmdline });

describe("processesMatching", () => {
  const processes = [
    proc(1, "systemd", ["/sbin/init", "splash"]),
    proc(20, "sshd", ["sshd: /usr/sbin/sshd -D"]),
    proc(30, "kworker/0:1", []),
    proc(40, "Postgres", ["postgres", "-D", "/var/lib/postgresql"]),
  ];

  it("matches names and command lines, case-insensitively, once per process", () => {
    expect(processesMatching("h", processes, "sshd")).toEqual([1]);
    expect(processesMatching("h", processes, "postgres")).toEqual([3]);
    expect(processesMatching("h", processes, "init splash")).toEqual([0]);
    expect(processesMatching("h", processes, "kworker")).toEqual([2]);
    expect(processesMatching("h", processes, "s")).toEqual([0, 1, 3]);
  });

  it("never matches across two processes", () => {
    expect(processesMatching("h", processes, "splash sshd")).toEqual([]);
    expect(processesMatching("h", processes, "nope")).toEqual([]);
    expect(processesMatching("e", [], "x")).toEqual([]);
  });

  it("reuses records of unchanged processes only (identity), and sees changed ones", () => {
    const [a, b] = [proc(1, "alpha", []), proc(2, "beta", [])];
    expect(processesMatching("r", [a, b], "beta")).toEqual([1]);
    const renamed = { ...b, comm: "gamma" };
    expect(processesMatching("r", [a, renamed], "beta")).toEqual([]);
    expect(processesMatching("r", [a, renamed, proc(3, "beta", [])], "beta")).toEqual([2]);
  });
});
