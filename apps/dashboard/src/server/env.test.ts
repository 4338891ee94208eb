import { describe, expect, it } from "vitest";
import { loadSettings, SettingsError } from "./env.js";

const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;

/** The message of the SettingsError that loading `vars` throws. */
function refusal(vars: Record<string, string>): string {
  try {
    loadSettings(env(vars));
  } catch (err) {
    if (err instanceof SettingsError) return err.message;
    throw err;
  }
  throw new Error(`no SettingsError for ${JSON.stringify(vars)}`);
}

describe("loadSettings", () => {
  it("takes the defaults for unset and empty variables", () => {
    const s = loadSettings(env({ NSATLAS_HOST: "", NSATLAS_PORT: "" }));
    expect(s).toMatchObject({ host: "127.0.0.1", port: 3000, adminToken: null, localAgent: true, tls: null });
    expect(s.trustedProxies).toEqual([]);
    expect(s.logLevel).toBe("info");
  });

  it("names the variable in every refusal", () => {
    expect(refusal({ NSATLAS_PORT: "70000" })).toMatch(/^NSATLAS_PORT: /);
    expect(refusal({ NSATLAS_PORT: "http" })).toMatch(/^NSATLAS_PORT: must be a whole number/);
    expect(refusal({ NSATLAS_PLAN_TTL: "5 min" })).toMatch(/^NSATLAS_PLAN_TTL: must be a duration/);
    expect(refusal({ NSATLAS_ACTION_TIMEOUT: "0" })).toBe("NSATLAS_ACTION_TIMEOUT: must be more than zero");
    expect(refusal({ NSATLAS_HISTORY_MAX_ROWS: "10" })).toMatch(/^NSATLAS_HISTORY_MAX_ROWS: /);
    expect(refusal({ NSATLAS_READ_ONLY: "yes" })).toBe("NSATLAS_READ_ONLY: must be 1, true, 0 or false");
    expect(refusal({ NSATLAS_TRUSTED_PROXIES: "10.0.0.1, proxy" })).toBe(
      "NSATLAS_TRUSTED_PROXIES: must list IP addresses",
    );
    expect(refusal({ NSATLAS_LOG_LEVEL: "loud" })).toMatch(/^NSATLAS_LOG_LEVEL: /);
    expect(refusal({ NSATLAS_TLS_CERT: "/c.pem" })).toMatch(/NSATLAS_TLS_CERT and NSATLAS_TLS_KEY go together/);
  });

  it("lists every bad variable at once", () => {
    const m = refusal({ NSATLAS_PORT: "-1", NSATLAS_PLAN_TTL: "soon" });
    expect(m).toContain("NSATLAS_PORT: ");
    expect(m).toContain("NSATLAS_PLAN_TTL: ");
  });

  it("reads the one duration grammar, a bare number as seconds", () => {
    const g = loadSettings(env({ NSATLAS_ACTION_TIMEOUT: "45", NSATLAS_PLAN_TTL: "500ms" })).guard;
    expect(g).toMatchObject({ actionTimeoutMs: 45_000, planTtlMs: 500 });
  });
});
