import type { Container, Inventory, MatchKind, Process, SearchMatch } from "@nsatlas/protocol";
import { namespaceNames } from "@nsatlas/protocol/stack-name";
import { forgetProcessRecords, processesMatching } from "./process-records.js";

export type { MatchKind, SearchMatch };

export interface SearchableHost {
  id: string;
  hostname: string;
  inventory: Inventory | null;
}

const MAX_MATCHES = 500;

/** How a query reads: ":22" or "22/tcp" is a port, digits are a pid or an inode, an IP-ish
 * string an address prefix (a complete IPv4 address only itself: "where is 10.0.0.1" is not
 * 10.0.0.100); anything else is matched as text against names and commands. */
function parseQuery(q: string) {
  const text = q.trim().toLowerCase();
  const port = /^:(\d{1,5})$/.exec(text) ?? /^(\d{1,5})\/(tcp|udp)$/.exec(text);
  return {
    text,
    port: port ? Number(port[1]) : null,
    number: /^\d+$/.test(text) ? Number(text) : null,
    addressPrefix: text.length >= 4 && !/^\d{1,3}(\.\d{1,3}){3}$/.test(text),
  };
}

/** Searches the inventories of every host for a name, pid, command, address, port,
 * interface, inode or finding code. Pure: the caller passes the hosts. */
export function searchFleet(hosts: readonly SearchableHost[], query: string): SearchMatch[] {
  const q = parseQuery(query);
  if (q.text.length === 0) return [];
  const out: SearchMatch[] = [];
  const push = (m: SearchMatch) => {
    if (out.length < MAX_MATCHES) out.push(m);
  };
  // Past MAX_MATCHES nothing more is returned, so nothing more is looked at either.
  for (const h of hosts) {
    if (out.length >= MAX_MATCHES) break;
    const inv = h.inventory;
    if (!inv) continue;
    // Names by the resolver every view uses (pod, containers, …), made once per host searched.
    let names: Map<string, string> | null = null;
    const stackRef = (id: string) => {
      names ??= namespaceNames({ ...inv, namespaces: inv.namespaces.filter((n) => n.type === "net") });
      return { id, name: names.get(id) ?? "?" };
    };
    const base = { hostId: h.id, hostname: h.hostname };
    for (const n of inv.namespaces) {
      if (n.names.some((name) => name.toLowerCase().includes(q.text))) {
        push({ ...base, stack: stackRef(n.id), kind: "stack-name", text: `stack ${n.names.join(", ")}` });
      }
      if (q.number !== null && n.inode === q.number) {
        push({ ...base, stack: n.type === "net" ? stackRef(n.id) : null, kind: "inode", text: n.id });
      }
    }
    for (const s of inv.netstacks ?? []) {
      for (const l of s.links) {
        if (l.name.toLowerCase().includes(q.text) || l.mac?.toLowerCase() === q.text) {
          push({ ...base, stack: stackRef(s.ns), kind: "interface", text: `${l.name} (${l.kind})` });
        }
        for (const a of l.addresses) {
          if (
            a.address.toLowerCase() === q.text ||
            `${a.address}/${a.prefixlen}` === q.text ||
            (q.addressPrefix && a.address.startsWith(q.text))
          ) {
            push({ ...base, stack: stackRef(s.ns), kind: "address", text: `${a.address}/${a.prefixlen} on ${l.name}` });
          }
        }
      }
      for (const sock of s.listening) {
        if (q.port !== null && sock.port === q.port) {
          push({ ...base, stack: stackRef(s.ns), kind: "port", text: `${sock.proto} ${sock.address}:${sock.port}` });
        }
      }
    }
    const processMatch = (p: Process, kind: "pid" | "process"): SearchMatch => ({
      ...base,
      stack: stackRef(`net:${p.ns.net}`),
      kind,
      text: `pid ${p.pid} ${p.cmdline.join(" ") || `[${p.comm}]`}`,
      pid: p.pid,
    });
    if (q.number !== null) {
      for (const p of inv.processes) if (p.pid === q.number) push(processMatch(p, "pid"));
    } else {
      // The heavy part of a fleet search (every process of every host), on lower-cased
      // records made once per process, not once per query.
      for (const k of processesMatching(h.id, inv.processes, q.text)) {
        if (out.length >= MAX_MATCHES) break;
        push(processMatch(inv.processes[k] as Process, "process"));
      }
    }
    for (const m of containerMatches(inv.containers ?? [], q.text)) {
      const net = m.c.ns ? `net:${m.c.ns.net}` : null;
      push({
        ...base,
        stack: net ? stackRef(net) : null,
        kind: m.kind,
        text: m.text,
        container: { id: m.c.id, name: m.c.name },
      });
    }
    for (const f of inv.findings ?? []) {
      if (f.code === q.text) push({ ...base, stack: f.ns ? stackRef(f.ns) : null, kind: "finding", text: f.message });
    }
  }
  if (out.length < MAX_MATCHES) forgetProcessRecords(new Set(hosts.map((h) => h.id)));
  // The same address on several hosts is information worth showing next to each match.
  const byAddress = new Map<string, Set<string>>();
  for (const m of out)
    if (m.kind === "address")
      byAddress.set(m.text.split(" ")[0] ?? "", (byAddress.get(m.text.split(" ")[0] ?? "") ?? new Set()).add(m.hostId));
  for (const m of out) {
    if (m.kind !== "address") continue;
    const hostsWith = byAddress.get(m.text.split(" ")[0] ?? "");
    if (hostsWith && hostsWith.size > 1) m.alsoOn = [...hostsWith].filter((id) => id !== m.hostId);
  }
  return out;
}

/** Containers whose name, pod (`namespace/name`) or image contains the query text. */
function containerMatches(
  containers: readonly Container[],
  text: string,
): Array<{ c: Container; kind: "container" | "pod" | "image"; text: string }> {
  const out: Array<{ c: Container; kind: "container" | "pod" | "image"; text: string }> = [];
  for (const c of containers) {
    if (c.name?.toLowerCase().includes(text))
      out.push({ c, kind: "container", text: `${c.engine} container ${c.name}` });
    const pod = c.pod ? `${c.pod.namespace}/${c.pod.name}` : null;
    if (pod?.toLowerCase().includes(text))
      out.push({ c, kind: "pod", text: `pod ${pod} (${c.name ?? c.id.slice(0, 12)})` });
    if (c.image?.toLowerCase().includes(text))
      out.push({ c, kind: "image", text: `image ${c.image} (${c.name ?? c.id.slice(0, 12)})` });
  }
  return out;
}
