import { WaError } from '../../../shared/index.js';
import type { DocumentedErrors } from '../shared/index.js';

/** Command errors in WHAPI's words: a channel, not an account. */
export const CHANNEL_ERRORS: DocumentedErrors = {
  ACCOUNT_NOT_FOUND: { message: 'Channel not found' },
  ACCOUNT_EXISTS: { message: 'Channel already exists' },
};

/** 404 for a channel the read model does not know. */
export function channelNotFound(): WaError {
  return new WaError('NOT_FOUND', 'Channel not found', { field: 'id' });
}
