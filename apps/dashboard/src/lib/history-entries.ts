import type { HistoryEvent } from "@nsatlas/protocol";
import { nameStacks } from "./stack-names";

/** More changes than this in one second are a burst: shown as one entry with counts, its
 * rows folded (a host's first inventory, a compose project starting). */
export const BURST = 12;

export interface TimelineRow {
  key: string;
  change: HistoryEvent["change"];
  kind: HistoryEvent["kind"];
  /** The label without the kind's own word ("link lo" under a "link" badge reads "lo"). */
  text: string;
}

export interface TimelineEntry {
  /** The second (ISO, truncated) the changes fell in. */
  second: string;
  /** The host's first inventory: everything on it "appeared" at once. */
  first: boolean;
  /** "+6 stack · +24 link · −2 address" when the entry is a burst, else null. */
  summary: string | null;
  rows: TimelineRow[];
}

const plural = (word: string, n: number) => (n === 1 ? word : word.endsWith("s") ? `${word}es` : `${word}s`);

const LOOPBACK_LINK = /^link lo \(loopback\)/;
const LOOPBACK_ADDRESS = /^(127\.0\.0\.1\/8|::1\/128) on lo\b/;

/** The label without its leading kind word (and a namespace's "net namespace net:1" as
 * "net:1"), with stacks named by the resolver where the label has only an inode. */
export function rowText(e: Pick<HistoryEvent, "kind" | "label">, titles: ReadonlyMap<string, string>): string {
  let text = e.label;
  if (e.kind === "namespace") text = text.replace(/^[a-z]+ namespace (?=[a-z]+:\d+)/, "");
  else if (text.startsWith(`${e.kind} `)) text = text.slice(e.kind.length + 1);
  // "blue of net:7" would read "blue of blue (net:7)".
  if (e.kind === "name") return text;
  return text.replace(/net:\d+/g, (id) => {
    const t = titles.get(id);
    return t && !text.includes(`${t} (${id})`) ? nameStacks(id, titles) : id;
  });
}

/** The timeline of a window as entries a person reads: one per second, the loopback link and
 * its 127.0.0.1 / ::1 left out of a stack that appears or disappears with them (every stack
 * has them), bursts summarised, and the host's first inventory marked as such. */
export function timelineEntries(
  events: readonly HistoryEvent[],
  titles: ReadonlyMap<string, string>,
  firstSeen: string | null,
): TimelineEntry[] {
  const bySecond = new Map<string, HistoryEvent[]>();
  for (const e of events) {
    const second = e.at.slice(0, 19);
    const list = bySecond.get(second);
    if (list) list.push(e);
    else bySecond.set(second, [e]);
  }
  const entries: TimelineEntry[] = [];
  for (const [second, list] of bySecond) {
    const wholeStack = new Set(
      list.filter((e) => e.kind === "stack" || e.kind === "namespace").map((e) => `${e.change}${e.ns}`),
    );
    // A stack's row names it: its net namespace and its netns name coming or going with it
    // in the same second would say the same thing twice more.
    const stackRow = new Map(list.filter((e) => e.kind === "stack").map((e) => [`${e.change}${e.ns}`, e.label]));
    const saidByStack = (e: HistoryEvent) => {
      const label = stackRow.get(`${e.change}${e.ns}`);
      if (label === undefined) return false;
      if (e.kind === "namespace") return e.ns?.startsWith("net:") === true;
      const name = /^name (\S+) of /.exec(e.label)?.[1];
      return e.kind === "name" && name !== undefined && label.includes(name);
    };
    const rows = list
      .filter((e) => {
        const whole = `${e.change}${e.ns}`;
        if (saidByStack(e)) return false;
        return !(
          wholeStack.has(whole) &&
          ((e.kind === "link" && LOOPBACK_LINK.test(e.label)) ||
            (e.kind === "address" && LOOPBACK_ADDRESS.test(e.label)))
        );
      })
      .map((e) => ({ key: `${e.at}${e.change}${e.key}`, change: e.change, kind: e.kind, text: rowText(e, titles) }));
    if (rows.length === 0) continue;
    const counts = new Map<string, number>();
    for (const r of rows) {
      const k = `${r.change === "appeared" ? "+" : "−"}${r.kind}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    entries.push({
      second,
      first: firstSeen !== null && firstSeen.slice(0, 19) === second,
      summary:
        rows.length > BURST
          ? [...counts].map(([k, n]) => `${k.slice(0, 1)}${n} ${plural(k.slice(1), n)}`).join(" · ")
          : null,
      rows,
    });
  }
  return entries;
}
