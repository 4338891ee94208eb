import type { NamespaceType } from "@nsatlas/protocol";
import { NAMESPACE_TYPES } from "@nsatlas/protocol/ids";
import { getoptLong, type LongOption, LsnsUsageError } from "./getopt.js";
import { columnIndex, LSNS_OWN_COLUMN_COUNT } from "./lsns-columns.js";
import { type FilterExpr, parseFilter } from "./scols-filter.js";

export type TreeMode = "none" | "process" | "owner" | "parent";

export interface LsnsOptions {
  json: boolean;
  raw: boolean;
  noHeadings: boolean;
  noTruncate: boolean;
  noWrap: boolean;
  persistent: boolean;
  /** 0: every namespace (lsns treats `-p 0` as no filter). */
  taskPid: number;
  /** null: every type. */
  types: NamespaceType[] | null;
  tree: TreeMode;
  /** Column indexes into LSNS_COLUMNS, in output order. */
  columns: number[];
  filter: FilterExpr | null;
  /** The `<namespace>` operand: list that namespace's processes. */
  namespace: number | null;
  /** What to do instead of listing. */
  action: "list" | "help" | "version" | "list-columns";
}

// The order of lsns's long-option table, which getopt's "ambiguous" message follows.
const LONGS: readonly LongOption[] = [
  { name: "json", arg: "none", key: "J" },
  { name: "task", arg: "required", key: "p" },
  { name: "help", arg: "none", key: "h" },
  { name: "output", arg: "required", key: "o" },
  { name: "output-all", arg: "none", key: "output-all" },
  { name: "persistent", arg: "none", key: "P" },
  { name: "filter", arg: "required", key: "Q" },
  { name: "notruncate", arg: "none", key: "u" },
  { name: "version", arg: "none", key: "V" },
  { name: "noheadings", arg: "none", key: "n" },
  { name: "nowrap", arg: "none", key: "W" },
  { name: "list", arg: "none", key: "l" },
  { name: "raw", arg: "none", key: "r" },
  { name: "type", arg: "required", key: "t" },
  { name: "tree", arg: "optional", key: "T" },
  { name: "list-columns", arg: "none", key: "H" },
];
const SHORTS = "JlPp:o:nruhVt:T::WQ:H";
/** Pairs lsns refuses together (util-linux's err_exclusive_options), by long name. */
const EXCLUSIVE: ReadonlyArray<readonly [string, string]> = [
  ["J", "r"],
  ["P", "p"],
];

const COL = (name: string) => columnIndex(name);

/** strtos32_or_err: a decimal int32, else lsns's message. */
function parsePid(text: string): number {
  if (!/^\s*[+-]?\d+$/.test(text)) throw new LsnsUsageError(`invalid PID argument: '${text}'`);
  const n = Number(text.trim());
  if (n > 2 ** 31 - 1 || n < -(2 ** 31))
    throw new LsnsUsageError(`invalid PID argument: '${text}': Numerical result out of range`);
  return n;
}

/** strtou64_or_err for the `<namespace>` operand. */
function parseInode(text: string): number {
  if (!/^\s*\+?\d+$/.test(text)) throw new LsnsUsageError(`invalid namespace argument: '${text}'`);
  const n = Number(text.trim());
  if (!Number.isSafeInteger(n))
    throw new LsnsUsageError(`invalid namespace argument: '${text}': Numerical result out of range`);
  return n;
}

function parseTree(value: string | undefined): TreeMode {
  if (value === undefined) return "owner";
  const rel = value.startsWith("=") ? value.slice(1) : value;
  if (rel === "parent" || rel === "process" || rel === "owner") return rel;
  throw new LsnsUsageError(`unknown tree type: ${rel}`);
}

/** util-linux's string_add_to_idarray: `+LIST` appends to the defaults, `LIST` replaces them;
 * an unknown name is reported with the rest of the list, as lsns does. */
