import { HttpError } from "../http-error.js";

/** A time parameter: ISO-8601 ("2026-03-01T10:00:00Z") or milliseconds since the epoch. */
export function timeParam(query: URLSearchParams, name: string, fallback: number): number {
  const text = query.get(name);
  if (text === null || text === "") return fallback;
  const ms = /^\d{1,15}$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms))
    throw new HttpError(400, "BAD_REQUEST", `${name}: expected an ISO-8601 time or epoch milliseconds`);
  return ms;
}

/** An integer parameter within [min, max]; 400 otherwise. */
export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = query.get(name);
  if (text === null || text === "") return fallback;
  const n = /^-?\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HttpError(400, "BAD_REQUEST", `${name}: expected an integer from ${min} to ${max}`);
  }
  return n;
}

/** A choice parameter; 400 for anything else. */
export function choiceParam<T extends string>(
  query: URLSearchParams,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const text = query.get(name);
  if (text === null || text === "") return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new HttpError(400, "BAD_REQUEST", `${name}: expected one of ${choices.join(", ")}`);
  }
  return text as T;
}
