"use client";
import type { NamespaceType, Process } from "@nsatlas/protocol";
import { shareMatrix } from "../../lib/share-matrix";
import { HoverLink } from "../hover-link";

const PALETTE = [
  "bg-rose-300 dark:bg-rose-700",
  "bg-sky-300 dark:bg-sky-700",
  "bg-amber-300 dark:bg-amber-700",
  "bg-emerald-300 dark:bg-emerald-700",
  "bg-violet-300 dark:bg-violet-700",
  "bg-lime-300 dark:bg-lime-700",
  "bg-orange-300 dark:bg-orange-700",
  "bg-cyan-300 dark:bg-cyan-700",
];

/** Processes × namespace types: equal namespaces share a colour; the initial ones are grey. */
export function ShareMatrixView({
  processes,
  initial,
  base,
  titles,
}: {
  processes: Process[];
  initial: Map<NamespaceType, number>;
  base: string;
  /** Stack names by `net:<inode>`: the net column names stacks, not inodes. */
  titles: ReadonlyMap<string, string>;
}) {
  const m = shareMatrix(processes, initial);
  return (
    <div className="overflow-x-auto" data-testid="share-matrix">
      <table className="text-sm">
        <thead>
          <tr>
            <th className="px-2 py-1 text-left text-xs uppercase text-slate-600 dark:text-slate-400">process</th>
            {m.types.map((t) => (
              <th key={t} className="px-2 py-1 text-xs uppercase text-slate-600 dark:text-slate-400">
                {t}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {m.rows.map((r) => (
            <tr key={r.pid}>
              <td className="px-2 py-1">
                <HoverLink
                  className="text-indigo-700 hover:underline dark:text-indigo-300"
                  href={`${base}/processes/${r.pid}`}
                >
                  {r.pid}
                </HoverLink>{" "}
                <span className="text-slate-600 dark:text-slate-400">{r.comm}</span>
              </td>
              {r.cells.map((c, i) => (
                <td key={m.types[i]} className="px-1 py-1">
                  <span
                    className={`block max-w-40 truncate rounded px-2 py-1 text-center font-mono text-xs ${c.colour < 0 ? "bg-slate-100 text-slate-600 dark:text-slate-400 dark:bg-slate-800" : PALETTE[c.colour % PALETTE.length]}`}
                    title={
                      c.inode === null
                        ? `${m.types[i]}: no link (the kernel no longer serves it)`
                        : `${m.types[i]}:${c.inode}${c.colour < 0 ? " (initial)" : ""}`
                    }
                  >
                    {c.inode === null
                      ? "–"
                      : m.types[i] === "net"
                        ? (titles.get(`net:${c.inode}`) ?? String(c.inode))
                        : c.colour < 0
                          ? "init"
                          : String(c.inode).slice(-4)}
                  </span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
        Same colour in a column = same namespace. Grey = the initial namespace of that type.
      </p>
    </div>
  );
}
