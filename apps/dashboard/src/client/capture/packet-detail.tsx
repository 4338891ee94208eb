"use client";
import { hexDump, type PacketRow } from "../../lib/capture/capture-feed";

/** One packet: each decoded layer with its fields, then every captured byte. */
export function PacketDetail({ row }: { row: PacketRow }) {
  return (
    <div className="grid gap-3 md:grid-cols-2" data-testid="packet-detail">
      <div className="space-y-2 text-sm">
        <p className="font-medium">
          Packet {row.no}: {row.length} bytes on the wire, {row.data.length} captured
        </p>
        {row.layers.map((l) => (
          <details key={l.name} open>
            <summary className="font-medium">{l.name}</summary>
            <dl className="ml-4 grid grid-cols-[10rem_1fr] text-xs">
              {l.fields.map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="text-slate-500">{k}</dt>
                  <dd className="font-mono">{v}</dd>
                </div>
              ))}
            </dl>
          </details>
        ))}
      </div>
      <pre className="max-h-96 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800" data-testid="hex-dump">
        {hexDump(row.data).join("\n")}
      </pre>
    </div>
  );
}
