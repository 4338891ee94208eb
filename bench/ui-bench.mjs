// Dashboard figures measured in Debian's Chromium: JS of the first load of the stacks view,
// login to the first stack card, and `ip netns add` -> its card visible in an open page.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { CHROMIUM_LAUNCH } from "../e2e/chromium-launch.mjs";
import { percentile } from "./measure.mjs";
import { BENCH_ADMIN_TOKEN, startServerProcess } from "./server-process.mjs";
import { uiStacksBench } from "./ui-stacks.mjs";
import { uiWiringBench } from "./ui-wiring.mjs";

async function login(page, url) {
  await page.goto(`${url}/login`);
  await page.getByLabel("Access token").fill(BENCH_ADMIN_TOKEN);
  const t0 = performance.now();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator('[data-testid="stack-card"]').first().waitFor();
  return performance.now() - t0;
}

export async function uiBench() {
  const server = await startServerProcess();
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const prefix = `nsat${randomBytes(2).toString("hex")}`;
  try {
    // JS of a first load: a fresh browser context (empty cache), login, then the stacks view.
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const js = new Map();
    page.on("response", async (r) => {
      if (r.request().resourceType() !== "script") return;
      try {
        const body = await r.body();
        js.set(r.url(), {
          raw: body.length,
          gzip: gzipSync(body).length,
          encoding: r.headers()["content-encoding"] ?? "none",
        });
      } catch {
        // a redirect or aborted response has no body
      }
    });
    // Wait for the local agent's first inventory before timing anything.
    for (let i = 0; i < 300 && !(await server.get("/api/v1/hosts"))?.hosts?.[0]?.counts.processes; i++)
      await new Promise((r) => setTimeout(r, 100));
    const loginMs = [];
    loginMs.push(await login(page, server.url));
    const stacksUrl = page.url();
    const raw = [...js.values()].reduce((a, b) => a + b.raw, 0);
    const gz = [...js.values()].reduce((a, b) => a + b.gzip, 0);
    const enc = [...new Set([...js.values()].map((v) => v.encoding))].join(",");
    console.log(
      `JS for the first load of login + stacks view: ${js.size} files, ${(raw / 1024).toFixed(0)} KiB raw, ${(gz / 1024).toFixed(0)} KiB gzip (target <= 300 KB gzip; served with content-encoding: ${enc})`,
    );
    for (let i = 0; i < 4; i++) {
      const c = await browser.newContext();
      const p = await c.newPage();
      loginMs.push(await login(p, server.url));
      await c.close();
    }
    console.log(
      `login -> first stack card: median ${Math.round(percentile(loginMs, 50))} ms, max ${Math.round(Math.max(...loginMs))} ms over ${loginMs.length} logins (target <= 1500 ms)`,
    );

    // ip netns add -> its card visible in the open stacks page, 20 tries.
    await page.goto(stacksUrl);
    await page.locator('[data-testid="stack-card"]').first().waitFor();
    const seen = [];
    for (let i = 0; i < 20; i++) {
      const name = `${prefix}-ui${i}`;
      const card = page.locator(`[data-testid="stack-card"]:has(h3:text-is("${name}"))`);
      const t0 = performance.now();
      execFileSync("ip", ["netns", "add", name]);
      await card.waitFor({ timeout: 10_000 });
      seen.push(performance.now() - t0);
      execFileSync("ip", ["netns", "del", name]);
      await card.waitFor({ state: "detached", timeout: 10_000 });
    }
    console.log(
      `ip netns add -> card visible in an open page: p50 ${Math.round(percentile(seen, 50))} ms, p95 ${Math.round(percentile(seen, 95))} ms over ${seen.length} tries (target p95 <= 1000 ms)`,
    );

    await uiWiringBench(ctx, new URL(stacksUrl).href.replace(/\/stacks.*$/, ""));
  } finally {
    await browser.close();
    for (let i = 0; i < 20; i++) {
      try {
        execFileSync("ip", ["netns", "del", `${prefix}-ui${i}`], { stdio: "ignore" });
      } catch {
        // already deleted by the loop
      }
    }
    await server.stop();
  }
  await uiStacksBench();
}
