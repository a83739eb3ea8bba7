import { WaError } from '../services/shared/index.js';

/** What went wrong in the codec or the schema tooling; a closed set so callers can switch on it. */
export type CodecErrorCode =
  | 'UNKNOWN_FINGERPRINT'
  | 'CORRUPT_RECORD'
  | 'BAD_MAGIC'
  | 'INCOMPATIBLE_SCHEMA'
  | 'SCHEMA_NOT_FOUND'
  | 'INVALID_SCHEMA'
  | 'INVALID_VALUE';

/**
 * The codec's face of the one error type: a WaError with code `CODEC`, and the precise
 * `reason` for callers that switch on it. None of these failures goes away by trying again
 * with the same bytes or the same schemas, so it is never retriable.
 */
export class CodecError extends WaError {
  readonly reason: CodecErrorCode;
  /** A CORRUPT_RECORD that ends too early (its header or its body), as opposed to one that cannot be read. */
  readonly truncated: boolean;

  constructor(reason: CodecErrorCode, message: string, options: { cause?: unknown; truncated?: boolean } = {}) {
    const truncated = options.truncated === true;
    super('CODEC', message, { cause: options.cause, retriable: false, details: truncated ? { reason, truncated } : { reason } });
    this.name = 'CodecError';
    this.reason = reason;
    this.truncated = truncated;
  }
}
