import type { ComposeRef, PodRef } from "@nsatlas/protocol";
import { CONTAINER_LABEL_LIMITS } from "@nsatlas/protocol/ids";

const KUBERNETES = "io.kubernetes.";

/** Keys that can carry whole manifests, secrets included: never kept, wherever they appear. */
const NEVER = /last-applied-configuration$/;

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/** The labels an inventory may carry: all labels and only the `io.kubernetes.*` annotations,
 * at most 64 entries with keys ≤ 128 and values ≤ 256 bytes (longer values are cut at a
 * character boundary; longer keys are dropped, as a cut key would be another key). */
export function capLabels(
  labels: Record<string, string> | null | undefined,
  annotations: Record<string, string> | null | undefined = {},
): Record<string, string> {
  // Entries, not assignments: a label named `__proto__` stays a label.
  const kept = new Map<string, string>();
  const add = (k: string, v: unknown) => {
    if (kept.size >= CONTAINER_LABEL_LIMITS.count || typeof v !== "string") return;
    if (NEVER.test(k) || bytes(k) > CONTAINER_LABEL_LIMITS.keyBytes || kept.has(k)) return;
    kept.set(k, cutToBytes(v, CONTAINER_LABEL_LIMITS.valueBytes));
  };
  for (const [k, v] of Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) add(k, v);
  for (const [k, v] of Object.entries(annotations ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)))
    if (k.startsWith(KUBERNETES)) add(k, v);
  return Object.fromEntries(kept);
}

function cutToBytes(s: string, max: number): string {
  if (bytes(s) <= max) return s;
  let out = "";
  for (const ch of s) {
    if (bytes(out) + bytes(ch) > max) break;
    out += ch;
  }
  return out;
}

/** The pod kubelet's CRI labels name (pod name, namespace and uid), or null. */
export function podFromLabels(labels: Record<string, string>): PodRef | null {
  const name = labels["io.kubernetes.pod.name"];
  const namespace = labels["io.kubernetes.pod.namespace"];
  if (!name || !namespace) return null;
  return { name, namespace, uid: labels["io.kubernetes.pod.uid"] ?? "" };
}

/** The compose project and service of a container docker-compose created, or null. */
export function composeFromLabels(labels: Record<string, string>): ComposeRef | null {
  const project = labels["com.docker.compose.project"];
  const service = labels["com.docker.compose.service"];
  return project && service ? { project, service } : null;
}

/** Whether kubelet's CRI plugin marked this container as a pod sandbox (the pause container). */
export function isCriSandbox(labels: Record<string, string>): boolean {
  return labels["io.cri-containerd.kind"] === "sandbox" || labels["io.kubernetes.docker.type"] === "podsandbox";
}

/** The container name kubelet gave (`io.kubernetes.container.name`), or null. */
export function criContainerName(labels: Record<string, string>): string | null {
  return labels["io.kubernetes.container.name"] ?? null;
}
