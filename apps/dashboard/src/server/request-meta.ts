import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { ActionRequestMeta } from "@nsatlas/hub";
import type { Principal } from "./auth.js";

/** The peer address of a request, as the audit log records it. */
export const sourceIpOf = (req: IncomingMessage): string | null => req.socket.remoteAddress ?? null;

/** Who asks, from where, under a fresh request id (the id of its audit rows). */
export function requestMeta(req: IncomingMessage, principal: Principal): ActionRequestMeta {
  return { actor: { name: principal.name, role: principal.role }, sourceIp: sourceIpOf(req), requestId: randomUUID() };
}
