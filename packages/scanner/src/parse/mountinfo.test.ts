import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProcParseError } from "../errors.js";
import { type MountEntry, parseMountinfo, parseMountinfoLine } from "./mountinfo.js";

/** What show_mountinfo() does to paths: mangle " \t\n\\" as 3-digit octal escapes. */
function mangle(path: string): string {
  return path.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`);
}

interface Line extends MountEntry {
  parentId: number;
  optional: string[];
  source: string;
}

function mountinfoLine(m: Line): string {
  const optional = m.optional.map((o) => ` ${o}`).join("");
  return `${m.mountId} ${m.parentId} 0:42 ${mangle(m.root)} ${mangle(m.mountPoint)} rw,relatime${optional} - ${m.fsType} ${mangle(m.source)} rw`;
}

// Paths hold anything but NUL; the characters the kernel escapes and digits (to look like escapes) are likely.
const pathUnit = fc.oneof(
  fc.constantFrom(" ", "\t", "\n", "\\", "0", "4", "-", " - ", "/", "\\040", "net:[4026532177]"),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) => c !== "\0"),
);
// Mount points and roots are absolute (seq_path_root, dentry_path), so no field is a lone "-"
// that could pass for the separator; an nsfs root is the namespace name instead.
const path = fc.string({ unit: pathUnit, maxLength: 12 }).map((s) => `/${s}`);
const root = fc.oneof(path, fc.constantFrom("net:[4026532177]", "mnt:[4026531841]"));
const line: fc.Arbitrary<Line> = fc.record({
  mountId: fc.nat({ max: 1_000_000 }),
  parentId: fc.nat({ max: 1_000_000 }),
  root,
  mountPoint: path,
  fsType: fc.stringMatching(/^[a-z0-9][a-z0-9_.]{0,15}$/),
  optional: fc.array(fc.constantFrom("shared:1", "master:12", "propagate_from:3", "unbindable"), { maxLength: 3 }),
  source: fc.string({ unit: pathUnit, minLength: 1, maxLength: 12 }),
});
const entryOf = (m: Line): MountEntry => ({
  mountId: m.mountId,
  root: m.root,
  mountPoint: m.mountPoint,
  fsType: m.fsType,
});

describe("parseMountinfoLine", () => {
  it("reads mount id, root, mount point and fs type; optional fields end at ' - '", () => {
    expect(
      parseMountinfoLine("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue"),
    ).toEqual({ mountId: 36, root: "/mnt1", mountPoint: "/mnt2", fsType: "ext3" });
    expect(parseMountinfoLine("22 27 0:21 / /proc rw,relatime - proc proc rw")).toEqual({
      mountId: 22,
      root: "/",
      mountPoint: "/proc",
      fsType: "proc",
    });
  });

  it("gives the namespace as the root of an nsfs bind mount", () => {
    const m = parseMountinfoLine("612 29 0:4 net:[4026532177] /run/netns/blue rw shared:303 - nsfs nsfs rw");
    expect(m).toEqual({ mountId: 612, root: "net:[4026532177]", mountPoint: "/run/netns/blue", fsType: "nsfs" });
  });

  it("undoes the octal escapes for space, tab, newline and backslash", () => {
    const m = parseMountinfoLine(String.raw`40 1 0:4 / /var/lib/my\040pins/a\011b\012c\134d rw - nsfs nsfs rw`);
    expect(m.mountPoint).toBe("/var/lib/my pins/a\tb\nc\\d");
    // An escaped backslash followed by digits is a backslash and digits, not a second escape.
    expect(parseMountinfoLine(String.raw`40 1 0:4 / /a\134040 rw - tmpfs t rw`).mountPoint).toBe("/a\\040");
  });

  it.each([
    ["no ' - ' separator", "36 35 98:0 /mnt1 /mnt2 rw,noatime ext3 /dev/root rw"],
    ["a non-numeric mount id", "x 35 98:0 / /mnt rw - ext3 /dev/root rw"],
    ["no mount point", "36 35 98:0 / - ext3 /dev/root rw"],
    ["no fs type", "36 35 98:0 / /mnt rw - "],
    ["an empty line", ""],
  ])("rejects a line with %s", (_, text) => {
    expect(() => parseMountinfoLine(text)).toThrow(ProcParseError);
  });

  it("round-trips generated lines with escaped spaces, tabs, newlines and backslashes in paths", () => {
    fc.assert(
      fc.property(line, (m) => {
        expect(parseMountinfoLine(mountinfoLine(m))).toEqual(entryOf(m));
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws anything but ProcParseError on arbitrary or mutated lines", () => {
    const mutated = fc
      .tuple(line, fc.nat(), fc.nat(), fc.constantFrom("", " ", "  ", " - ", "\\", "\\0"))
      .map(([m, a, b, s]) => {
        const text = mountinfoLine(m);
        const cut = a % (text.length + 1);
        return text.slice(0, cut) + s + text.slice(cut + (b % 3));
      });
    const anyText = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.string({ unit: fc.constantFrom(" ", " - ", "-", "1", "\\", "\\040", "/") }),
      mutated,
    );
    fc.assert(
      fc.property(anyText, (text) => {
        try {
          const m = parseMountinfoLine(text);
          expect(Number.isInteger(m.mountId)).toBe(true);
          expect(m.fsType).not.toBe("");
        } catch (err) {
          if (!(err instanceof ProcParseError && err.file === "mountinfo")) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("parseMountinfo", () => {
  it("keeps the good entries and turns malformed lines into errors", () => {
    const text = "22 27 0:21 / /proc rw - proc proc rw\ngarbage\n\n23 27 0:22 / /sys rw - sysfs sysfs rw\n";
    const { entries, errors } = parseMountinfo(text);
    expect(entries.map((e) => e.mountPoint)).toEqual(["/proc", "/sys"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ProcParseError);
  });

  it("gives one entry per good line and one error per bad line, in order", () => {
    const bad = fc.string({ minLength: 1 }).filter((s) => !s.includes("\n") && !s.includes(" - "));
    const item = fc.oneof(
      line.map((m) => ({ good: m })),
      bad.map((b) => ({ bad: b })),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 10 }), (items) => {
        const text = items.map((i) => ("good" in i ? mountinfoLine(i.good) : i.bad)).join("\n");
        const { entries, errors } = parseMountinfo(`${text}\n`);
        expect(entries).toEqual(items.flatMap((i) => ("good" in i ? [entryOf(i.good)] : [])));
        expect(errors).toHaveLength(items.filter((i) => "bad" in i).length);
      }),
      { numRuns: 500 },
    );
  });
});
