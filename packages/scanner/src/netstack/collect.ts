import type { NetstackReply, NetstackRequest, RawProcess, RawStack, StackRef } from "@nsatlas/native";
import type { Finding, Link, NetStack } from "@nsatlas/protocol";
import { namespaceId } from "@nsatlas/protocol/ids";
import type { NamespaceEntry, NamespaceTable } from "../namespace-table.js";
import { netstacksStep, runSteps, type ScanSteps } from "../native-steps.js";
import { errnoName } from "../unreadable.js";
import { addressesByLink } from "./addresses.js";
import { masterNames } from "./bridges.js";
import { readEtcNetns } from "./etc-files.js";
import { duplicateAddresses } from "./findings.js";
import { linkFacts } from "./links.js";
import { shapeListening, socketOwners } from "./listening.js";
import { type LinkEnd, resolveWiring, type Wiring } from "./peers.js";
import { shapeRoute } from "./routes.js";
import { type StackRefContext, stackRef } from "./stack-refs.js";
import { stillHeld } from "./still-held.js";
import { tunOwners } from "./tun-owners.js";

export type ReadNetstacks = (request: NetstackRequest) => NetstackReply;

export interface NetstackContext extends StackRefContext {
  table: NamespaceTable;
  raw: readonly RawProcess[];
  etcNetnsDir: string;
  threads: number;
  read: ReadNetstacks;
}

export interface NetstackResult {
  netstacks: NetStack[];
  findings: Finding[];
  warnings: string[];
  /** Stacks whose every holder went away between the walk and the read: they are gone. */
  gone: NamespaceEntry[];
}

const EPERM = 1;
const ENOENT = 2;
const ESRCH = 3;
const EACCES = 13;
const ESTALE = 116;
/** What opening a stack fails with once its holders exited (or their pids and fds were reused). */
const VANISHED = new Set([ENOENT, ESRCH, ESTALE]);

/** Asks the reader for nsids in one batch (see peers.ts); unanswered pairs are left out. */
function askNsids(ctx: NetstackContext, refs: StackRef[], pairs: ReadonlyArray<readonly [number, number]>) {
  const reply = ctx.read({ stacks: refs, dump: false, queries: pairs.flat(), threads: ctx.threads });
  const out = new Map<string, number>();
  pairs.forEach(([from, target], q) => {
    const nsid = reply.nsids[2 * q] ?? -1;
    if (reply.nsids[2 * q + 1] === 0 && nsid >= 0) out.set(`${from}:${target}`, nsid);
  });
  return out;
}

interface Shaping {
  ids: readonly string[];
  raws: readonly RawStack[];
  wiring: Wiring;
  tuns: ReadonlyMap<number, ReadonlyMap<string, number[]>>;
}

function peerOf(end: LinkEnd | undefined, s: Shaping): Link["peer"] {
  const link = end ? s.raws[end.stack]?.links[end.link] : undefined;
  const ns = end ? s.ids[end.stack] : undefined;
  if (!link || !ns) return null;
  return { ns, ifindex: link.ifindex, name: link.name ?? `if${link.ifindex}` };
}

/** IFLA_LINK names the lower device by ifindex in the stack the link's netnsid points at (its
 * own when there is none); a veth's IFLA_LINK is its peer, told apart in `peer` instead. */
function parentOf(
  l: RawStack["links"][number],
  kind: string,
  linkStack: number | undefined,
  own: RawStack,
  s: Shaping,
) {
  if (l.link <= 0 || kind === "veth" || l.link === l.ifindex) return null;
  const where = linkStack === undefined ? (l.linkNetnsid === null ? own : undefined) : s.raws[linkStack];
  const lower = where?.links.find((x) => x.ifindex === l.link);
  return lower ? (lower.name ?? `if${lower.ifindex}`) : null;
}

function shapeLinks(stack: number, inode: number, s: Shaping): Link[] {
  const raw = s.raws[stack] as RawStack;
  const masters = masterNames(raw.links);
  const addresses = addressesByLink(raw.addresses);
  const owners = s.tuns.get(inode);
  return raw.links.map((l, j) => {
    const key = `${stack}:${j}`;
    const facts = linkFacts(l);
    const linkStack = s.wiring.linkStacks.get(key);
    const isTun = facts.kind === "tun" || facts.kind === "tap";
    return {
      ...facts,
      master: masters.get(l.ifindex) ?? null,
      linkNs: linkStack === undefined ? null : (s.ids[linkStack] ?? null),
      parent: parentOf(l, facts.kind, linkStack, raw, s),
      addresses: addresses.get(l.ifindex) ?? [],
      peer: peerOf(s.wiring.peers.get(key), s),
      tunOwners: isTun ? [...(owners?.get(facts.name) ?? [])].sort((a, b) => a - b) : [],
    };
  });
}

