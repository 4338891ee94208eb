import { DaemonSet, Deployment } from "kubernetes-models/apps/v1";
import { Namespace, PersistentVolumeClaim, Secret, Service } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { parseRunArgs } from "../../apps/agent/src/cli/run-options.js";
import { loadSettings } from "../../apps/dashboard/src/server/env.js";
import {
  AGENT_CAPABILITIES,
  at,
  imageContract,
  kubernetesFiles,
  readDeployFile,
  yamlDocuments,
} from "./deploy-files.js";

// Validated offline against the Kubernetes OpenAPI schemas that kubernetes-models ships
// (validators compiled into the package: nothing is downloaded), then against our own rules.
type Model = new (data: never) => { validate(): void };
const MODELS: Record<string, Model> = {
  "v1/Namespace": Namespace as unknown as Model,
  "v1/Secret": Secret as unknown as Model,
  "v1/Service": Service as unknown as Model,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim as unknown as Model,
  "apps/v1/Deployment": Deployment as unknown as Model,
  "apps/v1/DaemonSet": DaemonSet as unknown as Model,
};

const all = kubernetesFiles().flatMap((file) => yamlDocuments(file).map((doc) => ({ file, doc })));
const daemonSet = (file: string) => all.find((d) => d.file === `kubernetes/${file}` && d.doc.kind === "DaemonSet")?.doc;
const deployment = (file: string) =>
  all.find((d) => d.file === `kubernetes/${file}` && d.doc.kind === "Deployment")?.doc;
const container = (doc: unknown) => at(doc, "spec", "template", "spec", "containers", 0);
const envOf = (c: unknown) =>
  Object.fromEntries(
    ((at(c, "env") ?? []) as Array<{ name: string; value?: string }>).map((e) => [
      e.name,
      e.value ?? (e.name === "NSATLAS_DATABASE_URL" ? "postgres://from-a-secret/nsatlas" : "from-a-secret"),
    ]),
  );
const agentArgs = (c: unknown) =>
  ((at(c, "args") ?? []) as string[]).slice(1).map((a) => a.replaceAll("$(NODE_NAME)", "node-1"));

