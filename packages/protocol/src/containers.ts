import { z } from "zod";

/** Who told us about a container: an engine's API, or null when only the cgroup path did. */
export const ContainerEngine = z.enum(["docker", "containerd", "podman", "cri-o"]);
export type ContainerEngine = z.infer<typeof ContainerEngine>;

/** A Kubernetes pod, as kubelet's CRI labels name it (no Kubernetes API involved). */
export const PodRef = z.object({ name: z.string(), namespace: z.string(), uid: z.string() });
export type PodRef = z.infer<typeof PodRef>;

/** A docker-compose service, from the labels compose puts on its containers. */
export const ComposeRef = z.object({ project: z.string(), service: z.string() });
export type ComposeRef = z.infer<typeof ComposeRef>;

/** Whose sandbox a network stack is: a Docker container's SandboxKey, a CRI pod sandbox, or a
 * CNI netns name (`cni-…`). */
export const StackSandbox = z.object({
  engine: ContainerEngine.nullable(),
  containerId: z.string().nullable(),
  pod: PodRef.nullable(),
});
export type StackSandbox = z.infer<typeof StackSandbox>;
