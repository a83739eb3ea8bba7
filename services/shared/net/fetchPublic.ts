import http from 'node:http';
import https from 'node:https';
import { Transform, type Readable } from 'node:stream';
import { WaError } from '../WaError.js';
import { publicLookup } from './publicLookup.js';
import { checkPublicUrl } from './publicUrl.js';

export interface FetchPublicOptions {
  /** Allow private, loopback and link-local targets (WEBHOOK_ALLOW_PRIVATE: tests, closed networks). */
  allowPrivate: boolean;
  /** Largest body accepted; the stream fails beyond it. */
  maxBytes: number;
  /** Until the response headers arrive. */
  timeoutMs?: number;
  /** The field named in errors (e.g. `content.media.mediaId`). */
  field?: string;
}

/**
 * GETs a URL a client gave (media to send): http(s) only, no redirects followed, private
 * targets refused after DNS resolution unless allowed, the body capped at `maxBytes`.
 * Resolves with the body as a stream once the headers say 200.
 */
export async function fetchPublic(raw: string, options: FetchPublicOptions): Promise<{ stream: Readable; mimetype: string | null; size: number | null }> {
  const field = options.field ?? 'url';
  const url = checkPublicUrl(raw, field, { allowPrivate: options.allowPrivate });
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { ...(options.allowPrivate ? {} : { lookup: publicLookup(field) }), timeout: options.timeoutMs ?? 15_000 }, (response) => {
      const status = response.statusCode ?? 0;
      if (status !== 200) {
        response.resume();
        const what = status >= 300 && status < 400 ? 'redirects (not followed)' : `answered ${status}`;
        reject(new WaError('INVALID_ARGUMENT', `${field}: the URL ${what}`, { field, retriable: status >= 500 }));
        return;
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        response.destroy();
        reject(new WaError('PAYLOAD_TOO_LARGE', `${field}: the file is larger than ${options.maxBytes} bytes`, { field }));
        return;
      }
      let seen = 0;
      const capped = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          seen += chunk.length;
          if (seen > options.maxBytes) done(new WaError('PAYLOAD_TOO_LARGE', `${field}: the file is larger than ${options.maxBytes} bytes`, { field }));
          else done(null, chunk);
        },
      });
      response.on('error', (error) => capped.destroy(error));
      // The consumer attaches later and still sees the error (the stream is destroyed with it);
      // until then this keeps an early failure from being an uncaught exception.
      capped.on('error', () => undefined);
      const type = response.headers['content-type'];
      resolve({ stream: response.pipe(capped), mimetype: typeof type === 'string' ? type.split(';')[0]!.trim() || null : null, size: Number.isFinite(declared) ? declared : null });
    });
    request.on('timeout', () => request.destroy(new WaError('TIMEOUT', `${field}: the URL did not answer in time`, { field })));
    request.on('error', (error) => reject(error instanceof WaError ? error : new WaError('INVALID_ARGUMENT', `${field}: the URL could not be fetched (${error.message})`, { field, cause: error, retriable: true })));
  });
}
