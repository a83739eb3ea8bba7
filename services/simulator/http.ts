import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { WaError, httpStatusOf, type Logger } from '../shared/index.js';

/** HTTP status of an error (see httpStatusOf). */
export const statusOf = httpStatusOf;

/** A handler's answer: JSON, or a byte stream. */
export type Reply = { status?: number; json: unknown } | { status?: number; stream: Readable; contentType: string; size?: number };

export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
}

export type Handler = (context: RouteContext) => Promise<Reply> | Reply;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

/** A minimal method + path router (`/sim/x/:param`); one place maps errors to `{ error: { code, message, field } }`. */
export class Router {
  private readonly routes: Route[] = [];

  constructor(private readonly logger: Logger) {}

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  /** Serves one request. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    try {
      const { route, params } = this.match(req.method ?? 'GET', url.pathname);
      const reply = await route.handler({ req, url, params });
      if ('json' in reply) {
        const body = JSON.stringify(reply.json);
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      } else {
        res.writeHead(reply.status ?? 200, {
          'content-type': reply.contentType,
          ...(reply.size === undefined ? {} : { 'content-length': reply.size }),
        });
        reply.stream.on('error', (error) => res.destroy(error));
        reply.stream.pipe(res);
      }
    } catch (error) {
      const failure = error instanceof WaError ? error : new WaError('INTERNAL', 'internal error', { cause: error });
      const status = statusOf(failure);
      if (status >= 500) this.logger.error({ err: error, path: url.pathname }, 'simulator request failed');
      const body = JSON.stringify({ error: errorBody(failure) });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }
  }

  private match(method: string, pathname: string): { route: Route; params: Record<string, string> } {
    const parts = pathname.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchParts(route.parts, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method) return { route, params: decodedParams(params) };
    }
    if (pathMatched) throw new WaError('INVALID_ARGUMENT', `method ${method} is not allowed here`, { details: { httpStatus: 405 } });
    throw new WaError('NOT_FOUND', `no route ${pathname}`);
  }
}

/** An error as the simulator answers it: `{ code, message, field }` (the message hidden for internal errors). */
export function errorBody(error: WaError): { code: string; message: string; field: string | null } {
  const hidden = error.code === 'INTERNAL' && statusOf(error) >= 500;
  return { code: error.code, message: hidden ? 'internal error' : error.message, field: error.field ?? null };
}

function matchParts(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const expected = pattern[i]!;
    const actual = parts[i]!;
    if (expected.startsWith(':')) params[expected.slice(1)] = actual;
    else if (expected !== actual) return null;
  }
  return params;
}

/** Path parameters as their text; a segment that is no valid percent-encoding is the client's error, naming the parameter. */
function decodedParams(raw: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      throw new WaError('INVALID_ARGUMENT', `${name} is not validly percent-encoded`, { field: name });
    }
  }
  return params;
}

/** Reads a JSON object body up to `limit` bytes; INVALID_ARGUMENT (field `body`) when it is not one. */
export async function readJson(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new WaError('PAYLOAD_TOO_LARGE', `body exceeds ${limit} bytes`, { field: 'body' });
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new WaError('INVALID_ARGUMENT', 'body must be JSON', { field: 'body' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WaError('INVALID_ARGUMENT', 'body must be a JSON object', { field: 'body' });
  }
  return value as Record<string, unknown>;
}
