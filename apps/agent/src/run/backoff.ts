/** Jittered exponential backoff: base, 2·base, … capped at maxMs; each delay is drawn
 * uniformly from [delay/2, delay] so that a fleet does not reconnect in lockstep. */
export class Backoff {
  #attempt = 0;
  constructor(
    private readonly baseMs: number,
    private readonly maxMs = 60_000,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** this.#attempt);
    this.#attempt += 1;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  reset(): void {
    this.#attempt = 0;
  }
}