function readFailure(id: string, raw: RawStack): Finding {
  const denied = raw.err === EPERM || raw.err === EACCES;
  return {
    code: denied ? "not-privileged" : "unreadable-stack",
    ns: id,
    message: denied
      ? `not allowed to enter this stack (${raw.errStep}: ${errnoName(raw.err)}): its links, routes and sockets are unknown`
      : `could not read this stack (${raw.errStep}: ${errnoName(raw.err)}): every holder the scan found has gone or points elsewhere`,
    refs: [],
  };
}

function unreachablePeer(end: LinkEnd, s: Shaping): Finding {
  const link = s.raws[end.stack]?.links[end.link];
  const name = link?.name ?? "?";
  return {
    code: "unreachable-peer",
    ns: s.ids[end.stack] as string,
    message:
      link?.linkNetnsid === null
        ? `veth ${name} names peer ifindex ${link?.link} in its own stack, which has no such link`
        : `veth ${name} has its peer (ifindex ${link?.link}, nsid ${link?.linkNetnsid} here) in a stack the scan does not see`,
    refs: [],
  };
}

/** Stack detail for every network namespace in the table: one batched native read of all
 * stacks, peers wired across them, owners of tun devices and sockets from the walk. The batch
 * is a step (see native-steps.ts) that the scan runs synchronously or as async work; the few
 * nsid questions for ambiguous peers go through ctx.read. */
export function* collectNetstackSteps(ctx: NetstackContext): ScanSteps<NetstackResult> {
  const entries = [...ctx.table.entries()].filter((e) => e.type === "net").sort((a, b) => a.inode - b.inode);
  const refs = entries.map((e) => stackRef(e, ctx));
  const raws = (yield* netstacksStep({ stacks: refs, dump: true, threads: ctx.threads })).stacks;
  const shaping: Shaping = {
    ids: entries.map((e) => namespaceId("net", e.inode)),
    raws,
    wiring: resolveWiring(raws, (pairs) => askNsids(ctx, refs, pairs)),
    tuns: tunOwners(ctx.raw),
  };
  const owners = socketOwners(ctx.raw);
  const result: NetstackResult = { netstacks: [], findings: [], warnings: [], gone: [] };
  entries.forEach((entry, i) => {
    const raw = raws[i] as RawStack;
    const id = shaping.ids[i] as string;
    // A process that exited after the walk takes its stack with it when it was the last
    // holder: that stack is simply gone, not unreadable (or every busy scan would flap).
    if (raw.err !== 0 && raw.errStep === "open" && VANISHED.has(raw.err) && !stillHeld(entry, ctx)) {
      result.gone.push(entry);
      return;
    }
    if (raw.err !== 0) result.findings.push(readFailure(id, raw));
    if (raw.err === 0 && raw.socketErr !== 0)
      result.warnings.push(`${id}: listening sockets unknown (sock_diag: ${errnoName(raw.socketErr)})`);
    const linkName = new Map(raw.links.map((l) => [l.ifindex, l.name ?? `if${l.ifindex}`]));
    const etc = readEtcNetns(ctx.etcNetnsDir, [...entry.names].sort());
    result.warnings.push(...etc.warnings);
    result.netstacks.push({
      ns: id,
      links: shapeLinks(i, entry.inode, shaping),
      routes: raw.routes.map((r) => shapeRoute(r, (ifindex) => linkName.get(ifindex) ?? null)),
      listening: shapeListening(raw.sockets, owners),
      files: etc.files,
    });
  });
  for (const end of shaping.wiring.unreachable) result.findings.push(unreachablePeer(end, shaping));
  result.findings.push(...duplicateAddresses(result.netstacks));
  return result;
}

/** collectNetstackSteps() run on the calling thread, every read through ctx.read. */
export function collectNetstacks(ctx: NetstackContext): NetstackResult {
  return runSteps(collectNetstackSteps(ctx), {
    walk: () => {
      throw new Error("collectNetstacks walks no processes");
    },
    netstacks: ctx.read,
  });
}
