import { FD_SOCKET, FD_TUN } from "@nsatlas/native";
import { describe, expect, it } from "vitest";
import { rawProcess } from "../__fixtures__/raw-netstack.js";
import { tunOwners } from "./tun-owners.js";

describe("tunOwners", () => {
  it("keys owners by the device's stack and name; unknown stack means the owner's", () => {
    const raw = [
      rawProcess(10, 100, [3, FD_TUN, 0, 200, 4, FD_SOCKET, 77, 100, 5, FD_TUN, 0, 0], ["tun0", "tap1"]),
      rawProcess(11, 100, [3, FD_TUN, 0, 200], ["tun0"]),
      rawProcess(12, 100, [3, FD_TUN, 0, 200], [""]),
      rawProcess(13, 300, [], null),
    ];
    const owners = tunOwners(raw);
    expect(owners.get(200)?.get("tun0")).toEqual([10, 11]);
    expect(owners.get(100)?.get("tap1")).toEqual([10]);
    expect(owners.has(300)).toBe(false);
  });
});
