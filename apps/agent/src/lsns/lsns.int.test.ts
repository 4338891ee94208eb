import { spawnSync } from "node:child_process";
import { readlinkSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Compares `nsatlas-agent lsns` with util-linux's lsns on namespaces this file makes: for each
// namespace both list, the same rows, byte for byte. Other processes on the host come and go
// between the two runs, so only rows of our namespaces are compared, and the table forms
// (whose widths depend on every row) are run with `-p PID` to bound them to our processes.
const AGENT = fileURLToPath(new URL("../../bin/nsatlas-agent", import.meta.url));
const world = new World();
const inode = (pid: number, type: string) => Number(/\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/${type}`))?.[1]);

function run(cmd: string, args: readonly string[]): { out: string; err: string; status: number | null } {
  // A busy host lists thousands of namespaces: more than spawnSync's default 1 MiB.
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    env: { ...process.env, LANG: "C.UTF-8" },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { out: r.stdout, err: r.stderr, status: r.status };
}
const ours = (args: readonly string[]) => run(AGENT, ["lsns", ...args]);
const theirs = (args: readonly string[]) => run("lsns", args);

/** The NS inode a table or raw row starts with (after tree art, raw-escaped or not). */
function rowInode(line: string): number | null {
  // Raw rows escape the tree art byte by byte (\xe2\x94\x9c…), tables draw it.
  const bare = line.replace(/^(?:\\x[0-9a-f]{2})+/, "").replace(/^[\s│├└─|`-]+/, "");
  const m = /^(\d{10,})(?=\s|\\x20|$)/.exec(bare);
  return m ? Number(m[1]) : null;
}

interface JsonRow {
  ns?: number;
  pid?: number;
  children?: JsonRow[];
  [k: string]: unknown;
}
function flatten(rows: JsonRow[], parent: number | null, out: Map<number, { row: JsonRow; parent: number | null }>) {
  for (const r of rows) {
    const { children, ...rest } = r;
    const key = (r.ns ?? r.pid) as number;
    out.set(key, { row: rest, parent });
    flatten(children ?? [], key, out);
  }
  return out;
}

afterAll(() => world.cleanup());

