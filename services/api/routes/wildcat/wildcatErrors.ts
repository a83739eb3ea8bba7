import type { DocumentedErrors } from '../shared/index.js';

const ACCOUNT_NOT_FOUND = { message: 'Account not found', status: 404 } as const;

/** Errors of the account commands in the document's words. */
export const ACCOUNT_ERRORS: DocumentedErrors = {
  ACCOUNT_EXISTS: { message: 'Account already exists', status: 400, field: 'id' },
  ACCOUNT_NOT_FOUND,
};

/**
 * Errors of the sends: the document answers every failure to send (disconnected, rate
 * limited...) with 500 `internal_error`; the command's own code stays in the error details.
 */
export const SEND_ERRORS: DocumentedErrors = {
  ACCOUNT_NOT_FOUND,
  NOT_CONNECTED: internal(),
  LOGGED_OUT: internal(),
  ACCOUNT_DELETED: internal(),
  RATE_LIMITED: internal(),
  WHATSAPP_ERROR: internal(),
  INTERNAL: internal(),
  TIMEOUT: internal(),
  DEADLINE_EXCEEDED: internal(),
  CONFLICT: internal(),
};

function internal(): { message: string; status: number; code: 'UPSTREAM' } {
  return { message: 'internal_error', status: 500, code: 'UPSTREAM' };
}
