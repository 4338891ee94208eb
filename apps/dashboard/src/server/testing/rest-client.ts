/** A REST call's status and parsed JSON body (null when the body is not JSON). */
export interface Reply<T = unknown> {
  status: number;
  body: T;
}

/** A tiny bearer-token client for integration tests. */
export function restClient(baseUrl: string) {
  return async function call<T = Record<string, unknown>>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    token: string,
    body?: unknown,
  ): Promise<Reply<T>> {
    const r = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text; // CSV and other text answers
    }
    return { status: r.status, body: parsed as T };
  };
}

/** Polls until check() holds (a timeout, not a benchmark). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
