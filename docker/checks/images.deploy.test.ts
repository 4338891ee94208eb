import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditEvent, Inventory } from "@nsatlas/protocol";
import { type Spawned, World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, restClient } from "../../apps/dashboard/src/server/testing/rest-client.js";
import { composeCommand, composeFile, dockerRunArgs } from "./compose-run.js";
import { forwardContainerPort } from "./container-port.js";
import { DEPLOY_DIR, imageContract } from "./deploy-files.js";
import { type Dockerd, startDockerd } from "./dockerd.js";
import { standInBases } from "./stand-in-bases.js";

// The images built and run for real: a dockerd of the test's own (no bridge, no iptables),
// stand-in Node 24 base images made here (no registry is reachable), both Dockerfiles built
// with --network host, then the containers started with docker/compose.yaml's settings and
// checked from outside. Images, build cache and base tarballs are kept in CACHE between runs;
// nsatlas/agent:dev and nsatlas/dashboard:dev stay there for inspection.

const CACHE = join(process.env.NSATLAS_CI_CACHE ?? "/var/cache/nsatlas-ci", "deploy");
const ROOT = join(DEPLOY_DIR, "..");
const IMAGES = {
  agent: { file: "agent.Dockerfile", tags: ["nsatlas-agent:local", "nsatlas/agent:dev"] },
  dashboard: { file: "dashboard.Dockerfile", tags: ["nsatlas-dashboard:local", "nsatlas/dashboard:dev"] },
} as const;
const HEALTH_TIMEOUT_MS = 120_000;

const world = new World();
const AGENT_ID = `${world.prefix}-host`;
let dockerd: Dockerd;
const containers: string[] = [];
const volumes: string[] = [];
const stopForwarders: Array<() => void> = [];
const started = Date.now();
const log = (what: string) => console.log(`[deploy ${((Date.now() - started) / 1000).toFixed(0)} s] ${what}`);

const docker = (args: readonly string[], timeoutMs?: number) => dockerd.docker(args, { timeoutMs });
const inspect = async (what: string, format: string) => (await docker(["inspect", "--format", format, what])).trim();