describe("Kubernetes manifests", () => {
  it("are valid Kubernetes objects", () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const { file, doc } of all) {
      const Kind = MODELS[`${doc.apiVersion}/${doc.kind}`];
      if (!Kind) throw new Error(`${file}: no schema for ${doc.apiVersion}/${doc.kind}`);
      expect(() => new Kind(doc as never).validate(), `${file} ${doc.kind}`).not.toThrow();
      expect(at(doc, "metadata", doc.kind === "Namespace" ? "name" : "namespace"), file).toBe("nsatlas");
    }
    // The validators do refuse what Kubernetes would: a DaemonSet without a selector.
    const broken = structuredClone(daemonSet("agent-daemonset.yaml")) as { spec: Record<string, unknown> };
    delete broken.spec.selector;
    expect(() => new DaemonSet(broken as never).validate()).toThrow(/selector/);
  });

  it("run the agent on every node with hostPID, tolerations, limits and the node name as its id", () => {
    for (const file of ["agent-daemonset.yaml", "agent-daemonset-fleet-token.yaml"]) {
      const ds = daemonSet(file);
      const c = container(ds);
      expect(at(ds, "spec", "template", "spec", "hostPID"), file).toBe(true);
      expect(at(ds, "spec", "template", "spec", "tolerations", 0, "operator"), file).toBe("Exists");
      expect(at(c, "resources", "limits", "cpu"), file).toBeDefined();
      expect(at(c, "resources", "limits", "memory"), file).toBeDefined();
      expect(at(c, "env", 0), file).toEqual({
        name: "NODE_NAME",
        valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } },
      });
      const o = parseRunArgs(agentArgs(c));
      expect(o.agentId, file).toBe("node-1");
      expect(o.hub.protocol, file).toBe("wss:");
      expect(o.caFile, file).not.toBeNull();
      expect(at(c, "securityContext", "privileged"), file).toBe(false);
      expect(at(c, "securityContext", "capabilities", "drop"), file).toEqual(["ALL"]);
    }
  });

  it("give per-node agents their own token and the actions capability", () => {
    const c = container(daemonSet("agent-daemonset.yaml"));
    const o = parseRunArgs(agentArgs(c));
    expect(o.tokenFile).toBe("/etc/nsatlas/tokens/node-1");
    expect(o.readOnly).toBe(false);
    expect([...(at(c, "securityContext", "capabilities", "add") as string[])].sort()).toEqual(AGENT_CAPABILITIES);
  });

  it("keep fleet-token agents view-only: --read-only, token from a Secret, no NET_ADMIN", () => {
    const c = container(daemonSet("agent-daemonset-fleet-token.yaml"));
    const o = parseRunArgs(agentArgs(c));
    expect(o.readOnly).toBe(true);
    expect(o.tokenFile).toBeNull();
    expect(at(c, "env", 1, "valueFrom", "secretKeyRef")).toEqual({ name: "nsatlas-fleet-token", key: "token" });
    expect(at(c, "securityContext", "capabilities", "add")).not.toContain("NET_ADMIN");
  });

  it("run the dashboard as a non-root Deployment behind a Service, read-only in the variant", () => {
    for (const file of ["dashboard.yaml", "dashboard-read-only.yaml"]) {
      const d = deployment(file);
      const c = container(d);
      expect(at(d, "spec", "template", "spec", "securityContext", "runAsNonRoot"), file).toBe(true);
      expect(at(c, "readinessProbe", "httpGet", "path"), file).toBe("/healthz");
      const env = envOf(c);
      expect(() => loadSettings(env), file).not.toThrow();
      expect(env.NSATLAS_READ_ONLY, file).toBe(file === "dashboard-read-only.yaml" ? "1" : undefined);
      // With a database URL, the key files every replica is given are on a mounted Secret.
      if (env.NSATLAS_DATABASE_URL !== undefined) {
        const keys = loadSettings(env).database;
        const mounts = ((at(c, "volumeMounts") ?? []) as Array<{ mountPath: string }>).map((m) => m.mountPath);
        for (const f of [keys?.auditKeyFile, keys?.auditSigningKeyFile])
          expect(
            mounts.some((m) => f?.startsWith(`${m}/`)),
            `${file}: ${f}`,
          ).toBe(true);
      }
      const service = all.find((x) => x.file === `kubernetes/${file}` && x.doc.kind === "Service")?.doc;
      expect(at(service, "spec", "selector")).toEqual(at(d, "spec", "selector", "matchLabels"));
    }
  });

  it("run several dashboard replicas only with both NATS and PostgreSQL, ready by /readyz", () => {
    const d = deployment("dashboard-replicas.yaml");
    const c = container(d);
    expect(at(d, "spec", "replicas")).toBeGreaterThan(1);
    expect(at(c, "readinessProbe", "httpGet", "path")).toBe("/readyz");
    expect(at(c, "livenessProbe", "httpGet", "path")).toBe("/healthz");
    const env = envOf(c);
    expect(env.NSATLAS_NATS_URL).toBeDefined();
    expect(env.NSATLAS_DATABASE_URL).toBeDefined();
    const mounts = ((at(c, "volumeMounts") ?? []) as Array<{ mountPath: string }>).map((m) => m.mountPath);
    for (const path of [env.NSATLAS_NATS_CREDS, env.NSATLAS_AUDIT_KEY_FILE, env.NSATLAS_AUDIT_SIGNING_KEY_FILE])
      expect(
        mounts.some((m) => (path ?? "").startsWith(`${m}/`)),
        path,
      ).toBe(true);
    // The URLs come from a Secret: with real ones the settings load.
    const urls = {
      NSATLAS_NATS_URL: "tls://nats.nsatlas.svc:4222",
      NSATLAS_DATABASE_URL: "postgres://db.nsatlas.svc/nsatlas",
    };
    expect(() => loadSettings({ ...env, ...urls })).not.toThrow();
  });

  it("match their images: entrypoint, user and the paths the programs are given", () => {
    const mounts = (c: unknown) =>
      ((at(c, "volumeMounts") ?? []) as Array<{ mountPath: string }>).map((m) => m.mountPath);
    const underAMount = (c: unknown, path: string) => mounts(c).some((m) => path === m || path.startsWith(`${m}/`));

    const agentImage = imageContract("agent.Dockerfile");
    expect(agentImage.entrypoint).toEqual(["node", "/app/apps/agent/bin/nsatlas-agent"]);
    expect(agentImage.user).toBeNull();
    for (const file of ["agent-daemonset.yaml", "agent-daemonset-fleet-token.yaml"]) {
      const c = container(daemonSet(file));
      // No command: the image's entrypoint runs, and args are the agent's own.
      expect(at(c, "command"), file).toBeUndefined();
      expect(at(c, "image"), file).toMatch(/^nsatlas-agent:/);
      expect(at(c, "args", 0), file).toBe("run");
      expect(at(c, "securityContext", "runAsUser"), file).toBe(0);
      const o = parseRunArgs(agentArgs(c));
      for (const path of [o.procRoot, o.tokenFile, o.caFile, o.metricsTokenFile].filter((p) => p !== null))
        expect(underAMount(c, path), `${file}: ${path}`).toBe(true);
      // The netns dirs are the host's, not the image's.
      expect(mounts(c), file).toEqual(expect.arrayContaining([o.netnsDir, o.etcNetnsDir]));
    }

    const dashboardImage = imageContract("dashboard.Dockerfile");
    const uid = Number(/useradd [^\n]*--uid (\d+)/.exec(readDeployFile("dashboard.Dockerfile"))?.[1]);
    expect(dashboardImage.user).toBe("nsatlas");
    expect(dashboardImage.cmd).toEqual(["node", "dist/server/main.js"]);
    expect(dashboardImage.workdir).toBe("/app/apps/dashboard");
    for (const file of ["dashboard.yaml", "dashboard-read-only.yaml"]) {
      const d = deployment(file);
      const c = container(d);
      expect(at(c, "command"), file).toBeUndefined();
      expect(at(c, "args"), file).toBeUndefined();
      expect(at(c, "image"), file).toMatch(/^nsatlas-dashboard:/);
      expect(at(d, "spec", "template", "spec", "securityContext", "runAsUser"), file).toBe(uid);
      const env = envOf(c);
      expect(dashboardImage.volumes, file).toEqual([env.NSATLAS_DATA_DIR]);
      expect(mounts(c), file).toContain(env.NSATLAS_DATA_DIR);
      for (const path of [env.NSATLAS_TLS_CERT, env.NSATLAS_TLS_KEY])
        expect(underAMount(c, path ?? ""), path).toBe(true);
      // A read-only root: Next and Node write only to /tmp.
      expect(at(c, "securityContext", "readOnlyRootFilesystem"), file).toBe(true);
      expect(mounts(c), file).toContain("/tmp");
      expect(String(at(c, "ports", 0, "containerPort")), file).toBe(env.NSATLAS_PORT);
    }
  });
});
