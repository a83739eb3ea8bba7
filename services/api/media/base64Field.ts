import { Readable } from 'node:stream';
import { WaError } from '../../shared/index.js';

/** Base64 text inside a larger string: `[start, end)` of `text`, validated. */
export interface Base64Payload {
  text: string;
  start: number;
  end: number;
  /** The MIME type a `data:` URL declared, else null. */
  mimetype: string | null;
  /** Exact size of the decoded bytes. */
  size: number;
}

/** Standard or URL-safe alphabet, at most two `=` at the very end (sticky: tested from `lastIndex`). */
const BASE64 = /[A-Za-z0-9+/_-]*={0,2}$/y;
const MIME = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;
/** Base64 characters per decoded chunk: a multiple of 4, so every chunk decodes on its own. */
const CHUNK_CHARS = 64 * 1024;

/**
 * A media field holding base64, bare or as a `data:<mime>;base64,` URL, validated without
 * copying it: the alphabet, the padding and the length (a remainder of one character is never
 * valid). `maxBytes` is checked on the decoded size, before anything is decoded (413).
 * Throws 400 naming `field` when it is not base64.
 */
export function parseBase64Field(value: string, field: string, maxBytes: number): Base64Payload {
  let text = value;
  let start = 0;
  let mimetype: string | null = null;
  if (/^data:/i.test(text)) {
    const comma = text.indexOf(',');
    if (comma < 0) throw notBase64(field, 'a data URL needs a comma before its data');
    const [type = '', ...parameters] = text.slice(5, comma).split(';').map((part) => part.trim());
    if (!parameters.some((p) => p.toLowerCase() === 'base64')) throw notBase64(field, 'only base64 data URLs are accepted');
    if (type !== '' && !MIME.test(type)) throw notBase64(field, 'the data URL has an invalid MIME type');
    mimetype = type === '' ? null : type.toLowerCase();
    start = comma + 1;
  }
  if (!isBase64At(text, start)) {
    // Encoders that wrap lines (MIME, PEM) are common; only then is the text copied.
    text = text.slice(start).replace(/\s+/g, '');
    start = 0;
    if (!isBase64At(text, 0)) throw notBase64(field, 'it contains characters outside the base64 alphabet');
  }
  const end = text.length;
  let padding = 0;
  while (padding < 2 && end - padding > start && text.charCodeAt(end - padding - 1) === 0x3d) padding += 1;
  const data = end - start - padding;
  if (data === 0) throw new WaError('INVALID_ARGUMENT', `${field} is empty`, { field });
  if (data % 4 === 1 || (padding > 0 && (end - start) % 4 !== 0)) throw notBase64(field, 'its length is not that of base64');
  const size = Math.floor((data * 3) / 4);
  if (size > maxBytes) throw new WaError('PAYLOAD_TOO_LARGE', `${field} is larger than ${maxBytes} bytes`, { field, details: { maxBytes } });
  return { text, start, end, mimetype, size };
}

/** The decoded bytes as a stream of chunks, so a large field is never decoded whole. */
export function base64Stream(payload: Base64Payload): Readable {
  const { text, start, end } = payload;
  return Readable.from(
    (function* chunks(): Generator<Buffer> {
      for (let at = start; at < end; at += CHUNK_CHARS) yield Buffer.from(text.slice(at, Math.min(end, at + CHUNK_CHARS)), 'base64');
    })(),
  );
}

/** The first decoded bytes (for sniffing the type). */
export function base64Head(payload: Base64Payload, bytes = 12): Buffer {
  const chars = Math.ceil(bytes / 3) * 4;
  return Buffer.from(payload.text.slice(payload.start, Math.min(payload.end, payload.start + chars)), 'base64');
}

function isBase64At(text: string, start: number): boolean {
  BASE64.lastIndex = start;
  return BASE64.test(text);
}

function notBase64(field: string, why: string): WaError {
  return new WaError('INVALID_ARGUMENT', `${field} is neither an http(s) URL nor valid base64: ${why}`, { field });
}
