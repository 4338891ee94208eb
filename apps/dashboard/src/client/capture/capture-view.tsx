"use client";
import type { CaptureSummary } from "@nsatlas/protocol";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import { CaptureFeed, matchesDisplayFilter, type PacketRow } from "../../lib/capture/capture-feed";
import { PacketDetail } from "./packet-detail";

const ROW_PX = 24;
const cell = "truncate px-2";

/** Reads the capture's pcapng as it grows (one fetch, a ReadableStream) and feeds the list;
 * renders at most once a frame, whatever the packet rate. */
function useCaptureStream(url: string) {
  const feed = useRef(new CaptureFeed());
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<"reading" | "ended" | "failed">("reading");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    let frame = 0;
    const render = () => {
      if (frame === 0)
        frame = requestAnimationFrame(() => {
          frame = 0;
          setVersion((v) => v + 1);
        });
    };
    (async () => {
      const r = await fetch(url, { credentials: "same-origin", signal: abort.signal });
      if (!r.ok || !r.body) throw new Error(`HTTP ${r.status}`);
      const reader = r.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        feed.current.push(value);
        render();
      }
      setState("ended");
      render();
    })().catch((err: unknown) => {
      if (abort.signal.aborted) return;
      setError((err as Error).message);
      setState("failed");
    });
    return () => {
      abort.abort();
      cancelAnimationFrame(frame);
    };
  }, [url]);
  return { feed: feed.current, version, state, error };
}

function useSummary(id: string): CaptureSummary | null {
  const [s, setS] = useState<CaptureSummary | null>(null);
  useEffect(() => {
    let stop = false;
    const load = async () => {
      const r = await fetch("/api/v1/captures", { credentials: "same-origin" });
      if (!r.ok) return;
      const body = (await r.json()) as { captures: CaptureSummary[] };
      if (!stop) setS(body.captures.find((c) => c.id === id) ?? null);
    };
    void load();
    const t = setInterval(() => void load(), 2_000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [id]);
  return s;
}

const time = (ms: number, first: number) => ((ms - first) / 1000).toFixed(6);

/** One capture, live: the packet list (pause, display filter), a packet's layers and bytes,
 * stop and download. */
export function CaptureView({ id }: { id: string }) {
  const url = `/api/v1/captures/${encodeURIComponent(id)}.pcapng`;
  const { feed, version, state, error } = useCaptureStream(url);
  const summary = useSummary(id);
  const [paused, setPaused] = useState<PacketRow[] | null>(null);
  const [filter, setFilter] = useState("");
  const [selected, setSelected] = useState<PacketRow | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version marks new rows in the feed
  const rows = useMemo(() => {
    const all = paused ?? feed.rows;
    return filter ? all.filter((r) => matchesDisplayFilter(r, filter)) : all.slice();
  }, [feed, version, paused, filter]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_PX,
    overscan: 20,
  });
  const first = rows[0]?.timeMs ?? feed.rows[0]?.timeMs ?? 0;
  const running = summary?.state === "running";
  return (
    <div className="space-y-3" data-testid="capture-view">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <h1 className="text-lg font-semibold">
          Capture on {summary?.stack ?? "…"}
          {summary?.link ? ` / ${summary.link}` : " (all interfaces)"}
        </h1>
        <span data-testid="capture-state">{summary ? (running ? "running" : `ended: ${summary.stopReason}`) : ""}</span>
        <span data-testid="capture-count" data-count={feed.packets}>
          {feed.packets} packets
        </span>
        {feed.skipped > 0 && (
          <span className="text-amber-700 dark:text-amber-400" data-testid="capture-sampled">
            list sampled above {5000} packets/s: {feed.skipped} not listed (the download has them all)
          </span>
        )}
        {summary && summary.drops !== null && <span>kernel drops: {summary.drops}</span>}
        {summary?.filter && <code className="text-xs">{summary.filter}</code>}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className="rounded-md border border-slate-300 px-2 py-0.5 text-sm dark:border-slate-700"
          onClick={() => setPaused(paused ? null : feed.rows.slice())}
        >
          {paused ? "Resume" : "Pause"}
        </button>
        {running && (
          <button
            type="button"
            className="rounded-md border border-red-300 px-2 py-0.5 text-sm text-red-700"
            onClick={() => void fetch(`/api/v1/captures/${encodeURIComponent(id)}/stop`, { method: "POST" })}
          >
            Stop
          </button>
        )}
        <a href={url} download className="rounded-md border border-slate-300 px-2 py-0.5 text-sm dark:border-slate-700">
          Download .pcapng
        </a>
        <input
          aria-label="Display filter"
          placeholder="display filter: words (tcp 10.0.0.1 !arp)"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          className="w-72 rounded-md border border-slate-300 bg-white px-2 py-0.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        {state === "failed" && <span className="text-sm text-red-700">stream: {error}</span>}
        {feed.error && <span className="text-sm text-red-700">pcapng: {feed.error}</span>}
      </div>
      <div className="grid grid-cols-[4rem_7rem_1fr_1fr_5rem_4rem_3fr] border-b text-xs font-semibold">
        {["No.", "Time", "Source", "Destination", "Protocol", "Length", "Info"].map((h) => (
          <div key={h} className={cell}>
            {h}
          </div>
        ))}
      </div>
      <div ref={scroller} className="h-96 overflow-auto font-mono text-xs" data-testid="packet-list">
        <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {virtual.getVirtualItems().map((v) => {
            const r = rows[v.index];
            if (!r) return null;
            return (
              <button
                type="button"
                key={r.no}
                data-testid="packet-row"
                onClick={() => setSelected(r)}
                className={`absolute left-0 grid w-full grid-cols-[4rem_7rem_1fr_1fr_5rem_4rem_3fr] text-left hover:bg-slate-100 dark:hover:bg-slate-800 ${selected?.no === r.no ? "bg-indigo-100 dark:bg-indigo-900" : ""}`}
                style={{ top: v.start, height: ROW_PX }}
              >
                <span className={cell}>{r.no}</span>
                <span className={cell}>{time(r.timeMs, first)}</span>
                <span className={cell}>{r.source}</span>
                <span className={cell}>{r.destination}</span>
                <span className={cell}>{r.protocol}</span>
                <span className={cell}>{r.length}</span>
                <span className={cell}>{r.summary}</span>
              </button>
            );
          })}
        </div>
      </div>
      {selected && <PacketDetail row={selected} />}
    </div>
  );
}