export function applyColumnList(list: string, defaults: readonly number[]): number[] {
  const append = list.startsWith("+");
  const body = append ? list.slice(1) : list;
  const out = append ? [...defaults] : [];
  if (body === "") throw new LsnsUsageError(`invalid column list: '${list}'`);
  let begin = 0;
  for (let p = 0; p < body.length; p++) {
    let end = -1;
    if (body[p] === ",") end = p;
    if (p + 1 === body.length) end = p + 1;
    if (end < 0) continue;
    if (end <= begin) throw new LsnsUsageError(`invalid column list: '${list}'`);
    const id = COL(body.slice(begin, end));
    if (id < 0) throw new LsnsUsageError(`unknown column: ${body.slice(begin)}`);
    out.push(id);
    begin = end + 1;
  }
  if (out.length > 2 * LSNS_OWN_COLUMN_COUNT) throw new LsnsUsageError("too many columns specified");
  return out;
}

/** Parses `nsatlas-agent lsns` arguments with lsns 2.38's grammar and checks. */
export function parseLsnsArgs(argv: readonly string[]): LsnsOptions {
  const operands: string[] = [];
  const o: LsnsOptions = {
    json: false,
    raw: false,
    noHeadings: false,
    noTruncate: false,
    noWrap: false,
    persistent: false,
    taskPid: 0,
    types: null,
    tree: "none",
    columns: [],
    filter: null,
    namespace: null,
    action: "list",
  };
  let outarg: string | null = null;
  let outputAll = false;
  let forceList = false;
  const seen = new Map<number, string>();
  for (const opt of getoptLong(argv, SHORTS, LONGS, operands)) {
    EXCLUSIVE.forEach((pair, i) => {
      if (!pair.includes(opt.key)) return;
      const first = seen.get(i);
      if (first === undefined) seen.set(i, opt.key);
      else if (first !== opt.key) {
        const names = pair.map((k) => `--${LONGS.find((l) => l.key === k)?.name ?? k}`);
        throw new LsnsUsageError(`mutually exclusive arguments: ${names.join(" ")}`);
      }
    });
    switch (opt.key) {
      case "J":
        o.json = true;
        break;
      case "l":
        forceList = true;
        break;
      case "o":
        outarg = opt.value ?? "";
        break;
      case "output-all":
        outputAll = true;
        break;
      case "P":
        o.persistent = true;
        break;
      case "p":
        o.taskPid = parsePid(opt.value ?? "");
        break;
      case "n":
        o.noHeadings = true;
        break;
      case "r":
        o.raw = true;
        o.noWrap = true;
        break;
      case "u":
        o.noTruncate = true;
        break;
      case "t": {
        const t = opt.value ?? "";
        if (!(NAMESPACE_TYPES as readonly string[]).includes(t))
          throw new LsnsUsageError(`unknown namespace type: ${t}`);
        o.types = [...(o.types ?? []), t as NamespaceType];
        break;
      }
      case "W":
        o.noWrap = true;
        break;
      case "T":
        o.tree = parseTree(opt.value);
        break;
      case "Q":
        o.filter = parseFilter(opt.value ?? "");
        break;
      // lsns acts on these at once, with the options seen so far.
      case "H":
        return { ...o, action: "list-columns" };
      case "h":
        return { ...o, action: "help" };
      case "V":
        return { ...o, action: "version" };
    }
  }
  let columns: number[] = outputAll ? Array.from({ length: LSNS_OWN_COLUMN_COUNT }, (_, i) => i) : [];
  const first = operands[0];
  if (first !== undefined) {
    if (o.taskPid) throw new LsnsUsageError("--task is mutually exclusive with <namespace>");
    o.namespace = parseInode(first);
    if (o.tree === "none" && !forceList) o.tree = "process";
    if (columns.length === 0) columns = ["PID", "PPID", "USER", "COMMAND"].map(COL);
  }
  if (columns.length === 0) {
    const isNet = o.types?.includes("net") ?? false;
    columns = ["NS", "TYPE", "NPROCS", "PID", "USER", ...(isNet ? ["NETNSID", "NSFS"] : []), "COMMAND"].map(COL);
    if (o.tree === "none" && !forceList) o.tree = "process";
  }
  o.columns = outarg === null ? columns : applyColumnList(outarg, columns);
  return o;
}
