import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readAuditKey, readSigningKey } from "@nsatlas/hub";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureOutput } from "../server/testing/captured-output.js";
import { run } from "./main.js";

let dir: string;
let out: string;
let err: string;

async function cli(env: Record<string, string>, ...argv: string[]): Promise<number> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const output = captureOutput();
  try {
    return await run(argv);
  } finally {
    output.restore();
    ({ out, err } = output.text);
    process.env = saved;
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nsatlas-keys-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("nsatlas with a shared database", () => {
  it("`audit keys DIR` makes the two key files every replica is given, owner-read-only, and keeps them", async () => {
    const keys = join(dir, "keys");
    expect(await cli({ NSATLAS_DATA_DIR: dir }, "audit", "keys", keys)).toBe(0);
    expect(out).toContain(`NSATLAS_AUDIT_KEY_FILE=${join(keys, "audit.key")}`);
    expect(out).toContain(`NSATLAS_AUDIT_SIGNING_KEY_FILE=${join(keys, "audit-signing.key")}`);
    expect(readAuditKey(join(keys, "audit.key"))).toHaveLength(32);
    const signer = readSigningKey(join(keys, "audit-signing.key"));
    for (const f of ["audit.key", "audit-signing.key"]) expect(statSync(join(keys, f)).mode & 0o777).toBe(0o400);
    const before = readFileSync(join(keys, "audit.key"), "utf8");
    expect(await cli({ NSATLAS_DATA_DIR: dir }, "audit", "keys", keys)).toBe(0);
    expect(readFileSync(join(keys, "audit.key"), "utf8")).toBe(before);
    expect(out).toContain(signer.info.keyId);
  });

  it("refuses NSATLAS_DATABASE_URL without the key files, and a URL that is not postgres://, with exit 2", async () => {
    const url = "postgres://nobody@127.0.0.1:1/nsatlas";
    expect(await cli({ NSATLAS_DATABASE_URL: url }, "token", "list")).toBe(2);
    expect(err).toMatch(/NSATLAS_AUDIT_KEY_FILE and NSATLAS_AUDIT_SIGNING_KEY_FILE/);
    expect(await cli({ NSATLAS_DATABASE_URL: "mysql://x/y" }, "audit", "verify")).toBe(2);
    expect(err).toMatch(/postgres:\/\//);
  });

  it("answers exit 2 with the database named (password hidden) when it cannot connect", async () => {
    const keys = join(dir, "keys");
    await cli({}, "audit", "keys", keys);
    const env = {
      NSATLAS_DATABASE_URL: "postgres://nobody:secret@127.0.0.1:1/nsatlas",
      NSATLAS_AUDIT_KEY_FILE: join(keys, "audit.key"),
      NSATLAS_AUDIT_SIGNING_KEY_FILE: join(keys, "audit-signing.key"),
    };
    expect(await cli(env, "token", "list")).toBe(2);
    expect(err).toMatch(/cannot open the database postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/nsatlas/);
    expect(err).not.toContain("secret");
  });
});
