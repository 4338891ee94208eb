"use client";
import type { Link as NetLink } from "@nsatlas/protocol";
import { useState } from "react";
import type { ActionDraft } from "./action-draft";
import { Field, input, PlanButton, type StackOption, StackSelect, TextField } from "./form-fields";

type OnDraft = (d: ActionDraft) => void;

/** netns.create */
export function NewStackForm({ onDraft }: { onDraft: OnDraft }) {
  const [name, setName] = useState("");
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onDraft({ type: "netns.create", params: { name } });
      }}
    >
      <TextField label="Stack name" value={name} maxLength={64} onChange={setName} />
      <p className="text-xs text-slate-500">
        1–64 of A–Z a–z 0–9 _ . -, not starting with “.”, not all digits, not “initial”.
      </p>
      <PlanButton disabled={name === ""} />
    </form>
  );
}

/** netns.delete (force when processes are inside: only the name goes then) */
export function DeleteStackForm({
  name,
  processCount,
  onDraft,
}: {
  name: string;
  processCount: number;
  onDraft: OnDraft;
}) {
  const [force, setForce] = useState(false);
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onDraft({ type: "netns.delete", params: force ? { name, force } : { name } });
      }}
    >
      <p className="text-sm">
        Deletes the name <span className="font-mono">{name}</span> (<span className="font-mono">ip netns del</span>).
      </p>
      {processCount > 0 && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
          {processCount} process{processCount === 1 ? " is" : "es are"} inside: delete the name anyway (the stack lives
          on, unnamed)
        </label>
      )}
      <PlanButton />
    </form>
  );
}

/** veth.create with one end in this stack */
export function VethForm({ from, stacks, onDraft }: { from: string; stacks: StackOption[]; onDraft: OnDraft }) {
  const [a, setA] = useState("");
  const [b, setB] = useState("");
  const [to, setTo] = useState(stacks[0]?.ref ?? "initial");
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onDraft({ type: "veth.create", params: { a: { ns: from, name: a }, b: { ns: to, name: b } } });
      }}
    >
      <TextField label="Link name here" value={a} maxLength={15} onChange={setA} />
      <StackSelect label="Peer stack" value={to} stacks={stacks} onChange={setTo} />
      <TextField label="Peer link name" value={b} maxLength={15} onChange={setB} />
      <PlanButton disabled={a === "" || b === ""} />
    </form>
  );
}

type LinkOp = "up" | "down" | "move" | "addr.add" | "addr.del";

/** link.setState, link.move, addr.add, addr.del on one link of this stack */
export function LinkForm({
  ns,
  links,
  stacks,
  onDraft,
}: {
  ns: string;
  links: NetLink[];
  stacks: StackOption[];
  onDraft: OnDraft;
}) {
  const [link, setLink] = useState(links[0]?.name ?? "");
  const [op, setOp] = useState<LinkOp>("up");
  const [to, setTo] = useState(stacks[0]?.ref ?? "initial");
  const [address, setAddress] = useState("");
  const current = links.find((l) => l.name === link);
  const draft = (): ActionDraft => {
    if (op === "up" || op === "down") return { type: "link.setState", params: { ns, link, up: op === "up" } };
    if (op === "move") return { type: "link.move", params: { ns, link, to } };
    return { type: op, params: { ns, link, address } };
  };
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onDraft(draft());
      }}
    >
      <Field label="Link">
        <select aria-label="Link" value={link} onChange={(e) => setLink(e.target.value)} className={input}>
          {links.map((l) => (
            <option key={l.ifindex} value={l.name}>
              {l.name} ({l.kind}, {l.state})
            </option>
          ))}
        </select>
      </Field>
      <Field label="Action">
        <select aria-label="Link action" value={op} onChange={(e) => setOp(e.target.value as LinkOp)} className={input}>
          <option value="up">bring up</option>
          <option value="down">bring down</option>
          <option value="move">move to another stack</option>
          <option value="addr.add">add an address</option>
          <option value="addr.del">remove an address</option>
        </select>
      </Field>
      {op === "move" && <StackSelect label="To stack" value={to} stacks={stacks} onChange={setTo} />}
      {op === "addr.add" && (
        <Field label="Address with prefix (10.0.0.1/24)">
          <input aria-label="Address" value={address} onChange={(e) => setAddress(e.target.value)} className={input} />
        </Field>
      )}
      {op === "addr.del" && (
        <Field label="Address">
          <select aria-label="Address" value={address} onChange={(e) => setAddress(e.target.value)} className={input}>
            <option value="">choose…</option>
            {(current?.addresses ?? []).map((a) => (
              <option key={`${a.address}/${a.prefixlen}`} value={`${a.address}/${a.prefixlen}`}>
                {a.address}/{a.prefixlen}
              </option>
            ))}
          </select>
        </Field>
      )}
      <PlanButton disabled={link === "" || ((op === "addr.add" || op === "addr.del") && address === "")} />
    </form>
  );
}

/** netns.file.write / netns.file.delete for /etc/netns/<name>/{resolv.conf,hosts} */
export function FileForm({ name, files, onDraft }: { name: string; files: Record<string, string>; onDraft: OnDraft }) {
  const [file, setFile] = useState<"resolv.conf" | "hosts">("resolv.conf");
  const [content, setContent] = useState(files["resolv.conf"] ?? "");
  const [remove, setRemove] = useState(false);
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onDraft(
          remove
            ? { type: "netns.file.delete", params: { name, file } }
            : { type: "netns.file.write", params: { name, file, content } },
        );
      }}
    >
      <Field label="File">
        <select
          aria-label="File"
          value={file}
          onChange={(e) => {
            const f = e.target.value as "resolv.conf" | "hosts";
            setFile(f);
            setContent(files[f] ?? "");
          }}
          className={input}
        >
          <option value="resolv.conf">/etc/netns/{name}/resolv.conf</option>
          <option value="hosts">/etc/netns/{name}/hosts</option>
        </select>
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={remove}
          disabled={files[file] === undefined}
          onChange={(e) => setRemove(e.target.checked)}
        />
        delete the file instead
      </label>
      {!remove && (
        <Field label="Content (at most 64 KiB)">
          <textarea
            aria-label="File content"
            rows={6}
            value={content}
            onChange={(e) => setContent(e.target.value)}
            className={`${input} font-mono`}
          />
        </Field>
      )}
      <PlanButton />
    </form>
  );
}
