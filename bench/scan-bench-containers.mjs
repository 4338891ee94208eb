// A container world for the scan benchmark: sandboxes made as a runtime makes them. Each has
// its own mnt, pid, net, uts and ipc namespaces, a private mount tree with a tmpfs of its
// own, and two processes: its pid 1 and one child (unshare --fork, then a fork inside), under
// a parent left in the host's namespaces (as a runtime's shim is).
import { readFileSync } from "node:fs";

function children(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function comm(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

/** True once the sandbox under the unshare process `shim` runs its two sleeps. */
function sandboxReady(shim) {
  const [init] = children(shim);
  if (init === undefined || comm(init) !== "sleep") return false;
  return children(init).some((c) => comm(c) === "sleep");
}

/** Starts count sandboxes in world (a BenchWorld: killed and reaped by world.destroy()). */
export async function startContainerWorld(world, count) {
  const shims = await world.startMany(
    count,
    (i) => [
      "unshare",
      "--mount",
      "--pid",
      "--net",
      "--uts",
      "--ipc",
      "--fork",
      "--kill-child",
      "--propagation",
      "private",
      "sh",
      "-c",
      // pid 1 mounts the sandbox's own tmpfs, forks one more process, then becomes sleep.
      `mount -t tmpfs ${world.prefix}-c${i} /mnt && { sleep ${40000 + i} & exec sleep ${50000 + i}; }`,
    ],
    null,
  );
  const deadline = Date.now() + 120_000;
  for (const shim of shims) {
    while (!sandboxReady(shim.pid)) {
      if (Date.now() > deadline) throw new Error(`sandbox under pid ${shim.pid} did not start`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
