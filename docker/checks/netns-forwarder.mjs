// A byte pipe: `node netns-forwarder.mjs LISTEN TARGET`, each a unix socket path or HOST:PORT.
// Run inside a container's network namespace (nsenter --net) it listens on a unix socket, a
// path in the host's filesystem, and joins each client to a port of that namespace; run here
// it joins a TCP port of this namespace to that socket. Together they stand in for a
// published port where the engine has no bridge to publish through. Prints "ready ADDRESS".
import { connect, createServer } from "node:net";

const endpoint = (text) => {
  const m = /^(.+):(\d+)$/.exec(text);
  return text.startsWith("/") || !m ? { path: text } : { host: m[1], port: Number(m[2]) };
};
const [listen = "", target = ""] = process.argv.slice(2);
const server = createServer((client) => {
  const upstream = connect(endpoint(target));
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  for (const s of [client, upstream]) {
    s.on("error", end);
    s.on("close", end);
  }
  client.pipe(upstream).pipe(client);
});
server.listen(endpoint(listen), () => {
  const a = server.address();
  console.log(`ready ${typeof a === "string" ? a : `${a.address}:${a.port}`}`);
});
