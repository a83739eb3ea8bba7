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
 * The one error the codec throws. None of these failures goes away by trying again with the
 * same bytes or the same schemas, so `retriable` is always false.
 */
export class CodecError extends Error {
  readonly code: CodecErrorCode;
  readonly retriable = false as const;

  constructor(code: CodecErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodecError';
    this.code = code;
  }
}
