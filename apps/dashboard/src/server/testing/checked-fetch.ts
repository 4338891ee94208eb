import { documentViolation } from "./openapi-check.js";

const origins = new Set<string>();
let original: typeof fetch | null = null;

function requestOf(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): { method: string; url: URL } {
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  return { method: method.toUpperCase(), url };
}

/** Makes every `fetch` of this test process to `baseUrl` check its answer against the OpenAPI
 * document: a status, media type or JSON body the document does not describe fails the call
 * (and so the test). Returns the undo. Responses are read through a clone: the caller gets
 * its body as it was. */
export function checkAnswersOf(baseUrl: string): () => void {
  const { origin } = new URL(baseUrl);
  origins.add(origin);
  if (original === null) {
    const plain = globalThis.fetch;
    original = plain;
    globalThis.fetch = async (input, init) => {
      const res = await plain(input, init);
      const { method, url } = requestOf(input, init);
      if (!origins.has(url.origin)) return res;
      const violation = documentViolation(
        method,
        url.pathname,
        res.status,
        res.headers.get("content-type"),
        await res.clone().text(),
      );
      if (violation) throw new Error(`REST answer off the OpenAPI document: ${violation}`);
      return res;
    };
  }
  return () => {
    origins.delete(origin);
  };
}
