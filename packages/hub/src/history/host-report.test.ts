import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AuditLog } from "../audit/audit-log.js";
import { loadOrCreateSigningKey } from "../audit/audit-signing.js";
import { openDatabase } from "../database.js";
import { HistoryStore } from "./history-store.js";
import { buildHostReport, hostReportCsv } from "./host-report.js";

describe("buildHostReport", () => {
  it("names the signed checkpoint of the chain that holds its audit rows", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nsatlas-report-"));
    try {
      const db = openDatabase(":memory:");
      const { signer } = loadOrCreateSigningKey(join(dir, "k"), join(dir, "k.pub"), 0);
      const audit = new AuditLog(db, { key: Buffer.alloc(32, 2), anchorPath: null, signer });
      audit.append({ actor: "op", action: "netns.create", target: { host: "h1" }, result: "succeeded" });
      audit.append({ actor: "op", action: "netns.delete", target: { host: "h2" }, result: "succeeded" });
      const report = await buildHostReport(
        new HistoryStore(db, { retentionMs: 86_400_000, maxRowsPerHost: 1000 }),
        audit,
        "h1",
        0,
        Date.now() + 1000,
      );
      expect(report.actions.map((a) => a.seq)).toEqual([1]);
      expect(report.checkpoint).toMatchObject({ keyId: signer.info.keyId, seq: 2, digest: audit.head()?.digest });
      expect(hostReportCsv(report)).toMatch(/\r\ncheckpoint,[^,]+,audit,seq 2,[0-9a-f]{16},[0-9a-f]{64},signature /);
      const unsigned = new AuditLog(db, { key: Buffer.alloc(32, 2), anchorPath: null });
      expect(
        (
          await buildHostReport(
            new HistoryStore(db, { retentionMs: 86_400_000, maxRowsPerHost: 1000 }),
            unsigned,
            "h1",
            0,
            Date.now(),
          )
        ).checkpoint,
      ).toBeNull();
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
