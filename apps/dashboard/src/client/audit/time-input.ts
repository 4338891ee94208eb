/** `<input type="datetime-local">` value (local time, minutes) of epoch ms. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Epoch ms of a datetime-local value, or of a number in the URL; null when neither. */
export function fromLocalInput(text: string | null): number | null {
  if (text === null || text === "") return null;
  if (/^\d+$/.test(text)) return Number(text);
  const ms = new Date(text).getTime();
  return Number.isFinite(ms) ? ms : null;
}
