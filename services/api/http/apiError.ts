import { WaError, type WaErrorCode } from '../../shared/index.js';

const CODE_OF_STATUS: Readonly<Record<number, WaErrorCode>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
};

/**
 * Anything a request can throw as the one error type: WaErrors as they are, client errors of
 * Koa and its libraries (http-errors with `expose`) with their status, everything else an
 * internal error whose message stays in the logs.
 */
export function toApiError(error: unknown): WaError {
  if (error instanceof WaError) return error;
  if (typeof error === 'object' && error !== null) {
    const { status, expose, message } = error as { status?: unknown; expose?: unknown; message?: unknown };
    if (typeof status === 'number' && status >= 400 && status < 500 && expose === true) {
      return new WaError(CODE_OF_STATUS[status] ?? 'INVALID_ARGUMENT', typeof message === 'string' ? message : 'bad request', {
        cause: error,
        details: { httpStatus: status },
      });
    }
  }
  return new WaError('INTERNAL', 'unexpected error', { cause: error });
}

/** A 405: the path exists, the method does not. */
export function methodNotAllowed(method: string, path: string, allowed: readonly string[]): WaError {
  return new WaError('INVALID_ARGUMENT', `method ${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`, {
    details: { httpStatus: 405, allow: allowed.join(', ') },
  });
}
