import { Counter, type Registry } from "prom-client";

/** A Prometheus counter that reports a plain number kept elsewhere (a counter on a hot path
 * stays a number; the registry reads it only when scraped). */
export function mirroredCounter(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}
