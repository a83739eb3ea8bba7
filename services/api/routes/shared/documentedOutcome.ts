import { WaError, type WaErrorCode } from '../../../shared/index.js';
import type { CommandAnswer, CommandResultValue } from '../../ApiServices.js';
import { commandFailure } from '../../http/commandOutcome.js';
import type { AcceptedResult, RouteResult } from '../../http/route.js';

/** How an API document words one command error: its HTTP status and message. */
export interface DocumentedError {
  status?: number;
  message?: string;
  /** The API error code, when the document's status changes the error's nature (e.g. 500 internal_error). */
  code?: WaErrorCode;
  /** The request field at fault, when the document makes the error a 400 (every 400 names its field). */
  field?: string;
}

/** Documented errors by command error code (`ACCOUNT_EXISTS`, `ACCOUNT_NOT_FOUND`, ...). */
export type DocumentedErrors = Readonly<Record<string, DocumentedError>>;

/**
 * `commandOutcome` with the document's own words (WILDCAT answers ACCOUNT_EXISTS with
 * 400 "Account already exists", not with the connector's message and 409); `onSuccess` may be
 * async (QR images are rendered).
 */
export function documentedOutcome<R extends RouteResult | Promise<RouteResult>>(
  answer: CommandAnswer,
  onSuccess: (result: CommandResultValue) => R,
  errors: DocumentedErrors = {},
): R | AcceptedResult {
  if (answer.kind === 'pending') return { kind: 'accepted', commandId: answer.commandId };
  if (answer.result.status === 'SUCCEEDED') return onSuccess(answer.result);
  throw documentedFailure(answer.result, errors);
}

/** The API error of a failed command, as the document words it. */
export function documentedFailure(result: CommandResultValue, errors: DocumentedErrors): WaError {
  const failure = commandFailure(result);
  const commandCode = String(failure.details?.['commandCode'] ?? '');
  const documented = errors[commandCode];
  if (documented === undefined) return failure;
  const field = documented.field ?? failure.field;
  return new WaError(documented.code ?? failure.code, documented.message ?? failure.message, {
    retriable: failure.retriable,
    ...(field === undefined ? {} : { field }),
    details: { ...failure.details, ...(documented.status === undefined ? {} : { httpStatus: documented.status }) },
  });
}
