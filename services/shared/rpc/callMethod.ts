import { WaError, type WaErrorCode } from '../WaError.js';

/** How `callMethod` reaches a served method and names it in errors. */
export interface CallMethodOptions {
  /** Who answers, in errors: `the read models (projector)`. */
  what: string;
  /** 10 s unless told otherwise. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

type Answer = { result?: unknown; error?: { code: WaErrorCode; message: string; field: string | null } };

/**
 * Calls a method served by `serveMethods` (`POST <baseUrl><path><method>`). The server's 4xx
 * errors come back as the same WaError (code, message, field: a bad input stays a 400 naming
 * it); a server that cannot be reached or fails (5xx) is UNAVAILABLE.
 */
export async function callMethod<R>(baseUrl: string, path: string, method: string, args: readonly unknown[], options: CallMethodOptions): Promise<R> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await fetchImpl(`${baseUrl}${path}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new WaError('UNAVAILABLE', `${options.what} cannot be reached`, { cause: error });
  }
  const body = (await response.json().catch(() => null)) as Answer | null;
  if (response.ok && body && 'result' in body) return body.result as R;
  const error = body?.error;
  throw new WaError(response.status >= 500 || !error ? 'UNAVAILABLE' : error.code, error?.message ?? `${options.what} answered ${response.status}`, error?.field ? { field: error.field } : {});
}
