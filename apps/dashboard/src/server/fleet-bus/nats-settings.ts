/** NSATLAS_NATS_*: how a dashboard replica reaches the NATS servers that share the fleet. */
export interface NatsSettings {
  /** NSATLAS_NATS_URL: nats:// or tls:// URLs, comma-separated (several servers of a cluster). */
  servers: string[];
  /** NSATLAS_NATS_CREDS: a .creds file (JWT + nkey seed), as `nsc` writes them. */
  credsFile: string | null;
  /** NSATLAS_NATS_USER + NSATLAS_NATS_PASSWORD, or NSATLAS_NATS_TOKEN. */
  user: string | null;
  password: string | null;
  token: string | null;
  /** NSATLAS_NATS_CA: CA bundle to verify the server; NSATLAS_NATS_CERT + NSATLAS_NATS_KEY:
   * a client certificate (mutual TLS). Any of them turns TLS on. */
  caFile: string | null;
  certFile: string | null;
  keyFile: string | null;
  /** NSATLAS_NATS_PREFIX: the subject prefix (default `nsatlas`), to share one NATS account
   * between several nsatlas installations. */
  prefix: string;
}

export class NatsSettingsError extends Error {
  readonly code = "BAD_SETTING";
}

/** Null without NSATLAS_NATS_URL: one process is the whole fleet, with in-process fan-out. */
export function natsSettingsFrom(env: NodeJS.ProcessEnv): NatsSettings | null {
  const text = env.NSATLAS_NATS_URL?.trim();
  if (!text) return null;
  const servers = text.split(",").map((s) => s.trim());
  for (const s of servers) {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      throw new NatsSettingsError(`NSATLAS_NATS_URL: not a URL: ${JSON.stringify(s)}`);
    }
    if (!["nats:", "tls:"].includes(url.protocol)) {
      throw new NatsSettingsError(`NSATLAS_NATS_URL must be nats:// or tls:// URLs, got ${JSON.stringify(s)}`);
    }
  }
  const v = (name: string) => (env[name] && env[name] !== "" ? (env[name] as string) : null);
  const user = v("NSATLAS_NATS_USER");
  const password = v("NSATLAS_NATS_PASSWORD");
  if ((user === null) !== (password === null)) {
    throw new NatsSettingsError("NSATLAS_NATS_USER and NSATLAS_NATS_PASSWORD go together: set both (or neither)");
  }
  const certFile = v("NSATLAS_NATS_CERT");
  const keyFile = v("NSATLAS_NATS_KEY");
  if ((certFile === null) !== (keyFile === null)) {
    throw new NatsSettingsError("NSATLAS_NATS_CERT and NSATLAS_NATS_KEY go together: set both (or neither)");
  }
  const prefix = v("NSATLAS_NATS_PREFIX") ?? "nsatlas";
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(prefix)) {
    throw new NatsSettingsError("NSATLAS_NATS_PREFIX: letters, digits, _ and - only (one subject token)");
  }
  return {
    servers,
    credsFile: v("NSATLAS_NATS_CREDS"),
    user,
    password,
    token: v("NSATLAS_NATS_TOKEN"),
    caFile: v("NSATLAS_NATS_CA"),
    certFile,
    keyFile,
    prefix,
  };
}
