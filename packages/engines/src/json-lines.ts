/** Splits a byte stream into JSON values, one a line (Docker's /events). A line longer than
 * maxLine is dropped, not buffered without bound. */
export class JsonLines {
  #buf = "";
  #skipping = false;
  constructor(
    private readonly onValue: (v: unknown) => void,
    private readonly maxLine = 1024 * 1024,
  ) {}

  push(chunk: Buffer | string): void {
    this.#buf += chunk.toString();
    for (let nl = this.#buf.indexOf("\n"); nl >= 0; nl = this.#buf.indexOf("\n")) {
      const line = this.#buf.slice(0, nl);
      this.#buf = this.#buf.slice(nl + 1);
      if (this.#skipping) {
        this.#skipping = false;
        continue;
      }
      if (line.trim()) this.#parse(line);
    }
    if (this.#buf.length > this.maxLine) {
      this.#buf = "";
      this.#skipping = true;
    }
  }

  #parse(line: string): void {
    try {
      this.onValue(JSON.parse(line));
    } catch {
      // Not JSON: an engine bug or a proxy's page; the next relist corrects what we missed.
    }
  }
}
