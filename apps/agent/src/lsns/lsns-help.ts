import { LSNS_COLUMNS } from "./lsns-columns.js";
import { jsonQuote, rawEncode } from "./scols-text.js";

const NAME_WIDTH = Math.max(...LSNS_COLUMNS.map((c) => c.name.length)) + 2;

function columnLines(): string {
  return LSNS_COLUMNS.map((c) => `${c.name.padStart(NAME_WIDTH)}  ${c.help}`).join("\n");
}

export const LSNS_USAGE = `
Usage:
 nsatlas-agent lsns [options] [<namespace>]

List system namespaces: every one this host has, also those kept alive only by a
bind mount in another mount namespace, an open fd, a socket or a thread.

Options:
 -J, --json             use JSON output format
 -l, --list             use list format output
 -n, --noheadings       don't print headings
 -o, --output <list>    define which output columns to use (+<list> adds to the default)
     --output-all       output all columns
 -P, --persistent       namespaces without processes
 -p, --task <pid>       print process namespaces
 -Q, --filter <expr>    apply display filter (scols-filter(5) syntax)
 -r, --raw              use the raw output format
 -u, --notruncate       don't truncate text in columns
 -W, --nowrap           don't use multi-line representation
 -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts, cgroup, time)
 -T, --tree[=<rel>]     use tree format (parent, owner, or process)

 -H, --list-columns     list the available columns
 -h, --help             display this help
 -V, --version          display version

Available output columns:
${columnLines()}

Output and options follow util-linux lsns(8); HOLDERS, NAME, CONTAINER, POD, STATE and
FINDINGS are nsatlas's own.
`;

export const LSNS_VERSION = "nsatlas-agent lsns from nsatlas 0.1.0 (util-linux lsns 2.38 compatible)\n";

/** `-H`: the columns, in the table, raw or JSON form chosen by the options before it. */
export function listColumns(raw: boolean, json: boolean): string {
  if (json) {
    const rows = LSNS_COLUMNS.map(
      (c) =>
        `      {\n         "holder": ${jsonQuote(c.name)},\n         "type": ${jsonQuote(c.json === "number" ? "<integer>" : "<string>")},\n         "description": ${jsonQuote(c.help)}\n      }`,
    );
    return `{\n   "lsns-columns": [\n${rows.join(",").replace(/},\n {6}{/g, "},{")}\n   ]\n}\n`;
  }
  const type = (c: (typeof LSNS_COLUMNS)[number]) => (c.json === "number" ? "<integer>" : "<string>");
  if (raw) return `${LSNS_COLUMNS.map((c) => `${c.name} ${type(c)} ${rawEncode(c.help)}`).join("\n")}\n`;
  return `${LSNS_COLUMNS.map((c) => `${c.name.padStart(NAME_WIDTH)}  ${type(c).padEnd(9)}  ${c.help}`).join("\n")}\n`;
}
