import { WaError, type WaErrorCode } from '../../shared/index.js';
import type { CommandAnswer, CommandResultValue } from '../ApiServices.js';
import type { RouteResult } from './route.js';

/** Command error codes (wa.commands.CommandError.code) as API errors; unknown codes are upstream failures. */
const COMMAND_CODES: Readonly<Record<string, WaErrorCode>> = {
  VALIDATION_FAILED: 'INVALID_ARGUMENT',
  INVALID_PAYLOAD: 'INVALID_ARGUMENT',
  UNKNOWN_COMMAND: 'INVALID_ARGUMENT',
  ACCOUNT_NOT_FOUND: 'NOT_FOUND',
  MESSAGE_NOT_FOUND: 'NOT_FOUND',
  MEDIA_NOT_FOUND: 'NOT_FOUND',
  NOT_FOUND: 'NOT_FOUND',
  NOT_ON_WHATSAPP: 'NOT_FOUND',
  NOT_A_BUSINESS: 'NOT_FOUND',
  ACCOUNT_EXISTS: 'CONFLICT',
  NOT_CONNECTED: 'CONFLICT',
  LOGGED_OUT: 'CONFLICT',
  ACCOUNT_DELETED: 'CONFLICT',
  CONFLICT: 'CONFLICT',
  NOT_ADMIN: 'FORBIDDEN',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHORIZED: 'FORBIDDEN',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  UNSUPPORTED: 'INVALID_ARGUMENT',
  TIMEOUT: 'TIMEOUT',
  DEADLINE_EXCEEDED: 'TIMEOUT',
  WHATSAPP_ERROR: 'UPSTREAM',
  INTERNAL: 'UPSTREAM',
};

/**
 * Statuses a document fixes for a command error code: WILDCAT answers "Account already
 * exists" with 400, not 409.
 */
export type StatusOverrides = Readonly<Record<string, number>>;

/** The API error a failed, rejected or expired command becomes (400 naming the field, 404, 409...). */
export function commandFailure(result: CommandResultValue, overrides: StatusOverrides = {}): WaError {
  const error = result.error ?? { code: result.status === 'EXPIRED' ? 'DEADLINE_EXCEEDED' : 'INTERNAL', message: `command ${result.status.toLowerCase()}`, retriable: false, statusCode: null, field: null };
  const code = COMMAND_CODES[error.code] ?? 'UPSTREAM';
  const httpStatus = overrides[error.code];
  return new WaError(code, error.message, {
    retriable: error.retriable,
    ...(error.field ? { field: error.field.replace(/^content\./, '') } : {}),
    details: { commandId: result.commandId, commandCode: error.code, ...(httpStatus === undefined ? {} : { httpStatus }) },
  });
}

/**
 * What a route answers for a command: the success body from `onSuccess`, a 202 when the wait
 * ran out, or the error the command's failure maps to (thrown, so the one error handler
 * shapes it for the route's surface).
 */
export function commandOutcome(answer: CommandAnswer, onSuccess: (result: CommandResultValue) => RouteResult, overrides?: StatusOverrides): RouteResult {
  if (answer.kind === 'pending') return { kind: 'accepted', commandId: answer.commandId };
  if (answer.result.status === 'SUCCEEDED') return onSuccess(answer.result);
  throw commandFailure(answer.result, overrides);
}

/** The success branch of a result's wrapped union, e.g. `resultBranch(r, 'wa.commands.MessageSentResult')`. */
export function resultBranch<T = Record<string, unknown>>(result: CommandResultValue, name: string): T {
  const value = result.result?.[name];
  if (value === undefined || value === null) throw new WaError('INTERNAL', `command ${result.commandId} succeeded without a ${name} result`);
  return value as T;
}
