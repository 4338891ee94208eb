import type { NetstackReply, NetstackRequest, RawProcess, WalkOptions } from "@nsatlas/native";

/** A native read that a scan asks for. A scan is written once, as a generator that yields
 * these; scanCore runs each on the calling thread, scanCoreAsync as N-API async work, so a
 * resident agent's event loop keeps serving heartbeats and actions while /proc is walked
 * and stacks are read. */
export type NativeStep =
  | { kind: "walk"; procRoot: string; options: WalkOptions }
  | { kind: "netstacks"; request: NetstackRequest };

export type ScanSteps<T> = Generator<NativeStep, T, unknown>;

/** What runs the steps, synchronously or not. */
export interface NativeIo {
  walk(procRoot: string, options: WalkOptions): RawProcess[];
  netstacks(request: NetstackRequest): NetstackReply;
}
export interface NativeIoAsync {
  walk(procRoot: string, options: WalkOptions): RawProcess[] | Promise<RawProcess[]>;
  netstacks(request: NetstackRequest): NetstackReply | Promise<NetstackReply>;
}

// The generator protocol types every yield's answer as `unknown`; these two helpers are the
// one place that says which answer belongs to which step.
export function* walkStep(procRoot: string, options: WalkOptions): ScanSteps<RawProcess[]> {
  return (yield { kind: "walk", procRoot, options }) as RawProcess[];
}

export function* netstacksStep(request: NetstackRequest): ScanSteps<NetstackReply> {
  return (yield { kind: "netstacks", request }) as NetstackReply;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function advance<T>(steps: ScanSteps<T>, last: Outcome | null): IteratorResult<NativeStep, T> {
  if (last === null) return steps.next();
  return last.ok ? steps.next(last.value) : steps.throw(last.error);
}

/** Runs every step on the calling thread. */
export function runSteps<T>(steps: ScanSteps<T>, io: NativeIo): T {
  let last: Outcome | null = null;
  for (;;) {
    const it: IteratorResult<NativeStep, T> = advance(steps, last);
    if (it.done) return it.value;
    const step: NativeStep = it.value;
    try {
      last = {
        ok: true,
        value: step.kind === "walk" ? io.walk(step.procRoot, step.options) : io.netstacks(step.request),
      };
    } catch (error) {
      last = { ok: false, error };
    }
  }
}

// jscpd:ignore-start (the async twin of runSteps: the same loop with an await in it)
/** Runs the steps, awaiting each (async work off the JS thread). */
export async function runStepsAsync<T>(steps: ScanSteps<T>, io: NativeIoAsync): Promise<T> {
  let last: Outcome | null = null;
  for (;;) {
    const it: IteratorResult<NativeStep, T> = advance(steps, last);
    if (it.done) return it.value;
    const step: NativeStep = it.value;
    try {
      last = {
        ok: true,
        value: await (step.kind === "walk" ? io.walk(step.procRoot, step.options) : io.netstacks(step.request)),
      };
    } catch (error) {
      last = { ok: false, error };
    }
  }
}
// jscpd:ignore-end