describe("nsatlas-agent lsns against util-linux lsns", () => {
  let blue: { name: string; path: string };
  let inBlue: number[];
  let unnamedNet: number;
  let unshared: number;
  let userOwned: number;
  let userOwner: number;
  let mine: Set<number>;
  let blueNsid: number;
  const only: Record<string, number> = {};

  beforeAll(async () => {
    blue = world.netnsAdd("lsblue");
    world.run(["ip", "netns", "set", blue.name, "auto"]);
    const ids = world.run(["ip", "netns", "list-id"]);
    blueNsid = Number(new RegExp(`nsid (\\d+) \\(iproute2 netns name: ${blue.name}\\)`).exec(ids)?.[1]);
    inBlue = [];
    for (let i = 0; i < 2; i++)
      inBlue.push((await world.spawn(["nsenter", `--net=${blue.path}`, "sleep", "1000"], { comm: "sleep" })).pid);
    unnamedNet = (await world.spawn(["unshare", "--net", "sleep", "1000"], { comm: "sleep" })).pid;
    unshared = (
      await world.spawn(["unshare", "--uts", "--ipc", "--pid", "--fork", "--time", "--kill-child", "sleep", "1000"], {
        comm: "sleep",
        forkedChild: true,
      })
    ).pid;
    const owned = await world.spawn(
      ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child", "sleep", "1000"],
      { comm: "sleep", forkedChild: true },
    );
    userOwned = owned.pid;
    userOwner = owned.child.pid as number;

    // Stacks lsns cannot see: pinned in another mount namespace only, held by an fd, a
    // thread, a socket.
    const pin = `${world.tmpDir()}/pin`;
    world.run(["touch", pin]);
    const pinner = await world.spawn(
      ["unshare", "--mount", "--propagation", "private", "sh", "-c", `unshare --net=${pin} true && exec sleep 1000`],
      { comm: "sleep" },
    );
    only.pinned = Number(
      /\[(\d+)\]/.exec(
        world.run([
          "nsenter",
          "-t",
          String(pinner.pid),
          "-m",
          "--",
          "nsenter",
          `--net=${pin}`,
          "readlink",
          "/proc/self/ns/net",
        ]),
      )?.[1],
    );
    const gone = world.netnsAdd("lsgone");
    only.fd = Number(
      /\[(\d+)\]/.exec(world.run(["ip", "netns", "exec", gone.name, "readlink", "/proc/self/ns/net"]))?.[1],
    );
    await world.spawn(["bash", "-c", `exec 3<${gone.path}; exec sleep 1000`], { comm: "sleep" });
    world.run(["ip", "netns", "del", gone.name]);
    const holder = world.nsHolder();
    const th = world.netnsAdd("lsthr");
    only.thread = Number(
      /\[(\d+)\]/.exec(world.run(["ip", "netns", "exec", th.name, "readlink", "/proc/self/ns/net"]))?.[1],
    );
    await world.spawn([holder, "thread-net", th.path], { line: /^ready/ });
    world.run(["ip", "netns", "del", th.name]);
    const so = world.netnsAdd("lssock");
    only.socket = Number(
      /\[(\d+)\]/.exec(world.run(["ip", "netns", "exec", so.name, "readlink", "/proc/self/ns/net"]))?.[1],
    );
    await world.spawn([holder, "socket-net", so.path], { line: /^ready/ });
    world.run(["ip", "netns", "del", so.name]);

    mine = new Set([
      inode(inBlue[0] as number, "net"),
      inode(unnamedNet, "net"),
      ...["uts", "ipc", "pid", "time"].map((t) => inode(unshared, t)),
      inode(userOwned, "user"),
      inode(userOwned, "pid"),
    ]);
  });

  /** Rows of our namespaces in a table or raw output, in order. */
  const ourRows = (text: string) =>
    text.split("\n").filter((l) => {
      const n = rowInode(l);
      return n !== null && mine.has(n);
    });

  const tableForms: string[][] = [
    [],
    ["-l"],
    ["-n", "-l"],
    ["--output-all"],
    ["-o", "+PATH,PPID,UID,PNS,ONS"],
    ["-u"],
    ["-W"],
    ["-T"],
    ["-T", "-l"],
    ["-Tparent"],
    ["--tree=owner"],
    ["-Tprocess"],
    ["-t", "pid", "-t", "user"],
    // Owners and parents of a type -t leaves out: lsns shows them as rows without processes.
    ["-t", "net", "-T"],
    ["-t", "pid", "-T"],
    ["-t", "uts", "-Tparent", "-o", "+ONS"],
    ["-t", "net", "-o", "NS,TYPE,NETNSID,NSFS,PID"],
  ];
  const named = (forms: string[][]) => forms.map((f) => [f.join(" ") || "(no options)", f] as const);
  it.each(named(tableForms))("prints the rows lsns prints in the table form %s", (_, form) => {
    let compared = 0;
    for (const pid of [inBlue[0] as number, unnamedNet, unshared, userOwned]) {
      const args = [...form, "-p", String(pid)];
      const a = ours(args);
      const b = theirs(args);
      expect(a.status).toBe(0);
      expect(b.status).toBe(0);
      const header = (s: string) => (form.includes("-n") ? "" : (s.split("\n")[0] ?? ""));
      expect(header(a.out), args.join(" ")).toBe(header(b.out));
      expect(ourRows(a.out), args.join(" ")).toEqual(ourRows(b.out));
      compared += ourRows(a.out).length;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it.each(
    named([
      ["-r"],
      ["-r", "--output-all"],
      ["-r", "-n", "-T"],
      ["-r", "-Tparent"],
      ["-r", "-W", "-t", "net", "-o", "+NETNSID,NSFS"],
    ]),
  )("prints the raw rows lsns prints with %s, host-wide", (_, form) => {
    const a = ours(form);
    const b = theirs(form);
    // Host-wide, nsatlas also lists stacks lsns misses, which can be later siblings in a
    // namespace tree: a row's own branch may then be ├─ where lsns, ending there, draws └─.
    const ownBranch = (rows: string[]) =>
      form.some((f) => f.startsWith("-T"))
        ? rows.map((r) => r.replace(/\\xe2\\x94\\x94(\\xe2\\x94\\x80\d)/, "\\xe2\\x94\\x9c$1"))
        : rows;
    expect(ownBranch(ourRows(a.out))).toEqual(ownBranch(ourRows(b.out)));
    expect(ourRows(a.out).length).toBe(form.includes("-t") ? 2 : mine.size);
  });

  it.each(
    named([
      ["-J"],
      ["-J", "--output-all"],
      ["-J", "-T"],
      ["-J", "-Tparent"],
      ["-J", "-l"],
      ["-J", "-t", "net", "-o", "+NETNSID,NSFS"],
    ]),
  )("prints the JSON objects and tree lsns prints with %s", (_, form) => {
    const a = flatten((JSON.parse(ours(form).out) as { namespaces: JsonRow[] }).namespaces, null, new Map());
    const b = flatten((JSON.parse(theirs(form).out) as { namespaces: JsonRow[] }).namespaces, null, new Map());
    let compared = 0;
    for (const key of mine) {
      const ra = a.get(key);
      const rb = b.get(key);
      if (!rb) continue;
      compared++;
      expect(ra?.row, `${form.join(" ")} ${key}`).toEqual(rb.row);
      if (rb.parent !== null && mine.has(rb.parent)) expect(ra?.parent).toBe(rb.parent);
    }
    expect(compared).toBe(form.includes("-t") ? 2 : mine.size);
  });

  it("prints the same JSON text for one namespace's objects (types, key order, indentation)", () => {
    const ns = inode(userOwned, "pid");
    const slice = (s: string) => {
      const at = s.indexOf(`"ns": ${ns},`);
      return s.slice(s.lastIndexOf("{", at), s.indexOf("}", at) + 1);
    };
    expect(slice(ours(["-J", "--output-all"]).out)).toBe(slice(theirs(["-J", "--output-all"]).out));
  });

  it("lists one namespace's processes like `lsns <namespace>`, as a tree, list, raw and JSON", () => {
    const ns = String(inode(userOwned, "user"));
    for (const form of [[ns], [ns, "-l"], [ns, "-r"], [ns, "-J"], [ns, "-n", "-o", "PID,PPID,COMMAND,PATH"]]) {
      const a = ours(form);
      const b = theirs(form);
      expect(a.out, form.join(" ")).toBe(b.out);
    }
    expect(ours([ns]).out).toContain("└─sleep 1000");
    expect(ours([ns]).out).toContain(String(userOwner));
  });

  it("shows the nsid our stack gave the named stack (ip netns set), as lsns and ip netns list-id", () => {
    const a = ours(["-r", "-n", "-t", "net", "-o", "NS,NETNSID,NSFS"]).out;
    expect(a).toContain(`${inode(inBlue[0] as number, "net")} ${blueNsid} ${blue.path}\n`);
    expect(a).toContain(`${inode(unnamedNet, "net")} unassigned \n`);
  });

  it("also lists the stacks lsns misses: pinned in another mount namespace, fd-, thread- and socket-held", () => {
    const a = ours(["-J", "-t", "net", "-o", "NS,NPROCS,PID,HOLDERS,NAME,PATH"]).out;
    const rows = flatten((JSON.parse(a) as { namespaces: JsonRow[] }).namespaces, null, new Map());
    const b = flatten(
      (JSON.parse(theirs(["-J", "-t", "net"]).out) as { namespaces: JsonRow[] }).namespaces,
      null,
      new Map(),
    );
    expect(rows.get(only.pinned as number)?.row).toMatchObject({
      nprocs: 0,
      pid: null,
      holders: expect.stringMatching(/\b\d+ mount\b/),
    });
    expect(rows.get(only.fd as number)?.row).toMatchObject({ nprocs: 0, holders: expect.stringMatching(/\b\d+ fd\b/) });
    expect(rows.get(only.thread as number)?.row).toMatchObject({
      nprocs: 0,
      holders: expect.stringMatching(/\b\d+ thread\b/),
    });
    expect(rows.get(only.socket as number)?.row).toMatchObject({
      nprocs: 0,
      holders: expect.stringMatching(/\b\d+ socket\b/),
    });
    expect(String(rows.get(only.fd as number)?.row.name)).toMatch(/^unnamed \(fd 3 of pid \d+\)$/);
    for (const k of Object.values(only)) expect(b.has(k)).toBe(false);
    expect(rows.get(inode(inBlue[0] as number, "net"))?.row).toMatchObject({ nprocs: 2, name: blue.name });
    expect(String(rows.get(inode(unnamedNet, "net"))?.row.name)).toBe(`unnamed (pid ${unnamedNet} sleep)`);
  });

  it("-P lists only namespaces without processes: the held-elsewhere stacks, not ours with processes", () => {
    const rows = flatten((JSON.parse(ours(["-J", "-P"]).out) as { namespaces: JsonRow[] }).namespaces, null, new Map());
    for (const k of Object.values(only)) expect(rows.get(k)?.row.nprocs).toBe(0);
    for (const k of mine) expect(rows.has(k)).toBe(false);
    for (const { row } of rows.values()) expect(row.nprocs).toBe(0);
  });

  it.each([
    ['TYPE == "net" && NPROCS >= 2', (r: JsonRow) => r.type === "net" && Number(r.nprocs) >= 2],
    ["type eq 'pid' or TYPE EQ 'user'", (r: JsonRow) => r.type === "pid" || r.type === "user"],
    ["!(NPROCS > 1) && TYPE != 'net'", (r: JsonRow) => !(Number(r.nprocs) > 1) && r.type !== "net"],
    [
      'COMMAND =~ "^unshare " || NSFS =~ "lsblue$"',
      (r: JsonRow) => /^unshare /.test(String(r.command ?? "")) || /lsblue$/.test(String(r.nsfs ?? "")),
    ],
    [
      'TYPE !~ "^(net|user)$" and not PID lt 2',
      (r: JsonRow) => !/^(net|user)$/.test(String(r.type)) && !(Number(r.pid) < 2),
    ],
    ["NSFS", (r: JsonRow) => r.nsfs !== null],
  ])("-Q %s keeps exactly the rows the expression holds for", (expr, holds) => {
    const all = flatten(
      (JSON.parse(ours(["-J", "-l", "--output-all"]).out) as { namespaces: JsonRow[] }).namespaces,
      null,
      new Map(),
    );
    const kept = flatten(
      (JSON.parse(ours(["-J", "-l", "--output-all", "-Q", expr]).out) as { namespaces: JsonRow[] }).namespaces,
      null,
      new Map(),
    );
    const want = [...mine, ...Object.values(only)].filter((k) => all.has(k) && holds(all.get(k)?.row as JsonRow));
    const got = [...mine, ...Object.values(only)].filter((k) => kept.has(k));
    expect(got.sort()).toEqual(want.sort());
  });

  it.each(named([[], ["-u"], ["-T"], ["--output-all"], ["-o", "NS,COMMAND,TYPE"]]))(
    "fits a terminal of 60 columns as lsns does (%s)",
    (_, form) => {
      // script(1) gives both a terminal; lsns asks its width with TIOCGWINSZ.
      const tty = (cmd: string) =>
        run("script", ["-qec", `stty cols 60 rows 50; ${cmd} ${form.join(" ")} -p ${userOwned}`, "/dev/null"]).out;
      const a = tty(`${AGENT} lsns`);
      const b = tty("lsns");
      const rows = (s: string) => s.split("\r\n").filter((l) => l.startsWith("  ") || mine.has(rowInode(l) ?? 0));
      expect(rows(a)).toEqual(rows(b));
      expect(rows(a).length).toBeGreaterThan(0);
    },
  );

  it("takes the width from COLUMNS when the terminal reports none, as libsmartcols does", () => {
    const tty = (cmd: string) =>
      run("script", ["-qec", `stty cols 0 rows 0; COLUMNS=70 ${cmd} -p ${userOwned}`, "/dev/null"]).out;
    const a = tty(`${AGENT} lsns`).split("\r\n");
    const b = tty("lsns").split("\r\n");
    const ns = String(inode(userOwned, "user"));
    const row = (lines: string[]) => lines.find((l) => l.startsWith(ns));
    expect(row(a)).toBe(row(b));
    expect(row(a)?.length).toBe(70);
  });

  it("fails like lsns on bad input: message on stderr, exit 1, no stack trace", () => {
    for (const args of [
      ["--foo"],
      ["-x"],
      ["-o"],
      ["-o", "FOO"],
      ["-t", "foo"],
      ["-p", "abc"],
      ["-J", "-r"],
      ["-Tfoo"],
      ["abc"],
      ["1"],
    ]) {
      const a = ours(args);
      const b = theirs(args);
      expect(a.status, args.join(" ")).toBe(1);
      expect(b.status).toBe(1);
      expect(a.err.replaceAll("nsatlas-agent lsns", "lsns")).toBe(b.err);
      expect(a.out).toBe("");
    }
    const bad = ours(["-Q", "NS == (", "-Q", "FOO == 1"]);
    expect(bad.status).toBe(1);
    expect(bad.err).toMatch(/^nsatlas-agent lsns: failed to parse "NS == \(": /);
    expect(bad.err).not.toMatch(/\n\s+at /);
  });
});
