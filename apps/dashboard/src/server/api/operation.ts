import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import type { Principal } from "../auth.js";
import type { ApiServices } from "./api-services.js";
import type { RestResponse } from "./rest-response.js";

/** Who may call an operation. Every caller but `public`'s needs a credential of a person or
 * a script (agent tokens only stream to /agent); `audit-reader` is admins and auditors. */
export type Access = "public" | "user" | "audit-reader";

/** The error statuses the API answers with, each as `{"error": {"code", "message"}}`. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503 | 504;

/** What a handler gets, over REST and tRPC alike. */
export interface Call<I> {
  services: ApiServices;
  input: I;
  /** The caller; null only for `public` operations called without a credential. */
  principal: Principal | null;
  sourceIp: string | null;
  /** The HTTP request (a tRPC websocket's upgrade request): headers, cookies, peer. */
  req: IncomingMessage;
}

/** A REST request as an input parser sees it. */
export interface RestRequest {
  req: IncomingMessage;
  /** For a parser that must look something up before it reads the query (today's order of
   * errors: an unknown host is 404 whatever the query says). */
  services: ApiServices;
  params: Record<string, string>;
  query: URLSearchParams;
}

/** A query parameter as the OpenAPI document describes it. */
export interface QueryParameter {
  description: string;
  schema: z.ZodType;
  required?: boolean;
  /** Repeatable (`?label=a&label=b`). */
  repeated?: boolean;
}

/** How an operation is served over REST and described in the OpenAPI document. */
export interface RestBinding<I, O> {
  method: "GET" | "POST" | "DELETE";
  /** A path with `{name}` segments, e.g. /api/v1/hosts/{id}/inventory. */
  path: string;
  /** The success status (default 200); 204 answers no body. */
  success?: 200 | 204;
  /** What the success answer is, for the document. */
  answers: string;
  /** Headers of the success answer worth stating (name → what it carries). */
  headers?: Record<string, string>;
  query?: Record<string, QueryParameter>;
  /** The request body's schema (JSON), for the document; the parser reads it. */
  body?: z.ZodType;
  /** Media types of the success answer other than JSON (`text/csv`, `text/plain`, …), each
   * a string body; `json: false` when the answer is never JSON. */
  media?: { json?: boolean; other?: readonly string[] };
  /** The errors this operation itself answers, with what each means. 401, 403 (agent tokens),
   * 400 (malformed request) and 503 (shutting down, credential not checkable) are added for
   * every authenticated operation; a description here replaces the general one. */
  errors?: Partial<Record<ErrorStatus, string | ((o: DocumentOptions) => string)>>;
  /** Reads the operation's input from the request (400 on bad parameters). */
  input(r: RestRequest): I | Promise<I>;
  /** Turns the output into the answer (default: 200 + JSON, or 204 when `success` is 204). */
  reply?(output: O, input: I): unknown;
}

/** Settings the document states (they change what the server answers). */
export interface DocumentOptions {
  actionTimeoutMs: number;
}

/** One operation of the API: its input, output, who may call it and whether it changes
 * anything; the tRPC procedure and the REST route with its OpenAPI entry are made from it. */
export interface Operation<S extends z.ZodType = z.ZodType, O = unknown> {
  /** Stable id: the OpenAPI operationId and, when `trpc`, the tRPC path (`hosts.list`). */
  id: string;
  summary: string;
  description?: string;
  access: Access;
  /** Mutations pass the mutation guard (auditors, agent tokens and a read-only dashboard are
   * refused with 403 and an audit row) and are tRPC mutations. */
  mutates: boolean;
  /** The input (tRPC validates it; a REST binding's parser makes it from the request). */
  input: S;
  /** The JSON answer (tRPC's output, REST's 200 body). */
  output: z.ZodType<O>;
  /** Served as a tRPC procedure (the UI's API) too. */
  trpc: boolean;
  rest?: RestBinding<z.output<S>, O>;
  handle(call: Call<z.output<S>>): O | RestResponse | Promise<O | RestResponse>;
}

/** Defines an operation (the identity, typed: input and output are inferred from it). */
export function defineOperation<S extends z.ZodType, O>(op: Operation<S, O>): Operation<S, O> {
  return op;
}

/** An operation of any input and output (handlers and parsers are methods, so any typed
 * operation is one). */
export type AnyOperation = Operation<z.ZodType, unknown>;
