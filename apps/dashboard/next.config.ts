import type { NextConfig } from "next";

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The custom server (src/server) serves Next; no telemetry, no image optimisation service.
  images: { unoptimized: true },
};

export default config;
