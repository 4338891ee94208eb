import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCmdline } from "./cmdline.js";

// An argument may hold anything but NUL, which the kernel uses to separate them.
const arg = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(" ", "\n", "=", "-", "\u00e9"),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    ),
  })
  .map((s) => s.replaceAll("\0", ""));

describe("parseCmdline", () => {
  it("splits NUL-separated, NUL-terminated argv", () => {
    expect(parseCmdline("sleep\u0000200\u0000")).toEqual(["sleep", "200"]);
    expect(parseCmdline("/usr/bin/env\u0000FOO=a b\u0000\u0000x\u0000")).toEqual(["/usr/bin/env", "FOO=a b", "", "x"]);
  });

  it("gives no argv for a kernel thread's empty cmdline", () => {
    expect(parseCmdline("")).toEqual([]);
  });

  it("keeps a rewritten argv that lacks the final NUL (setproctitle)", () => {
    expect(parseCmdline("nginx: master process /usr/sbin/nginx")).toEqual(["nginx: master process /usr/sbin/nginx"]);
    expect(parseCmdline("a\u0000b")).toEqual(["a", "b"]);
  });

  it("round-trips argv of non-empty strings joined and terminated by NUL", () => {
    fc.assert(
      fc.property(
        fc.array(
          arg.filter((s) => s !== ""),
          { minLength: 1, maxLength: 12 },
        ),
        (argv) => {
          expect(parseCmdline(`${argv.join("\0")}\0`)).toEqual(argv);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("round-trips any non-empty argv, empty arguments included", () => {
    fc.assert(
      fc.property(fc.array(arg, { minLength: 1, maxLength: 12 }), (argv) => {
        expect(parseCmdline(`${argv.join("\0")}\0`)).toEqual(argv);
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws, and joining the result back gives the text without its final NUL", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: fc.constantFrom("\0", "a", " ") })),
        (text) => {
          const argv = parseCmdline(text);
          expect(argv.join("\0")).toBe(text.endsWith("\0") ? text.slice(0, -1) : text);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
