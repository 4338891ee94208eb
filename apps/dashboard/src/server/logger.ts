/** Minimal leveled logger; the composition root decides where it writes. */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export function consoleLogger(quiet = false): Logger {
  const stamp = () => new Date().toISOString();
  return {
    info: (m) => {
      if (!quiet) console.log(`${stamp()} ${m}`);
    },
    warn: (m) => console.warn(`${stamp()} warn ${m}`),
    error: (m) => console.error(`${stamp()} error ${m}`),
  };
}
