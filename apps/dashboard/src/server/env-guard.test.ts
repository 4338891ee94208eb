import { describe, expect, it } from "vitest";
import { GUARD_DEFAULTS, loadSettings, parseSettingDuration, SettingsError } from "./env.js";

// Next's types make NODE_ENV a required key of ProcessEnv; these tests set only what they test.
const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;

describe("guard settings", () => {
  it("defaults to a writable dashboard, 5 min plans and 30 s action timeouts", () => {
    expect(loadSettings(env({})).guard).toEqual(GUARD_DEFAULTS);
    expect(GUARD_DEFAULTS).toMatchObject({ readOnly: false, planTtlMs: 300_000, actionTimeoutMs: 30_000 });
    expect(GUARD_DEFAULTS.auditCheckpointMs).toBe(60_000);
  });

  it("reads NSATLAS_READ_ONLY=1|true and refuses values it does not know (a typo must not leave it writable)", () => {
    expect(loadSettings(env({ NSATLAS_READ_ONLY: "1" })).guard?.readOnly).toBe(true);
    expect(loadSettings(env({ NSATLAS_READ_ONLY: "true" })).guard?.readOnly).toBe(true);
    expect(loadSettings(env({ NSATLAS_READ_ONLY: "0" })).guard?.readOnly).toBe(false);
    expect(() => loadSettings(env({ NSATLAS_READ_ONLY: "yes" }))).toThrow(SettingsError);
  });

  it("reads durations with units, a bare number as seconds", () => {
    const g = loadSettings(
      env({
        NSATLAS_PLAN_TTL: "90",
        NSATLAS_AUDIT_RETENTION: "365d",
        NSATLAS_AUDIT_CHECKPOINT: "5m",
        NSATLAS_HISTORY_RETENTION: "12h",
      }),
    ).guard;
    expect(g).toMatchObject({
      planTtlMs: 90_000,
      auditRetentionMs: 365 * 86_400_000,
      auditCheckpointMs: 300_000,
      historyRetentionMs: 12 * 3_600_000,
    });
    expect(parseSettingDuration("X", "250ms")).toBe(250);
    for (const bad of ["", "5 min", "-1s", "0s", "1w"])
      expect(() => parseSettingDuration("X", bad)).toThrow(SettingsError);
  });
});
