import { searchFleet } from "@nsatlas/hub";
import { SearchResponse } from "@nsatlas/protocol";
import { z } from "zod";
import { HttpError } from "../../http-error.js";
import { defineOperation } from "../operation.js";

/** Longest query accepted; a search is a linear pass over every host's inventory. */
export const MAX_QUERY_LENGTH = 200;

export const searchOperation = defineOperation({
  id: "search.query",
  summary: "Search the fleet",
  description:
    'Searches every host: an address ("10.0.0.1"), a port (":22", "22/tcp"), a pid or inode (digits), a finding code ("leaked-stack"), or text matched against process names and commands, interfaces and stack names.',
  access: "user",
  mutates: false,
  trpc: true,
  input: z.object({ q: z.string() }),
  output: SearchResponse,
  handle: ({ services: { fleet }, input: { q } }) => {
    if (q.trim().length === 0) throw new HttpError(400, "BAD_REQUEST", "q is required");
    if (q.length > MAX_QUERY_LENGTH) {
      throw new HttpError(400, "BAD_REQUEST", `q is longer than ${MAX_QUERY_LENGTH} characters`);
    }
    return { matches: searchFleet(fleet.hosts(), q) };
  },
  rest: {
    method: "GET",
    path: "/api/v1/search",
    answers: "matches with host, stack and what matched",
    query: { q: { description: "what to look for", schema: z.string().max(MAX_QUERY_LENGTH), required: true } },
    errors: { 400: "q missing or too long" },
    input: ({ query }) => ({ q: query.get("q") ?? "" }),
  },
});
