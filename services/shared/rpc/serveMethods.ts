import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { httpStatusOf, toWaError, WaError } from '../WaError.js';

const MAX_REQUEST_BYTES = 64 * 1024;

/** What `serveMethods` serves: `POST <path><method>` calls `target[method](...args)`. */
export interface ServeMethodsOptions<T extends object> {
  target: T;
  /** The methods callable from outside; any other name is a 404. */
  methods: readonly (keyof T & string)[];
  /** The path prefix, with its slashes: `/reads/`. */
  path: string;
  port: number;
  /** Loopback unless told otherwise: an internal interface. */
  host?: string;
  logger: Logger;
  /** What the methods answer, in errors and logs: `read model`, `analytics`. */
  what: string;
}

/** What a served call answers: `{ result }` on success, `{ error }` with the WaError's code and field otherwise. */
export type MethodAnswer = { result: unknown } | { error: { code: string; message: string; field: string | null } };

async function readArgs(req: IncomingMessage, what: string): Promise<unknown[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new WaError('PAYLOAD_TOO_LARGE', `${what} request too large`, { field: 'body' });
    chunks.push(chunk as Buffer);
  }
  let args: unknown;
  try {
    args = chunks.length === 0 ? [] : JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new WaError('INVALID_ARGUMENT', 'the body must be a JSON array of arguments', { field: 'body' });
  }
  if (!Array.isArray(args)) throw new WaError('INVALID_ARGUMENT', 'the body must be a JSON array of arguments', { field: 'body' });
  return args;
}

function answer(res: ServerResponse, status: number, body: MethodAnswer): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

/**
 * Serves an object's methods over HTTP (`POST <path><method>`, the arguments as a JSON array,
 * the answer `{ result }` or `{ error: { code, message, field } }` with the error's HTTP
 * status) for the processes that cannot open a store only this process may open (embedded
 * PGlite, chDB). Listening when the promise resolves.
 */
export async function serveMethods<T extends object>(options: ServeMethodsOptions<T>): Promise<Server> {
  const { target, path, logger, what } = options;
  const methods: ReadonlySet<string> = new Set(options.methods);
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://internal');
      const method = url.pathname.startsWith(path) ? url.pathname.slice(path.length) : '';
      if (req.method !== 'POST' || !methods.has(method)) throw new WaError('NOT_FOUND', `no ${what} method at ${req.method} ${url.pathname}`);
      const args = await readArgs(req, what);
      const call = target[method as keyof T] as unknown as (...a: unknown[]) => Promise<unknown>;
      answer(res, 200, { result: (await call.apply(target, args)) ?? null });
    })().catch((error: unknown) => {
      const wrapped = toWaError(error);
      if (httpStatusOf(wrapped) >= 500) logger.error({ err: error }, `${what} query failed`);
      answer(res, httpStatusOf(wrapped), { error: { code: wrapped.code, message: wrapped.message, field: wrapped.field ?? null } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}
