import { FD_SOCKET } from "@nsatlas/native";
import { describe, expect, it } from "vitest";
import { rawProcess } from "../__fixtures__/raw-netstack.js";
import { shapeListening, socketOwners } from "./listening.js";

describe("listening sockets", () => {
  it("finds owners through socket inodes and sorts by protocol and port", () => {
    const owners = socketOwners([
      rawProcess(20, 1, [3, FD_SOCKET, 555, 1, 4, FD_SOCKET, 556, 1]),
      rawProcess(21, 1, [3, FD_SOCKET, 555, 1]),
    ]);
    const sock = (proto: number, port: number, inode: number, address = "0.0.0.0") => ({
      proto,
      family: 2,
      state: 10,
      port,
      inode,
      address,
    });
    expect(
      shapeListening([sock(17, 53, 556), sock(6, 8080, 555, "127.0.0.1"), sock(6, 22, 999, "::")], owners),
    ).toEqual([
      { proto: "tcp", address: "::", port: 22, pids: [] },
      { proto: "tcp", address: "127.0.0.1", port: 8080, pids: [20, 21] },
      { proto: "udp", address: "0.0.0.0", port: 53, pids: [20] },
    ]);
  });
});
