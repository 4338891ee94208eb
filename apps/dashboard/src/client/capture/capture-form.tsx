"use client";
import type { Link as NetLink } from "@nsatlas/protocol";
import { useState } from "react";
import type { ActionDraft } from "../actions/action-draft";
import { Field, input, PlanButton, TextField } from "../actions/form-fields";

/** capture.start: an interface of the stack (or all), a pcap-filter(7) expression and limits. */
export function CaptureForm({
  ns,
  links,
  initialLink = null,
  onDraft,
}: {
  ns: string;
  links: NetLink[];
  initialLink?: string | null;
  onDraft: (d: ActionDraft) => void;
}) {
  const [link, setLink] = useState(initialLink ?? "");
  const [filter, setFilter] = useState("");
  const [seconds, setSeconds] = useState("60");
  const [packets, setPackets] = useState("");
  const maxSeconds = Number(seconds);
  const maxPackets = packets === "" ? null : Number(packets);
  const valid =
    Number.isInteger(maxSeconds) &&
    maxSeconds >= 1 &&
    maxSeconds <= 3600 &&
    (maxPackets === null || (Number.isInteger(maxPackets) && maxPackets >= 1));
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onDraft({
          type: "capture.start",
          params: { ns, link: link === "" ? null : link, filter, maxSeconds, maxPackets },
        });
      }}
    >
      <Field label="Interface">
        <select aria-label="Interface" value={link} onChange={(e) => setLink(e.target.value)} className={input}>
          <option value="">all interfaces</option>
          {links.map((l) => (
            <option key={l.name} value={l.name}>
              {l.name} ({l.kind})
            </option>
          ))}
        </select>
      </Field>
      <TextField
        label="Capture filter (pcap-filter syntax, e.g. icmp or tcp port 80)"
        value={filter}
        maxLength={2048}
        onChange={setFilter}
      />
      <TextField label="Stop after seconds (1-3600)" value={seconds} maxLength={4} onChange={setSeconds} />
      <TextField label="Stop after packets (empty: no limit)" value={packets} maxLength={10} onChange={setPackets} />
      <p className="text-xs text-slate-500">
        Also stops at 64 MiB. Packets are personal data: starting, stopping and every download are audited.
      </p>
      <PlanButton disabled={!valid} />
    </form>
  );
}
