import { captureArgv, filterWithExclusions } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { uplinkExclusion } from "./capture-manager.js";

describe("the agent's exclusion of its own traffic", () => {
  it("leaves out the dashboard's port and the uplink's own address and port, IPv4-mapped or not", () => {
    const ex = uplinkExclusion({ localAddress: "::ffff:10.0.0.5", localPort: 40123, remotePort: 3000 });
    expect(ex).toBe("tcp port 3000 or (host 10.0.0.5 and tcp port 40123)");
    expect(filterWithExclusions("", ex)).toBe(`not (${ex})`);
    expect(filterWithExclusions("icmp or tcp", ex)).toBe(`(icmp or tcp) and not (${ex})`);
  });

  it("passes the filter as one argv element, after -f, whatever it holds", () => {
    const params = {
      ns: "blue",
      link: null,
      filter: "",
      snaplen: 100,
      maxSeconds: 5,
      maxBytes: 1 << 20,
      maxPackets: 3,
    };
    const argv = captureArgv(params, { via: "name", name: "blue", inode: 7 }, "tcp port 80; rm -rf / $(id)");
    expect(argv).toEqual([
      "nsenter",
      "--net=/run/netns/blue",
      "dumpcap",
      "-q",
      "-i",
      "any",
      "-f",
      "tcp port 80; rm -rf / $(id)",
      "-s",
      "100",
      "-B",
      "32",
      "-a",
      "duration:5",
      "-c",
      "3",
      "-w",
      "-",
    ]);
  });
});
