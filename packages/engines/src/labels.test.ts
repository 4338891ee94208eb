import { CONTAINER_LABEL_LIMITS } from "@nsatlas/protocol/ids";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capLabels, composeFromLabels, podFromLabels } from "./labels.js";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

describe("capLabels", () => {
  it("keeps at most 64 labels, keys ≤ 128 bytes and values ≤ 256 bytes, for any labels", () => {
    const dict = fc.dictionary(fc.string({ maxLength: 200 }), fc.string({ unit: "grapheme", maxLength: 400 }), {
      maxKeys: 120,
    });
    fc.assert(
      fc.property(dict, dict, (labels, annotations) => {
        const out = capLabels(labels, annotations);
        const keys = Object.keys(out);
        expect(keys.length).toBeLessThanOrEqual(CONTAINER_LABEL_LIMITS.count);
        for (const k of keys) {
          expect(bytes(k)).toBeLessThanOrEqual(CONTAINER_LABEL_LIMITS.keyBytes);
          expect(bytes(out[k] ?? "")).toBeLessThanOrEqual(CONTAINER_LABEL_LIMITS.valueBytes);
          // A cut value is a prefix of the original, never a broken character.
          const original = Object.hasOwn(labels, k) ? labels[k] : annotations[k];
          expect(original?.startsWith(out[k] ?? "")).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("keeps only io.kubernetes.* annotations and never last-applied-configuration", () => {
    const out = capLabels(
      { app: "web", "kubectl.kubernetes.io/last-applied-configuration": "{secret}" },
      {
        "io.kubernetes.pod.name": "web-0",
        "io.kubernetes.cri.sandbox-id": "abc",
        "example.com/token": "s3cr3t",
        "io.kubernetes.last-applied-configuration": "{secret}",
      },
    );
    expect(out).toEqual({ app: "web", "io.kubernetes.cri.sandbox-id": "abc", "io.kubernetes.pod.name": "web-0" });
  });
});

describe("pods and compose from labels", () => {
  it("reads kubelet's pod labels and compose's project/service labels", () => {
    expect(
      podFromLabels({
        "io.kubernetes.pod.name": "web-0",
        "io.kubernetes.pod.namespace": "shop",
        "io.kubernetes.pod.uid": "u-1",
      }),
    ).toEqual({ name: "web-0", namespace: "shop", uid: "u-1" });
    expect(podFromLabels({ "io.kubernetes.pod.name": "web-0" })).toBeNull();
    expect(composeFromLabels({ "com.docker.compose.project": "shop", "com.docker.compose.service": "db" })).toEqual({
      project: "shop",
      service: "db",
    });
    expect(composeFromLabels({ "com.docker.compose.project": "shop" })).toBeNull();
  });
});