async function build(app: keyof typeof IMAGES, bases: { build: string; runtime: string }) {
  const { file, tags } = IMAGES[app];
  const t = Date.now();
  await docker(
    [
      ...["build", "--force-rm", "--network", "host", "-f", join(DEPLOY_DIR, file)],
      ...["--build-arg", `NODE_BUILD_IMAGE=${bases.build}`, "--build-arg", `NODE_RUNTIME_IMAGE=${bases.runtime}`],
      ...tags.flatMap((tag) => ["-t", tag]),
      ROOT,
    ],
    30 * 60_000,
  );
  log(`built ${tags.join(", ")} in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}

/** Starts a compose service as a container of this test (name and volumes carry its prefix). */
async function runService(
  service: "dashboard" | "agent",
  network: string[],
  o: { suffix: string; env?: Record<string, string>; secretsDir?: string; composeEnv?: Record<string, string> },
): Promise<string> {
  const compose = composeFile({ NSATLAS_AGENT_ID: AGENT_ID, ...o.composeEnv });
  const name = `${world.prefix}-${o.suffix}`;
  const project = `${world.prefix}${o.suffix}`;
  const args = dockerRunArgs(compose, service, { project, secretsDir: o.secretsDir, env: o.env });
  for (const v of args.filter((a) => a.startsWith(`${project}_`))) volumes.push(v.split(":")[0] ?? "");
  containers.push(name);
  const image = IMAGES[service].tags[0];
  await docker(["run", "-d", "--name", name, ...network, ...args, image, ...composeCommand(compose, service)]);
  return name;
}

const health = (name: string) => inspect(name, "{{if .State.Health}}{{.State.Health.Status}}{{end}}");
/** The status and the output of the last probes, for a failure message. */
const healthLog = (name: string) => inspect(name, "{{json .State.Health}}");
/** Waits until Docker says healthy (probes run every 15-30 s: polled once a second). */
async function healthy(name: string): Promise<boolean> {
  const until = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < until) {
    const status = await health(name);
    if (status === "healthy") return true;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return false;
}

/** The admin token the dashboard prints once on its first start (docker logs). */
async function adminToken(name: string): Promise<string> {
  let token = "";
  await eventually(async () => {
    token = /#token=(\S+)/.exec(await docker(["logs", name]))?.[1] ?? "";
    return token !== "";
  }, 60_000);
  if (!token) throw new Error(`${name} printed no admin token: ${await docker(["logs", name])}`);
  return token;
}

async function reach(name: string): Promise<string> {
  const pid = Number(await inspect(name, "{{.State.Pid}}"));
  const port = await forwardContainerPort(pid, 3000, world.tmpDir());
  stopForwarders.push(port.close);
  return port.url;
}

beforeAll(async () => {
  // Fails the file, with dockerd's own words, when Docker cannot run here: never skipped.
  dockerd = await startDockerd(CACHE);
  log(`dockerd up (storage driver ${dockerd.storageDriver})`);
  // Containers a killed earlier run left in this daemon (only this test's are in it).
  const stale = (await docker(["ps", "-aq", "--filter", "name=^nsat"])).split("\n").filter(Boolean);
  if (stale.length > 0) await docker(["rm", "-f", "-v", ...stale]);
  const bases = await standInBases(dockerd, join(CACHE, "bases"));
  log(`stand-in bases ${bases.build}, ${bases.runtime}`);
  await build("agent", bases);
  await build("dashboard", bases);
  console.log(await docker(["image", "ls", "--filter", "reference=nsatlas*/*", "--filter", "reference=nsatlas-*"]));
});

afterAll(async () => {
  for (const stop of stopForwarders) stop();
  if (dockerd) {
    if (containers.length > 0) await docker(["rm", "-f", ...containers]).catch(() => "");
    if (volumes.length > 0) await docker(["volume", "rm", "-f", ...volumes]).catch(() => "");
    await dockerd.stop();
  }
  await world.cleanup();
  log("done");
});

describe("the images", () => {
  it("are built from Node 24 bases and tagged as compose names them, and as nsatlas/*:dev", async () => {
    for (const { tags } of Object.values(IMAGES)) {
      const ids = await Promise.all(tags.map((t) => inspect(t, "{{.Id}}")));
      expect(new Set(ids).size, tags.join(" ")).toBe(1);
    }
    const version = await docker([
      "run",
      "--rm",
      "--network",
      "none",
      "--entrypoint",
      "node",
      IMAGES.agent.tags[0],
      "-v",
    ]);
    expect(version.trim()).toMatch(/^v24\./);
  });

  it("start as their Dockerfiles say: entrypoint, command, user, working directory, volumes", async () => {
    for (const { file, tags } of Object.values(IMAGES)) {
      const config = JSON.parse(await inspect(tags[0], "{{json .Config}}")) as {
        Entrypoint: string[] | null;
        Cmd: string[] | null;
        User: string;
        WorkingDir: string;
        Volumes: Record<string, object> | null;
        Healthcheck: { Test: string[] } | null;
      };
      const want = imageContract(file);
      expect(config.Entrypoint, file).toEqual(want.entrypoint);
      expect(config.Cmd, file).toEqual(want.cmd);
      expect(config.User, file).toBe(want.user ?? "");
      if (want.workdir) expect(config.WorkingDir, file).toBe(want.workdir);
      expect(Object.keys(config.Volumes ?? {}), file).toEqual(want.volumes);
      expect(config.Healthcheck?.Test[0], file).toBe("CMD");
    }
  });

  it("carry no compiler, no build tools and no dev dependencies", async () => {
    const absent = [
      ...["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/make", "/usr/bin/python3"],
      ...[
        "/app/node_modules/typescript",
        "/app/node_modules/vitest",
        "/app/node_modules/@biomejs",
        "/app/node_modules/turbo",
      ],
      "/app/packages/native/native",
    ];
    for (const { tags } of Object.values(IMAGES)) {
      const found = await docker([
        ...["run", "--rm", "--network", "none", "--entrypoint", "node", tags[0], "-e"],
        `for (const p of ${JSON.stringify(absent)}) if (require("node:fs").existsSync(p)) console.log(p)`,
      ]);
      expect(found.trim(), tags[0]).toBe("");
    }
  });
});

describe("run as docker/compose.yaml describes (docker run with its settings, no bridge)", () => {
  let dashboard = "";
  let agent = "";
  let url = "";
  let admin = "";
  let sleeper: Spawned;
  let call: ReturnType<typeof restClient>;
  const inventory = async () => {
    const r = await call<Inventory>("GET", `/api/v1/hosts/${AGENT_ID}/inventory`, admin);
    return r.status === 200 ? r.body : null;
  };
  const seen = (check: (inv: Inventory) => boolean) =>
    eventually(async () => {
      const inv = await inventory();
      return inv !== null && check(inv);
    }, 30_000);

  beforeAll(async () => {
    // rshared needs /run/netns to be a shared mount, which `ip netns add` makes it on a fresh
    // host (it bind-mounts the directory onto itself, shared). The README says the same.
    world.netnsAdd("prime");
    const netnsMount = readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .find((l) => l.split(" ")[4] === "/run/netns");
    expect(netnsMount, "/run/netns is a mount point").toBeDefined();
    expect(netnsMount, "/run/netns is a shared mount").toMatch(/ shared:\d+/);
    sleeper = await world.spawn(["sleep", "600"], { comm: "sleep" });

    // The dashboard: no bridge here, so its own network namespace with only loopback (the
    // agent joins it, where "dashboard" resolves to 127.0.0.1, as on compose's network).
    dashboard = await runService("dashboard", ["--network", "none", "--add-host", "dashboard:127.0.0.1"], {
      suffix: "dashboard",
    });
    url = await reach(dashboard);
    call = restClient(url);
    admin = await adminToken(dashboard);
    // compose.yaml's own steps: an agent token made inside the dashboard, a metrics token.
    const secrets = world.tmpDir();
    const token = await docker([
      ...["exec", dashboard, "node", "/app/apps/dashboard/bin/nsatlas"],
      ...["token", "create", "--role", "agent", "--name", AGENT_ID],
    ]);
    writeFileSync(join(secrets, "agent.token"), token, { mode: 0o600 });
    writeFileSync(join(secrets, "metrics.token"), randomBytes(24).toString("hex"), { mode: 0o600 });
    // depends_on: dashboard healthy.
    expect(await healthy(dashboard), await healthLog(dashboard)).toBe(true);
    agent = await runService("agent", ["--network", `container:${dashboard}`], {
      suffix: "agent",
      secretsDir: secrets,
    });
    log("containers started");
  });

  it("the dashboard serves the login page and the API, and accepts the containerised agent", async () => {
    const login = await fetch(`${url}/login`);
    expect(login.status).toBe(200);
    expect(login.headers.get("content-type")).toMatch(/^text\/html/);
    expect((await call("GET", "/api/v1/hosts", "not-a-token")).status).toBe(401);
    const connected = async () => {
      const r = await call<{ hosts: Array<{ id: string; connected: boolean }> }>("GET", "/api/v1/hosts", admin);
      return r.body.hosts?.some((h) => h.id === AGENT_ID && h.connected) ?? false;
    };
    expect(await eventually(connected, 60_000), await docker(["logs", agent])).toBe(true);
  });

  it("the agent reports this host's processes: a sleep the test started, by pid", async () => {
    expect(await seen((inv) => inv.processes.some((p) => p.pid === sleeper.pid && p.comm === "sleep"))).toBe(true);
  });

  it("the agent finds its own container by cgroup id", async () => {
    const pid = Number(await inspect(agent, "{{.State.Pid}}"));
    const id = await inspect(agent, "{{.Id}}");
    expect(await seen((inv) => inv.processes.some((p) => p.pid === pid))).toBe(true);
    const own = (await inventory())?.processes.find((p) => p.pid === pid);
    expect(own?.container).toMatchObject({ runtime: "docker", id });
  });

  it("the agent sees a stack added with ip netns add after it started (mount propagation)", async () => {
    const { name } = world.netnsAdd("late");
    expect(await seen((inv) => inv.namespaces.some((n) => n.type === "net" && n.names.includes(name)))).toBe(true);
  });

  it("a guarded netns.create through the dashboard's REST API makes the stack on the host", async () => {
    const name = world.name("act");
    world.defer(() => world.run(["ip", "netns", "del", name]));
    const plan = await call<{ planId: string; confirm: string }>("POST", `/api/v1/hosts/${AGENT_ID}/actions`, admin, {
      type: "netns.create",
      params: { name },
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    const done = await call<{ error: unknown }>("POST", `/api/v1/actions/${plan.body.planId}/confirm`, admin, {
      confirm: plan.body.confirm,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.error).toBeNull();
    expect(
      world
        .run(["ip", "netns", "list"])
        .split("\n")
        .map((l) => l.split(" ")[0]),
    ).toContain(name);
    expect(await seen((inv) => inv.namespaces.some((n) => n.type === "net" && n.names.includes(name)))).toBe(true);
  });

  it(
    "both pass their health checks",
    async () => {
      expect(await healthy(dashboard), await healthLog(dashboard)).toBe(true);
      expect(await healthy(agent), await healthLog(agent)).toBe(true);
    },
    HEALTH_TIMEOUT_MS * 2,
  );
});

describe("the read-only variant (NSATLAS_READ_ONLY=1 docker compose up)", () => {
  it(
    "refuses a netns.create with 403 and an audit row, and is healthy",
    async () => {
      const ro = await runService("dashboard", ["--network", "none"], {
        suffix: "ro",
        composeEnv: { NSATLAS_READ_ONLY: "1" },
      });
      const call = restClient(await reach(ro));
      const admin = await adminToken(ro);
      const name = world.name("ro");
      const r = await call("POST", `/api/v1/hosts/${AGENT_ID}/actions`, admin, {
        type: "netns.create",
        params: { name },
      });
      expect(r).toMatchObject({ status: 403, body: { error: { code: "READ_ONLY_DASHBOARD" } } });
      const audit = await call<{ events: AuditEvent[] }>("GET", "/api/v1/audit?limit=100", admin);
      expect(audit.body.events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: "POST /api/v1/hosts/{id}/actions", result: "denied" }),
        ]),
      );
      expect(
        world
          .run(["ip", "netns", "list"])
          .split("\n")
          .map((l) => l.split(" ")[0]),
      ).not.toContain(name);
      expect(await healthy(ro), await healthLog(ro)).toBe(true);
    },
    HEALTH_TIMEOUT_MS * 2,
  );
});
