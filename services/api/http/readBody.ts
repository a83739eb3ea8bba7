import type { IncomingMessage } from 'node:http';
import { WaError, type MediaStore } from '../../shared/index.js';
import { parseForm } from './formFields.js';
import { readMultipart } from './readMultipart.js';
import { readRawBody } from './readRawBody.js';
import type { UploadedFile } from './route.js';

export interface ReadBodyOptions {
  req: IncomingMessage;
  /** File fields the route accepts in a multipart body. */
  fileFields: readonly string[];
  store: MediaStore;
  bodyLimitBytes: number;
  mediaMaxBytes: number;
}

/** A request body as parsed, before validation; multipart files already in the media store. */
export interface ParsedBody {
  body: unknown;
  files: UploadedFile[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a request body by its Content-Type: JSON, urlencoded (or JSON sent with curl's default
 * urlencoded type, as the documents' own `curl -d '{...}'` examples do) or multipart. A request
 * without a body gives `{}`, so a missing field is reported by name.
 */
export async function readBody(options: ReadBodyOptions): Promise<ParsedBody> {
  const { req } = options;
  if (!hasBody(req)) return { body: {}, files: [] };
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') throw unsupported(`content encoding ${encoding}`);
  const type = mediaType(req.headers['content-type']);
  if (type === 'multipart/form-data') {
    const { fields, files } = await readMultipart({
      req,
      fileFields: options.fileFields,
      store: options.store,
      mediaMaxBytes: options.mediaMaxBytes,
      textLimitBytes: options.bodyLimitBytes,
    });
    return { body: { ...fields }, files };
  }
  const isJson = type === 'application/json' || type.endsWith('+json');
  const isForm = type === 'application/x-www-form-urlencoded';
  if (!isJson && !isForm && type !== '' && type !== 'text/plain') throw unsupported(`content type ${type}`);
  const text = decode(await readRawBody(req, options.bodyLimitBytes));
  if (text.trim() === '') return { body: {}, files: [] };
  if (isJson || looksLikeJson(text)) return { body: parseJson(text), files: [] };
  if (isForm) return { body: { ...parseForm(text) }, files: [] };
  throw unsupported('a text body that is not JSON');
}

function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length']);
  return Number.isFinite(length) && length > 0;
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

function decode(bytes: Buffer): string {
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch (error) {
    throw new WaError('INVALID_ARGUMENT', 'body is not valid UTF-8', { field: 'body', cause: error });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // V8's message quotes the body; the client knows what it sent, the logs must not.
    throw new WaError('INVALID_ARGUMENT', 'body is not valid JSON', { field: 'body' });
  }
}

function unsupported(what: string): WaError {
  return new WaError('INVALID_ARGUMENT', `body with ${what} is not accepted; send application/json, application/x-www-form-urlencoded or multipart/form-data`, {
    field: 'body',
    details: { httpStatus: 415 },
  });
}
