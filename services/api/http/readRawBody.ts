import type { IncomingMessage } from 'node:http';
import { WaError } from '../../shared/index.js';

/** A 413 about `field`. */
export function tooLarge(field: string, limitBytes: number): WaError {
  return new WaError('PAYLOAD_TOO_LARGE', `${field} is larger than ${limitBytes} bytes`, { field, details: { limitBytes } });
}

/**
 * Reads a whole request body of at most `limitBytes`. Beyond it, reading stops with a 413 and
 * the rest is drained (so the client can read the answer), never kept.
 */
export function readRawBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return Promise.reject(tooLarge('body', limitBytes));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        chunks.length = 0;
        drainRest(req, limitBytes);
        reject(tooLarge('body', limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(incomplete(error));
    };
    const onClose = (): void => {
      if (!req.complete) onError(new Error('the client closed the request before its end'));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
}

/**
 * Throws away what is left of a request body whose answer is already decided, up to
 * `capBytes`; a client that keeps sending beyond that loses its connection.
 */
export function drainRest(req: IncomingMessage, capBytes: number): void {
  let drained = 0;
  const onData = (chunk: Buffer): void => {
    drained += chunk.length;
    if (drained > capBytes) {
      req.off('data', onData);
      req.socket.destroy();
    }
  };
  req.on('data', onData);
  req.once('error', () => undefined);
  req.resume();
}

/** The client went away before its body arrived; nobody reads the answer. */
export function incomplete(cause: unknown): WaError {
  return new WaError('INVALID_ARGUMENT', 'the request body was not received completely', { field: 'body', cause });
}
