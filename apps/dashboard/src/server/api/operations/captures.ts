import { CaptureSummary } from "@nsatlas/protocol";
import { z } from "zod";
import { defineOperation } from "../operation.js";
import { RestResponse } from "../rest-response.js";
import { meta } from "./actions.js";

// The capture API. Starting one is the guarded action capture.start (POST
// /api/v1/hosts/{id}/actions); these list, read, stop and delete them.

const Id = z.object({ id: z.string() });
const byId = ({ params }: { params: Record<string, string> }) => ({ id: params.id ?? "" });

/** A file name that says what it is and carries nothing a header or a shell could misread. */
const fileName = (stack: string, id: string) => `${stack.replace(/[^A-Za-z0-9_.-]/g, "_")}-${id.slice(0, 8)}.pcapng`;

export const listCaptures = defineOperation({
  id: "captures.list",
  summary: "List packet captures",
  description:
    "Every capture the hub keeps: who started it, host, stack, interface, filter, state, stopReason, packets, bytes, drops. Auditors may list them (not read their packets).",
  access: "user",
  mutates: false,
  trpc: false,
  input: z.void(),
  output: z.object({ captures: z.array(CaptureSummary) }),
  handle: (call) => ({ captures: call.services.guarded.captures.list(meta(call).actor.role) }),
  rest: { method: "GET", path: "/api/v1/captures", answers: "the captures", input: () => undefined },
});

export const downloadCapture = defineOperation({
  id: "captures.download",
  summary: "Download a capture (pcapng)",
  description:
    "The capture's pcapng: while it runs, a stream that grows as packets arrive (Wireshark reads it as it grows); afterwards the file. Packets are personal data: admin and operator, and the roles NSATLAS_CAPTURE_ROLES adds. Audited.",
  access: "user",
  mutates: false,
  trpc: false,
  input: Id,
  output: z.string(),
  handle: (call) => {
    const { record, stream } = call.services.guarded.captures.download(meta(call), call.input.id);
    return new RestResponse(
      200,
      {
        "content-type": "application/x-pcapng",
        "content-disposition": `attachment; filename="${fileName(record.stack, record.id)}"`,
        "x-content-type-options": "nosniff",
      },
      stream,
    );
  },
  rest: {
    method: "GET",
    path: "/api/v1/captures/{id}.pcapng",
    answers: "the pcapng file or stream",
    headers: { "Content-Disposition": 'attachment; filename="<stack>-<id>.pcapng"' },
    media: { json: false, other: ["application/x-pcapng"] },
    errors: { 403: "a role that may not read packets", 404: "no such capture" },
    input: byId,
  },
});

export const stopCapture = defineOperation({
  id: "captures.stop",
  summary: "Stop a capture",
  description: "Stops a running capture (its file stays until NSATLAS_CAPTURE_RETENTION). Audited.",
  access: "user",
  mutates: true,
  trpc: false,
  input: Id,
  output: CaptureSummary,
  handle: (call) => call.services.guarded.captures.stop(meta(call), call.input.id),
  rest: {
    method: "POST",
    path: "/api/v1/captures/{id}/stop",
    answers: "the capture, stopped",
    errors: { 403: "role or read-only", 404: "no such capture" },
    input: byId,
  },
});

export const deleteCapture = defineOperation({
  id: "captures.delete",
  summary: "Delete a capture",
  description: "Stops the capture if it runs and removes its file. Audited.",
  access: "user",
  mutates: true,
  trpc: false,
  input: Id,
  output: z.undefined(),
  handle: (call) => {
    call.services.guarded.captures.remove(meta(call), call.input.id);
    return new RestResponse(204);
  },
  rest: {
    method: "DELETE",
    path: "/api/v1/captures/{id}",
    success: 204,
    answers: "deleted",
    errors: { 403: "role or read-only", 404: "no such capture" },
    input: byId,
  },
});

export const captureOperations = [listCaptures, downloadCapture, stopCapture, deleteCapture];
