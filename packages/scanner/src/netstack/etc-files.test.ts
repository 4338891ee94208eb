import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ETC_FILE_CAP, readEtcNetns } from "./etc-files.js";

const root = mkdtempSync(join(tmpdir(), "nsatlas-etc-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("readEtcNetns", () => {
  mkdirSync(join(root, "blue", "sub"), { recursive: true });
  writeFileSync(join(root, "blue", "resolv.conf"), "nameserver 10.53.0.1\n");
  writeFileSync(join(root, "blue", "big"), "x".repeat(ETC_FILE_CAP + 10));
  symlinkSync("/nonexistent", join(root, "blue", "dangling"));
  mkdirSync(join(root, "green"));
  writeFileSync(join(root, "green", "hosts"), "127.0.0.1 green\n");

  it("reads regular files, cut at 64 KiB with a warning", () => {
    const r = readEtcNetns(root, ["blue"]);
    expect(Object.keys(r.files)).toEqual(["big", "resolv.conf"]);
    expect(r.files["resolv.conf"]).toBe("nameserver 10.53.0.1\n");
    expect(r.files.big?.length).toBe(ETC_FILE_CAP);
    expect(r.warnings).toEqual([`${root}/blue/big: larger than 64 KiB, cut to the first 64 KiB`]);
  });

  it("takes the first name that has a directory; none is no files and no warning", () => {
    expect(readEtcNetns(root, ["absent", "green", "blue"]).files).toEqual({ hosts: "127.0.0.1 green\n" });
    expect(readEtcNetns(root, ["absent"])).toEqual({ files: {}, warnings: [] });
    expect(readEtcNetns(root, [])).toEqual({ files: {}, warnings: [] });
  });
});
