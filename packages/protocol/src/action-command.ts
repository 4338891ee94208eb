import { z } from "zod";
import { type Action, ETC_NETNS_DIR, NSFS_PATH_PATTERN, PinPath, STACK_ID_PATTERN, StackName } from "./actions.js";
import { captureArgv } from "./capture.js";

const Inode = z.number().int().positive();

/** How the agent reaches a stack. A name goes to `ip -n NAME` / `netns NAME`; the initial stack
 * is the agent's own (plain `ip`) and, as a destination, pid 1's; a stack without a name
 * is reached through an nsfs path of one of its holders (`nsenter --net=PATH ip …`,
 * `netns PATH`): `ip -n` only takes names, and nsatlas never attaches a name to reach a stack. */
export const StackTarget = z.discriminatedUnion("via", [
  z.strictObject({ via: z.literal("name"), name: StackName, inode: Inode.optional() }),
  z.strictObject({ via: z.literal("initial"), inode: Inode.optional() }),
  z.strictObject({ via: z.literal("path"), path: z.string().regex(NSFS_PATH_PATTERN), inode: Inode }),
]);
export type StackTarget = z.infer<typeof StackTarget>;

/** A mount namespace reached through one of its processes (`nsenter --mount=/proc/<pid>/ns/mnt`),
 * with the inode the plan saw there: the agent refuses when that pid now lives elsewhere. */
export const MountTarget = z.strictObject({ via: z.literal("pid"), pid: z.number().int().positive(), inode: Inode });
export type MountTarget = z.infer<typeof MountTarget>;

/** The stacks an action touches, by the name of the parameter that refers to each: `ns`, `to`,
 * `a`, `b`, or `name` (the stack of the netns.* actions, with its inode when it exists). A pin
 * removal also carries `pin` (the pin's file seen through the holder's root, which must still be
 * that stack) and `mount` (the mount namespace it runs in). */
export const ActionTargets = z.strictObject({
  ns: StackTarget.optional(),
  to: StackTarget.optional(),
  a: StackTarget.optional(),
  b: StackTarget.optional(),
  name: StackTarget.optional(),
  pin: StackTarget.optional(),
  mount: MountTarget.optional(),
});
export type ActionTargets = z.infer<typeof ActionTargets>;

/** What an action runs: an iproute2 argv, or a file under /etc/netns (never both). */
export interface ActionCommand {
  command: string[] | null;
  writes: string | null;
}

/** The destination given to `netns` for the initial stack: pid 1. The kernel resolves a pid
 * (IFLA_NET_NS_PID) without the ptrace access that opening /proc/1/ns/net needs, which hardened
 * hosts deny even to root. iproute2 tries /run/netns/1 first: nsatlas never names a stack with
 * digits only, and the agent refuses to run while such a name exists. */
export const INITIAL_NETNS_PID = "1";

/** A target that does not fit its parameter (a name target for `net:…`, another inode, …). */
export class TargetMismatchError extends Error {
  readonly code = "TARGET_MISMATCH";
}

function targetFor(ref: string, t: StackTarget | undefined, param: string): StackTarget {
  if (!t) throw new TargetMismatchError(`no target for ${param}`);
  const ok =
    ref === "initial"
      ? t.via === "initial"
      : STACK_ID_PATTERN.test(ref)
        ? t.via === "path" && `net:${t.inode}` === ref
        : t.via === "name" && t.name === ref;
  if (!ok) throw new TargetMismatchError(`the target of ${param} does not match ${JSON.stringify(ref)}`);
  return t;
}

/** A pin's file as the agent opens it: through the root of a process in the pin's mount
 * namespace, where /proc/<pid>/root resolves paths with that namespace's mounts. */
export function pinOpenPath(pid: number, path: string): string {
  return `/proc/${pid}/root${PinPath.parse(path)}`;
}

/** `ip` run inside a stack. */
function ipIn(t: StackTarget): string[] {
  if (t.via === "name") return ["ip", "-n", t.name];
  if (t.via === "initial") return ["ip"];
  return ["nsenter", `--net=${t.path}`, "ip"];
}

/** The argument of `ip link … netns X`. */
function netnsArg(t: StackTarget): string {
  if (t.via === "name") return t.name;
  if (t.via === "initial") return INITIAL_NETNS_PID;
  return t.path;
}

/** The exact argv (or file path) of an action, from its validated params and targets. The hub
 * shows it in the plan; the agent builds it again from the same inputs and runs only that.
 * Keywords (`name`, `dev`) always precede names, so a link called "up" stays a name. */
export function actionCommand(a: Action, targets: ActionTargets): ActionCommand {
  const none = { command: null, writes: null };
  switch (a.type) {
    case "netns.create":
      return { ...none, command: ["ip", "netns", "add", a.params.name] };
    case "netns.delete":
      return { ...none, command: ["ip", "netns", "del", a.params.name] };
    case "link.move": {
      const from = targetFor(a.params.ns, targets.ns, "ns");
      const to = targetFor(a.params.to, targets.to, "to");
      return { ...none, command: [...ipIn(from), "link", "set", "dev", a.params.link, "netns", netnsArg(to)] };
    }
    case "veth.create": {
      const ta = targetFor(a.params.a.ns, targets.a, "a.ns");
      const tb = targetFor(a.params.b.ns, targets.b, "b.ns");
      return {
        ...none,
        command: [
          ...ipIn(ta),
          ...["link", "add", "name", a.params.a.name, "type", "veth"],
          ...["peer", "name", a.params.b.name, "netns", netnsArg(tb)],
        ],
      };
    }
    case "link.setState": {
      const t = targetFor(a.params.ns, targets.ns, "ns");
      return { ...none, command: [...ipIn(t), "link", "set", "dev", a.params.link, a.params.up ? "up" : "down"] };
    }
    case "addr.add":
    case "addr.del": {
      const t = targetFor(a.params.ns, targets.ns, "ns");
      const verb = a.type === "addr.add" ? "add" : "del";
      return { ...none, command: [...ipIn(t), "addr", verb, a.params.address, "dev", a.params.link] };
    }
    case "netns.file.write":
    case "netns.file.delete":
      return { ...none, writes: `${ETC_NETNS_DIR}/${a.params.name}/${a.params.file}` };
    case "netns.pin.remove": {
      targetFor(a.params.ns, targets.ns, "ns");
      const m = targets.mount;
      if (!m || `mnt:${m.inode}` !== a.params.mountNs)
        throw new TargetMismatchError(`the target of mountNs does not match ${JSON.stringify(a.params.mountNs)}`);
      const pin = targets.pin;
      if (pin?.via !== "path" || pin.path !== pinOpenPath(m.pid, a.params.path) || pin.inode !== targets.ns?.inode)
        throw new TargetMismatchError("the target of the pin is not that path in that mount namespace");
      // `--` ends umount's options: a pin path is absolute, but the argv says so itself.
      return { ...none, command: ["nsenter", `--mount=/proc/${m.pid}/ns/mnt`, "umount", "--", a.params.path] };
    }
    case "capture.start":
      return { ...none, command: captureArgv(a.params, targetFor(a.params.ns, targets.ns, "ns"), a.params.filter) };
  }
}
