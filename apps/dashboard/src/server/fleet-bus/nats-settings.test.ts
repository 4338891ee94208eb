import { describe, expect, it } from "vitest";
import { loadSettings, SettingsError } from "../env.js";
import { natsSettingsFrom } from "./nats-settings.js";

const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;

describe("NSATLAS_NATS_* settings", () => {
  it("are off without NSATLAS_NATS_URL, and read every option with it", () => {
    expect(natsSettingsFrom(env({}))).toBeNull();
    expect(
      natsSettingsFrom(
        env({
          NSATLAS_NATS_URL: "tls://n1:4222, tls://n2:4222",
          NSATLAS_NATS_CREDS: "/etc/nats/x.creds",
          NSATLAS_NATS_CA: "/etc/nats/ca.pem",
          NSATLAS_NATS_CERT: "/etc/nats/c.pem",
          NSATLAS_NATS_KEY: "/etc/nats/k.pem",
          NSATLAS_NATS_PREFIX: "prod-eu",
        }),
      ),
    ).toEqual({
      servers: ["tls://n1:4222", "tls://n2:4222"],
      credsFile: "/etc/nats/x.creds",
      user: null,
      password: null,
      token: null,
      caFile: "/etc/nats/ca.pem",
      certFile: "/etc/nats/c.pem",
      keyFile: "/etc/nats/k.pem",
      prefix: "prod-eu",
    });
  });

  it("refuse to start (a SettingsError naming the variable) on what cannot work", () => {
    const bad: Record<string, string>[] = [
      { NSATLAS_NATS_URL: "http://n1:4222" },
      { NSATLAS_NATS_URL: "nats://n1:4222,not a url" },
      { NSATLAS_NATS_URL: "nats://n1:4222", NSATLAS_NATS_USER: "u" },
      { NSATLAS_NATS_URL: "nats://n1:4222", NSATLAS_NATS_CERT: "/c.pem" },
      { NSATLAS_NATS_URL: "nats://n1:4222", NSATLAS_NATS_PREFIX: "a.b" },
    ];
    for (const vars of bad) {
      expect(() => loadSettings(env(vars)), JSON.stringify(vars)).toThrow(SettingsError);
      expect(() => loadSettings(env(vars))).toThrow(/NSATLAS_NATS_/);
    }
  });
});
