import type { CaptureService } from "@nsatlas/hub";
import { requestMeta } from "../request-meta.js";
import { translated } from "./action-routes.js";
import { unauthorized } from "./http-error.js";
import { type RestRequest, RestResponse, type Route } from "./router.js";

/** The capture API in one table: method, path, who may call it, its answers and media type.
 * (Start is the guarded action capture.start on POST /api/v1/hosts/{id}/actions.) */
export const CAPTURE_ROUTES = [
  {
    method: "GET",
    path: "/api/v1/captures",
    roles: "admin, operator, auditor",
    statuses: [200, 401, 403],
    media: "application/json",
  },
  {
    method: "GET",
    path: "/api/v1/captures/{id}.pcapng",
    roles: "admin, operator, NSATLAS_CAPTURE_ROLES",
    statuses: [200, 401, 403, 404],
    media: "application/x-pcapng",
  },
  {
    method: "POST",
    path: "/api/v1/captures/{id}/stop",
    roles: "admin, operator",
    statuses: [200, 401, 403, 404],
    media: "application/json",
  },
  {
    method: "DELETE",
    path: "/api/v1/captures/{id}",
    roles: "admin, operator",
    statuses: [204, 401, 403, 404],
    media: "application/json",
  },
] as const;

type CapturePath = (typeof CAPTURE_ROUTES)[number]["path"];

/** A file name that says what it is and carries nothing a header or a shell could misread. */
const fileName = (stack: string, id: string) => `${stack.replace(/[^A-Za-z0-9_.-]/g, "_")}-${id.slice(0, 8)}.pcapng`;

export function captureRoutes(captures: CaptureService): Route[] {
  const handlers: Record<CapturePath, (r: RestRequest) => unknown> = {
    "/api/v1/captures": ({ principal }) => {
      if (!principal) throw unauthorized();
      return translated(() => ({ captures: captures.list(principal.role) }));
    },
    "/api/v1/captures/{id}.pcapng": ({ req, params, principal }) => {
      if (!principal) throw unauthorized();
      return translated(() => {
        const { record, stream } = captures.download(requestMeta(req, principal), params.id ?? "");
        return new RestResponse(
          200,
          {
            "content-type": "application/x-pcapng",
            "content-disposition": `attachment; filename="${fileName(record.stack, record.id)}"`,
            "x-content-type-options": "nosniff",
          },
          stream,
        );
      });
    },
    "/api/v1/captures/{id}/stop": ({ req, params, principal }) => {
      if (!principal) throw unauthorized();
      return translated(() => captures.stop(requestMeta(req, principal), params.id ?? ""));
    },
    "/api/v1/captures/{id}": ({ req, params, principal }) => {
      if (!principal) throw unauthorized();
      return translated(() => {
        captures.remove(requestMeta(req, principal), params.id ?? "");
        return new RestResponse(204);
      });
    },
  };
  return CAPTURE_ROUTES.map((r) => ({ method: r.method, path: r.path, handle: handlers[r.path] }));
}
