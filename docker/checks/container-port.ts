import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const FORWARDER = fileURLToPath(new URL("./netns-forwarder.mjs", import.meta.url));

/** Starts one forwarder (argv prefix: e.g. nsenter into a network namespace); its address. */
async function forwarder(prefix: string[], listen: string, target: string): Promise<[ChildProcess, string]> {
  const argv = [...prefix, process.execPath, FORWARDER, listen, target];
  const child = spawn(argv[0] ?? "", argv.slice(1), { stdio: ["ignore", "pipe", "inherit"] });
  const line = await Promise.race([
    once(child.stdout, "data").then(([d]) => String(d)),
    once(child, "exit").then(() => ""),
  ]);
  const address = /^ready (\S+)/.exec(line)?.[1];
  if (!address) throw new Error(`forwarder ${listen} -> ${target} did not start: ${line}`);
  return [child, address];
}

/**
 * Reaches 127.0.0.1:PORT inside the network namespace of process `pid` (a container without a
 * bridge to publish on) from 127.0.0.1:<free port> here, through a unix socket in `dir`.
 */
export async function forwardContainerPort(
  pid: number,
  port: number,
  dir: string,
): Promise<{ url: string; close(): void }> {
  const socket = join(dir, `port-${pid}-${port}.sock`);
  const [inside] = await forwarder(["nsenter", `--net=/proc/${pid}/ns/net`, "--"], socket, `127.0.0.1:${port}`);
  const [here, address] = await forwarder([], "127.0.0.1:0", socket).catch((e) => {
    inside.kill();
    throw e;
  });
  return {
    url: `http://${address}`,
    close: () => {
      here.kill();
      inside.kill();
    },
  };
}
