import { type FleetStore, searchFleet } from "@nsatlas/hub";
import type { SearchResponse } from "@nsatlas/protocol";
import { HttpError } from "./http-error.js";
import type { Route } from "./router.js";

/** Longest query accepted; a search is a linear pass over every host's inventory. */
export const MAX_QUERY_LENGTH = 200;

/** `GET /api/v1/search?q=…`: the fleet search (addresses, ports, processes, pids,
 * interfaces, inodes, stack names, finding codes) over every host, stale ones included. */
export function searchRoutes(fleet: FleetStore): Route[] {
  return [
    {
      method: "GET",
      path: "/api/v1/search",
      handle: ({ query }): SearchResponse => {
        const q = query.get("q");
        if (q === null || q.trim().length === 0) throw new HttpError(400, "BAD_REQUEST", "q is required");
        if (q.length > MAX_QUERY_LENGTH) {
          throw new HttpError(400, "BAD_REQUEST", `q is longer than ${MAX_QUERY_LENGTH} characters`);
        }
        return { matches: searchFleet(fleet.hosts(), q) };
      },
    },
  ];
}
