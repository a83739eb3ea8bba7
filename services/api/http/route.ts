import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { ApiServices } from '../ApiServices.js';

/** Which API document a route belongs to; it decides the envelope of its answers and errors. */
export type Surface =
  /** Seed API 1 (`/accounts`, `/ping`, `/webhooks`): `{ ok: true, ... }`, errors `{ ok: false, error }`. */
  | 'wildcat'
  /** Seed API 2 (`/channels`, `/messages`, ...): `{ success: true, data }`, errors `{ success: false, error }`. */
  | 'whapi'
  /** Our own additions (`/commands/:id`, `/events`, `/openapi.json`, `/api-keys`): whapi-style envelope. */
  | 'system';

/**
 * Who may call a route. `public`: anyone. `admin`: the admin key only. `account`: the admin key
 * or a key of the route's account (found through `account`), a key of another account gets 403.
 * `key`: any valid key (admin or account); the handler sees the principal and scopes its answer.
 */
export type Access = 'public' | 'admin' | 'account' | 'key';

/**
 * Where a route's account (channel) id comes from. `path:<name>`: a path parameter;
 * `channel`: the WHAPI rule (`channelId` in the query or body, or the `X-Channel-Id` header).
 * The core validates the id (400 naming the field), checks the key's access (403) and hands
 * the id to the handler as `request.accountId`.
 */
export type AccountSource = `path:${string}` | 'channel';

/** A file part of a multipart request, already streamed into the media store. */
export interface UploadedFile {
  field: string;
  mediaId: string;
  size: number;
  mimetype: string | null;
  fileName: string | null;
}

/** Multipart requests: the file fields accepted (other parts are text fields, validated by `body`). */
export interface MultipartSpec {
  files: readonly string[];
  /** At least one of `files` must be present. */
  required: boolean;
}

/** Who made the request: the admin, or a key bound to one account. */
export type Principal = { kind: 'admin'; keyId: 'admin' } | { kind: 'account'; keyId: string; accountId: string } | { kind: 'anonymous' };

/** What a handler receives: validated input and the request's context. */
export interface RouteRequest<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The account the route is about (set when the route declares `account`). */
  accountId: string;
  principal: Principal;
  /** Request id (also the commands' correlationId). */
  requestId: string;
  /** The `Idempotency-Key` header, validated, when given. */
  idempotencyKey: string | null;
  /** Multipart uploads, already in the media store. */
  files: readonly UploadedFile[];
  /** Lower-cased request headers (for the few routes that read one, e.g. `Last-Event-ID`). */
  headers: Readonly<Record<string, string | undefined>>;
  /** Aborted when the client goes away (long waits and streams stop). */
  signal: AbortSignal;
}

/**
 * A JSON answer. The core puts `body` in the envelope of the route's surface, laid out as the
 * route documents this status (`ResponseSpec.layout`), so the answer and the document agree.
 */
export interface JsonResult {
  kind: 'json';
  status?: number;
  /** WILDCAT: the fields beside `ok: true`; WHAPI/system: the value of `data`, the fields beside `success` (`spread`), or the whole body (`raw`). */
  body: unknown;
  headers?: Record<string, string>;
}

/** A streamed binary answer (media, PNG). */
export interface StreamResult {
  kind: 'stream';
  status?: number;
  stream: Readable | Buffer;
  contentType: string;
  contentLength?: number;
  headers?: Record<string, string>;
}

/** A command that did not finish within the API's wait: 202 + Location: /commands/{id}. */
export interface AcceptedResult {
  kind: 'accepted';
  commandId: string;
}

/** An HTML page (`/docs`). */
export interface HtmlResult {
  kind: 'html';
  status?: number;
  html: string;
}

/** Server-Sent Events: the core hands over the raw response; the handler writes until `signal` aborts. */
export interface EventStreamResult {
  kind: 'event-stream';
  run: (write: (chunk: string) => Promise<void>, signal: AbortSignal) => Promise<void>;
}

export type RouteResult = JsonResult | StreamResult | AcceptedResult | HtmlResult | EventStreamResult;

/** How a JSON answer's body sits in its envelope. */
export type Layout = 'data' | 'spread' | 'raw';

/** One documented response of a route: the OpenAPI document's, and the layout its answers take. */
export interface ResponseSpec {
  description: string;
  /** Schema of the JSON answer (inside the envelope), when JSON. */
  schema?: z.ZodType;
  /** Non-JSON content type (`image/png`, `application/octet-stream`, `text/event-stream`, `text/html`). */
  contentType?: string;
  /**
   * How the body sits in the answer, in the document and on the wire alike: `data`
   * (WHAPI/system default: `{ success, data }`), `spread` (fields beside `ok` / `success`;
   * always so on WILDCAT) or `raw` (no envelope).
   */
  layout?: Layout;
}

/**
 * One HTTP route: the single source of truth for validation, handling and the OpenAPI
 * document. Handlers are small: input → command / read → answer.
 */
export interface RouteDef<P = unknown, Q = unknown, B = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Koa router path, e.g. `/accounts/:accountId/message/send`. */
  path: string;
  surface: Surface;
  /** OpenAPI operationId: unique, camelCase. */
  operationId: string;
  summary: string;
  tags: readonly string[];
  access: Access;
  /** Where the account id comes from; required when access is `account`. */
  account?: AccountSource;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  /** JSON (or urlencoded / multipart text fields) body. WHAPI routes accept their fields in the query too. */
  body?: z.ZodType<B>;
  multipart?: MultipartSpec;
  /** Documented responses by status code (errors included: 400, 401, 403, 404, 413, 429...). */
  responses: Readonly<Record<number, ResponseSpec>>;
  handler: (request: RouteRequest<P, Q, B>, services: ApiServices) => Promise<RouteResult>;
}

/** Declares a route with its input types inferred from its schemas. */
export function defineRoute<P = unknown, Q = unknown, B = unknown>(route: RouteDef<P, Q, B>): RouteDef<P, Q, B> {
  return route;
}

/** Any route, for lists of routes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDef<any, any, any>;
