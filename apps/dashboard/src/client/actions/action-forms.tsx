"use client";
import type { Link as NetLink } from "@nsatlas/protocol";
import { useState } from "react";
import type { ActionDraft } from "./action-draft";
import type { FieldErrors } from "./draft-check";
import { Field, FormError, input, PlanButton, type StackOption, StackSelect, TextField } from "./form-fields";

type OnDraft = (d: ActionDraft) => void;

/** What every form gets: where its draft goes, what was wrong with the last one, and whether
 * the server is planning it now. */
export interface FormProps {
  onDraft: OnDraft;
  errors: FieldErrors;
  pending: boolean;
}

/** netns.create */
export function NewStackForm({ onDraft, errors, pending }: FormProps) {
  const [name, setName] = useState("");
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onDraft({ type: "netns.create", params: { name } });
      }}
    >
      <TextField label="Stack name" value={name} maxLength={64} error={errors.name} onChange={setName} />
      {!errors.name && (
        <p className="text-xs text-slate-500">
          1–64 of A–Z a–z 0–9 _ . -, not starting with “.”, not all digits, not “initial”.
        </p>
      )}
      <FormError error={errors[""]} />
      <PlanButton disabled={name === ""} pending={pending} />
    </form>
  );
}

/** netns.delete (force when processes are inside: only the name goes then) */
export function DeleteStackForm({
  name,
  processCount,
  onDraft,
  errors,
  pending,
}: FormProps & {
  name: string;
  processCount: number;
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
      <FormError error={errors[""] ?? errors.name ?? errors.force} />
      <PlanButton pending={pending} />
    </form>
  );
}

/** veth.create with one end in this stack */
export function VethForm({
  from,
  stacks,
  onDraft,
  errors,
  pending,
}: FormProps & { from: string; stacks: StackOption[] }) {
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
      <TextField label="Link name here" value={a} maxLength={15} error={errors["a.name"]} onChange={setA} />
      <StackSelect label="Peer stack" value={to} stacks={stacks} error={errors["b.ns"]} onChange={setTo} />
      <TextField label="Peer link name" value={b} maxLength={15} error={errors["b.name"]} onChange={setB} />
      <FormError error={errors[""] ?? errors["a.ns"]} />
      <PlanButton disabled={a === "" || b === ""} pending={pending} />
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
  errors,
  pending,
}: FormProps & {
  ns: string;
  links: NetLink[];
  stacks: StackOption[];
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
      <Field label="Link" error={errors.link}>
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
      {op === "move" && <StackSelect label="To stack" value={to} stacks={stacks} error={errors.to} onChange={setTo} />}
      {op === "addr.add" && (
        <TextField
          label="Address with prefix (10.0.0.1/24)"
          value={address}
          error={errors.address}
          onChange={setAddress}
        />
      )}
      {op === "addr.del" && (
        <Field label="Address" error={errors.address}>
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
      <FormError error={errors[""] ?? errors.ns ?? errors.up} />
      <PlanButton
        disabled={link === "" || ((op === "addr.add" || op === "addr.del") && address === "")}
        pending={pending}
      />
    </form>
  );
}

/** netns.file.write / netns.file.delete for /etc/netns/<name>/{resolv.conf,hosts} */
export function FileForm({
  name,
  files,
  onDraft,
  errors,
  pending,
}: FormProps & { name: string; files: Record<string, string> }) {
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
      <Field label="File" error={errors.file}>
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
        <Field label="Content (at most 64 KiB)" error={errors.content}>
          <textarea
            aria-label="File content"
            rows={6}
            value={content}
            onChange={(e) => setContent(e.target.value)}
            className={`${input} font-mono`}
          />
        </Field>
      )}
      <FormError error={errors[""] ?? errors.name} />
      <PlanButton pending={pending} />
    </form>
  );
}

/** netns.pin.remove: unmount one pin of a stack inside the mount namespace that holds it */
export function PinRemoveForm({
  ns,
  pin,
  onDraft,
  errors,
  pending,
}: FormProps & {
  ns: string;
  pin: { path: string; mountNs: string };
}) {
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onDraft({ type: "netns.pin.remove", params: { ns, path: pin.path, mountNs: pin.mountNs } });
      }}
    >
      <p className="text-sm">
        Unmounts <span className="font-mono">{pin.path}</span> inside mount namespace{" "}
        <span className="font-mono">{pin.mountNs}</span> (<span className="font-mono">nsenter --mount … umount</span>
        ). The plan shows what else still holds the stack.
      </p>
      <FormError error={errors[""] ?? errors.path ?? errors.mountNs ?? errors.ns} />
      <PlanButton pending={pending} />
    </form>
  );
}
