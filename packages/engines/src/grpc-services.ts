import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

const PROTO_DIR = fileURLToPath(new URL("../proto/", import.meta.url));

// grpc-js builds a client's methods at run time from the .proto: looked up by name.
type GrpcMethod = (this: grpc.Client, ...args: unknown[]) => unknown;

type Constructor = new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client;

/** The service constructor `pkg.Service` of one of our .proto files. */
export function loadService(file: string, path: string): Constructor {
  const definition = protoLoader.loadSync(`${PROTO_DIR}${file}`, {
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: false,
  });
  let node: unknown = grpc.loadPackageDefinition(definition);
  for (const part of path.split(".")) node = (node as Record<string, unknown>)[part];
  if (typeof node !== "function") throw new Error(`${file}: no service ${path}`);
  return node as Constructor;
}

/** A gRPC client on a unix socket path (grpc-js speaks HTTP/2 over it, as containerd wants). */
export function unixClient(service: Constructor, socket: string): grpc.Client {
  return new service(`unix:${socket}`, grpc.credentials.createInsecure());
}

/** One unary call with a deadline; `namespace` goes in containerd's namespace header. */
export function unary<Res>(
  client: grpc.Client,
  method: string,
  request: object,
  timeoutMs: number,
  metadata?: Record<string, string>,
): Promise<Res> {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata ?? {})) md.set(k, v);
  const call = (client as unknown as Record<string, GrpcMethod | undefined>)[method];
  if (!call) return Promise.reject(new Error(`no method ${method}`));
  return new Promise((resolve, reject) => {
    call.call(client, request, md, { deadline: Date.now() + timeoutMs }, (err: Error | null, res: Res) =>
      err ? reject(err) : resolve(res),
    );
  });
}

/** A server stream; the caller handles `data`, `error` and `end`. */
export function serverStream(
  client: grpc.Client,
  method: string,
  request: object,
  metadata?: Record<string, string>,
): grpc.ClientReadableStream<unknown> {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata ?? {})) md.set(k, v);
  const call = (client as unknown as Record<string, GrpcMethod | undefined>)[method];
  if (!call) throw new Error(`no method ${method}`);
  return call.call(client, request, md) as grpc.ClientReadableStream<unknown>;
}

/** Closes a stream we let go of: its cancellation arrives as an error we do not report. */
export function cancelStream(stream: grpc.ClientReadableStream<unknown>): void {
  stream.removeAllListeners();
  stream.on("error", () => {});
  stream.cancel();
}

/** Watches an event stream: each event calls `onEvent`, its end or error calls `onEnd`; the
 * returned function lets go of it. */
export function watchStream(
  stream: grpc.ClientReadableStream<unknown>,
  onEvent: () => void,
  onEnd: (err: unknown) => void,
): () => void {
  stream.on("data", onEvent);
  stream.on("error", (err) => onEnd(err));
  stream.on("end", () => onEnd(new Error("event stream ended")));
  return () => cancelStream(stream);
}
