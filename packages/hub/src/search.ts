import type { Inventory, Namespace } from "@nsatlas/protocol";

export type MatchKind = "stack-name" | "address" | "port" | "interface" | "process" | "pid" | "inode" | "finding";

export interface SearchMatch {
  hostId: string;
  hostname: string;
  /** The network stack the match belongs to (`net:<inode>`), when it belongs to one. */
  stack: { id: string; name: string } | null;
  kind: MatchKind;
  /** What matched, as shown to a person: "10.0.0.1/24 on eth0", ":22 tcp", "pid 523 sleep". */
  text: string;
  /** For processes: the pid, to link to the process view. */
  pid?: number;
  /** Another host has the same address: normal (stacks are separate), shown as information. */
  alsoOn?: string[];
}

export interface SearchableHost {
  id: string;
  hostname: string;
  inventory: Inventory | null;
}

const MAX_MATCHES = 500;

function stackName(ns: Namespace | undefined): string {
  if (!ns) return "?";
  return ns.initial ? "initial" : ns.names.join(", ") || `unnamed (${ns.inode})`;
}

/** How a query reads: ":22" or "22/tcp" is a port, digits are a pid or an inode, an IP-ish
 * string an address prefix; anything else is matched as text against names and commands. */
function parseQuery(q: string) {
  const text = q.trim().toLowerCase();
  const port = /^:(\d{1,5})$/.exec(text) ?? /^(\d{1,5})\/(tcp|udp)$/.exec(text);
  return { text, port: port ? Number(port[1]) : null, number: /^\d+$/.test(text) ? Number(text) : null };
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
  for (const h of hosts) {
    const inv = h.inventory;
    if (!inv) continue;
    const nets = new Map(inv.namespaces.filter((n) => n.type === "net").map((n) => [n.id, n]));
    const stackRef = (id: string) => ({ id, name: stackName(nets.get(id)) });
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
            (q.text.length >= 4 && a.address.startsWith(q.text))
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
    for (const p of inv.processes) {
      const cmd = p.cmdline.join(" ");
      if (
        (q.number !== null && p.pid === q.number) ||
        (q.number === null && (p.comm.toLowerCase().includes(q.text) || cmd.toLowerCase().includes(q.text)))
      ) {
        push({
          ...base,
          stack: stackRef(`net:${p.ns.net}`),
          kind: q.number !== null ? "pid" : "process",
          text: `pid ${p.pid} ${cmd || `[${p.comm}]`}`,
          pid: p.pid,
        });
      }
    }
    for (const f of inv.findings ?? []) {
      if (f.code === q.text) push({ ...base, stack: f.ns ? stackRef(f.ns) : null, kind: "finding", text: f.message });
    }
  }
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
