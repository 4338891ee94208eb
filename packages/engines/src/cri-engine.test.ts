import * as grpc from "@grpc/grpc-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CriEngine } from "./cri-engine.js";
import { loadService } from "./grpc-services.js";
import { eventually, type TestSocketDir, testSocketDir } from "./test-servers.js";

// CRI-O cannot run here: a gRPC server speaking the CRI messages nsatlas reads stands in.
const SANDBOX = "a".repeat(64);
const WEB = "b".repeat(64);
const SIDECAR = "c".repeat(64);
const POD_LABELS = {
  "io.kubernetes.pod.name": "web-0",
  "io.kubernetes.pod.namespace": "shop",
  "io.kubernetes.pod.uid": "0b6c3c5e-1d2f-4a57-9c1a-7e3f5d2b8a90",
};

interface FakeCri {
  server: grpc.Server;
  containers: Array<Record<string, unknown>>;
  events: Set<grpc.ServerWritableStream<unknown, unknown>>;
}

async function fakeCri(socket: string): Promise<FakeCri> {
  const service = loadService("cri-runtime.proto", "runtime.v1.RuntimeService") as unknown as {
    service: grpc.ServiceDefinition;
  };
  const fake: FakeCri = { server: new grpc.Server(), containers: [], events: new Set() };
  fake.server.addService(service.service, {
    ListPodSandbox: (_call: unknown, cb: grpc.sendUnaryData<unknown>) =>
      cb(null, {
        items: [
          {
            id: SANDBOX,
            metadata: { name: "web-0", uid: POD_LABELS["io.kubernetes.pod.uid"], namespace: "shop" },
            state: "SANDBOX_READY",
            labels: POD_LABELS,
            annotations: { "io.kubernetes.cri-o.Annotations": "{}", "secret.example/token": "x" },
          },
        ],
      }),
    ListContainers: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { containers: fake.containers }),
    GetContainerEvents: (call: grpc.ServerWritableStream<unknown, unknown>) => {
      fake.events.add(call);
      call.on("cancelled", () => fake.events.delete(call));
    },
  });
  await new Promise<void>((resolve, reject) =>
    fake.server.bindAsync(`unix:${socket}`, grpc.ServerCredentials.createInsecure(), (err) =>
      err ? reject(err) : resolve(),
    ),
  );
  return fake;
}

function criContainer(id: string, name: string) {
  return {
    id,
    podSandboxId: SANDBOX,
    metadata: { name, attempt: 0 },
    image: { image: "registry.example/web:1" },
    imageRef: "sha256:00",
    state: "CONTAINER_RUNNING",
    labels: { ...POD_LABELS, "io.kubernetes.container.name": name },
    annotations: {},
  };
}

describe("CriEngine against a CRI test server", () => {
  let dir: TestSocketDir;
  let cri: FakeCri;
  let engine: CriEngine | null = null;
  beforeEach(async () => {
    dir = testSocketDir();
    cri = await fakeCri(dir.path("crio.sock"));
  });
  afterEach(async () => {
    engine?.stop();
    engine = null;
    cri.server.forceShutdown();
    dir.remove();
  });

  it("names the pod sandbox and its containers, and relists on a container event", async () => {
    cri.containers.push(criContainer(WEB, "web"));
    const e = new CriEngine(dir.path("crio.sock"), { timeoutMs: 2_000, retryMs: 50, maxRetryMs: 200 });
    engine = e;
    e.start(() => {});
    await e.settled();
    expect(e.state).toBe("connected");
    const pod = { name: "web-0", namespace: "shop", uid: POD_LABELS["io.kubernetes.pod.uid"] };
    expect(e.containers()).toEqual([
      expect.objectContaining({ id: SANDBOX, engine: "cri-o", sandbox: true, pod, name: "web-0" }),
      expect.objectContaining({ id: WEB, name: "web", image: "registry.example/web:1", pod, state: "running" }),
    ]);
    expect(Object.keys(e.containers()[0]?.labels ?? {})).not.toContain("secret.example/token");

    cri.containers.push(criContainer(SIDECAR, "sidecar"));
    await eventually(() => cri.events.size === 1);
    for (const call of cri.events) call.write({ containerId: SIDECAR, containerEventType: 1, createdAt: 1 });
    await eventually(() => e.containers().some((c) => c.name === "sidecar"));
  });
});
