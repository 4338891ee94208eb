import { defineConfig } from "@playwright/test";
import { CHROMIUM_LAUNCH } from "./chromium-launch.mjs";

// Debian's Chromium, never a downloaded browser (there is no internet here); one worker,
// because the journeys make real namespaces on this host.
export default defineConfig({
  testDir: "tests",
  outputDir: "test-results",
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  globalSetup: "./support/global-setup.ts",
  reporter: [["list"]],
  use: {
    baseURL: process.env.NSATLAS_E2E_URL,
    viewport: { width: 1280, height: 900 },
    screenshot: "only-on-failure",
    launchOptions: CHROMIUM_LAUNCH,
  },
});
