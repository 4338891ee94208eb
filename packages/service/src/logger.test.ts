import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

function captured() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}

describe("createLogger", () => {
  it("writes one JSON object a line with level, time, name and msg", () => {
    const { lines, destination } = captured();
    createLogger({ name: "nsatlas-test", destination }).info({ hostId: "h1" }, "agent connected");
    const line = JSON.parse(lines[0] ?? "{}");
    expect(line).toMatchObject({ level: 30, name: "nsatlas-test", hostId: "h1", msg: "agent connected" });
    expect(typeof line.time).toBe("number");
  });

  it("never writes a token, secret, password, cookie or Authorization header passed as a field", () => {
    const { lines, destination } = captured();
    const log = createLogger({ name: "nsatlas-test", destination });
    const secret = "s3cret-value-0123456789";
    log.warn(
      { token: secret, agent: { secret }, headers: { authorization: `Bearer ${secret}`, cookie: secret } },
      "refused",
    );
    log.info({ req: { headers: { authorization: `Bearer ${secret}` } }, password: secret }, "request");
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).not.toContain(secret);
    expect(lines[0]).toContain("[redacted]");
  });

  it("writes nothing below its level", () => {
    const { lines, destination } = captured();
    const log = createLogger({ name: "nsatlas-test", level: "warn", destination });
    log.info("quiet");
    log.warn("loud");
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(["loud"]);
  });
});
