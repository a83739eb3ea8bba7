/**
 * The one error type of the backbone. Every failure that crosses a module boundary is a
 * WaError with a code from a closed set; `retriable` tells callers whether trying the same
 * operation again can succeed (only retriable errors are retried, with capped backoff).
 */
export type WaErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_ARGUMENT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'UPSTREAM'
  | 'TIMEOUT'
  | 'UNAVAILABLE'
  | 'KAFKA'
  | 'CODEC'
  | 'SHUTTING_DOWN'
  | 'INTERNAL';

const RETRIABLE_BY_DEFAULT: ReadonlySet<WaErrorCode> = new Set(['TIMEOUT', 'UNAVAILABLE', 'RATE_LIMITED']);

export interface WaErrorOptions {
  retriable?: boolean;
  /** The input field or setting the error is about, so a client can see what to fix. */
  field?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class WaError extends Error {
  readonly code: WaErrorCode;
  readonly retriable: boolean;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: WaErrorCode, message: string, options: WaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WaError';
    this.code = code;
    this.retriable = options.retriable ?? RETRIABLE_BY_DEFAULT.has(code);
    this.field = options.field;
    this.details = options.details;
  }
}

/** True when trying the failed operation again may succeed. */
export function isRetriable(error: unknown): boolean {
  if (error instanceof WaError) return error.retriable;
  if (typeof error === 'object' && error !== null && 'retriable' in error) {
    return (error as { retriable: unknown }).retriable === true;
  }
  return false;
}

/** Wraps anything thrown into a WaError, keeping the original as `cause`. */
export function toWaError(error: unknown, fallback: WaErrorCode = 'INTERNAL'): WaError {
  if (error instanceof WaError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new WaError(fallback, message, { cause: error, retriable: isRetriable(error) });
}

const HTTP_STATUS: Record<WaErrorCode, number> = {
  INVALID_CONFIG: 500,
  INVALID_ARGUMENT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UPSTREAM: 502,
  TIMEOUT: 504,
  UNAVAILABLE: 503,
  KAFKA: 503,
  CODEC: 500,
  SHUTTING_DOWN: 503,
  INTERNAL: 500,
};

/** The one mapping of errors to HTTP: the code's status, unless the error names one (`details.httpStatus`). */
export function httpStatusOf(error: WaError): number {
  const override = error.details?.['httpStatus'];
  return typeof override === 'number' ? override : HTTP_STATUS[error.code];
}
