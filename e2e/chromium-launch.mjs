// How Playwright starts Debian's Chromium here (shared by the e2e config and the UI bench):
// never a downloaded browser, no sandbox as root, and no background traffic to the network
// (there is none; Chromium would retry its update and sync hosts forever).
export const CHROMIUM_LAUNCH = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
};
