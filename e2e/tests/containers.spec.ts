import {
  busyboxImageArchive,
  busyboxRootfs,
  type EngineDaemon,
  runKubeletPod,
  startContainerd,
  startDockerd,
  World,
} from "@nsatlas/test-world";
import { expect, type Page, test } from "@playwright/test";
import { shot } from "../support/artifacts";
import { localHostId, logIn } from "../support/login";
import { E2E_ADMIN_TOKEN, type E2eServer, startE2eServer } from "../support/server";

// Stacks named after what runs in them: a dockerd and a containerd of our own, a Docker
// container with a second one in its network, and a kubelet-labelled pod in containerd's
// k8s.io; the dashboard's local agent is pointed at both engines' sockets.
const world = new World();
let dockerd: EngineDaemon;
let containerd: EngineDaemon;
let server: E2eServer;
const web1 = `${world.prefix}web1`;
const web2 = `${world.prefix}web2`;
const podName = `${world.prefix}-web-0`;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dockerd = await startDockerd(world.prefix);
  containerd = await startContainerd(world.prefix);
  const image = `${world.prefix}-busybox:1`;
  dockerd.cli(["import", busyboxRootfs(dockerd.dir), image]);
  dockerd.cli(["run", "-d", "--name", web1, image, "sleep", "1000"]);
  dockerd.cli(["run", "-d", "--name", web2, "--network", `container:${web1}`, image, "sleep", "1000"]);
  const ref = `docker.io/library/${world.prefix}-busybox:1`;
  containerd.cli(["-n", "k8s.io", "images", "import", busyboxImageArchive(containerd.dir, ref)]);
  runKubeletPod(containerd, ref, { name: podName, namespace: "shop", uid: "6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f" }, [
    "web",
  ]);
  server = await startE2eServer({
    NSATLAS_LOCAL_AGENT_ARGS: `--interval 250ms --docker-socket ${dockerd.socket} --containerd-socket ${containerd.socket}`,
  });
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  await server?.stop();
  await containerd?.stop();
  await dockerd?.stop();
  await world.cleanup();
});

const card = (page: Page, name: string) =>
  page.locator('[data-testid="stack-card"]', { has: page.getByRole("heading", { name, exact: true }) });

test("stacks are named after their containers and their pod, grouped and filtered by them", async ({ browser }) => {
  const page = await (
    await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } })
  ).newPage();
  await logIn(page);
  // Our server has just started: its local agent connects after its first scan.
  await expect.poll(() => localHostId(page).catch(() => null), { timeout: 60_000 }).not.toBeNull();
  const base = `/hosts/${encodeURIComponent(await localHostId(page))}`;
  await page.goto(`${base}/stacks`);

  const docker = card(page, `${web1}, ${web2}`);
  await expect(docker).toBeVisible();
  await expect(docker.getByText(`container ${web1}`)).toBeVisible();
  const pod = card(page, `shop/${podName}`);
  await expect(pod).toBeVisible();
  await expect(pod.getByText(`pod shop/${podName}`)).toBeVisible();
  // The inode stays visible next to the name.
  await expect(pod.getByText(/^net:\d+$/)).toBeVisible();

  await page.goto(`${base}/stacks?pod=${encodeURIComponent(`shop/${podName}`)}`);
  await expect(page.getByTestId("stack-card")).toHaveCount(1);
  await expect(card(page, `shop/${podName}`)).toBeVisible();
  await page.goto(`${base}/stacks?container=${web2}`);
  await expect(page.getByTestId("stack-card")).toHaveCount(1);
  await expect(card(page, `${web1}, ${web2}`)).toBeVisible();

  await page.goto(`${base}/stacks?image=${world.prefix}-busybox`);
  await expect(page.getByTestId("stack-card")).toHaveCount(2);
  for (const [w, h] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const theme of ["light", "dark"]) {
      const dark = /\bdark\b/.test((await page.locator("html").getAttribute("class")) ?? "");
      if (dark !== (theme === "dark")) await page.getByRole("button", { name: "Toggle dark theme" }).click();
      await shot(page, `containers-${w}x${h}-${theme}`);
    }
  }

  const search = await page.request.get(`/api/v1/search?q=${web1}`, {
    headers: { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
  });
  const { matches } = (await search.json()) as { matches: Array<{ kind: string; container?: { name: string } }> };
  expect(matches.filter((m) => m.kind === "container").map((m) => m.container?.name)).toEqual([web1]);
});
