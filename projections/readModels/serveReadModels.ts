import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../../services/shared/index.js';
import { httpStatusOf, toWaError, WaError } from '../../services/shared/index.js';
import type { ReadModels } from './ReadModels.js';
import { isReadModelMethod, READ_MODELS_PATH } from './readModelMethods.js';

const MAX_REQUEST_BYTES = 64 * 1024;

async function readArgs(req: IncomingMessage): Promise<unknown[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new WaError('PAYLOAD_TOO_LARGE', 'read request too large', { field: 'body' });
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

function answer(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body === undefined ? null : body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

/**
 * Serves ReadModels over HTTP (`POST /reads/<method>`, arguments as a JSON array) for API
 * processes when the read models live in this process's embedded PGlite, which no other
 * process may open. Bound to loopback unless told otherwise: it is an internal interface.
 */
export async function serveReadModels(options: { models: ReadModels; port: number; host?: string; logger: Logger }): Promise<Server> {
  const { models, logger } = options;
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://projector');
      const method = url.pathname.startsWith(READ_MODELS_PATH) ? url.pathname.slice(READ_MODELS_PATH.length) : '';
      if (req.method !== 'POST' || !isReadModelMethod(method)) throw new WaError('NOT_FOUND', `no read ${req.method} ${url.pathname}`);
      const args = await readArgs(req);
      const query = models[method] as (...a: unknown[]) => Promise<unknown>;
      answer(res, 200, { result: (await query.apply(models, args)) ?? null });
    })().catch((error: unknown) => {
      const wrapped = toWaError(error);
      if (httpStatusOf(wrapped) >= 500) logger.error({ err: error }, 'read model query failed');
      answer(res, httpStatusOf(wrapped), { error: { code: wrapped.code, message: wrapped.message, field: wrapped.field ?? null } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}
