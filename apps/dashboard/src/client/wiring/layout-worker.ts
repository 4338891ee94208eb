"use client";

let worker: Worker | null = null;

/** The one layout worker of the page, started on first use and kept for the page's life:
 * ELK takes a few hundred ms to load and compile, so the topology page starts it before the
 * drawing's own code has arrived, and later visits find it warm. */
export function layoutWorker(): Worker {
  worker ??= new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
  return worker;
}

let seq = 0;

/** A request number unique in the page: answers to a view that has gone are told apart. */
export const nextLayoutSeq = () => ++seq;
