import type { ResponseSpec } from '../../http/route.js';

/** The errors every authenticated route can answer. */
export const AUTH_ERRORS: Readonly<Record<number, ResponseSpec>> = {
  401: { description: 'Missing or unknown API key (X-API-Key or Authorization: Bearer)' },
  403: { description: 'The API key may not act on this account (or is not the admin key)' },
  429: { description: 'Too many requests: retry after the Retry-After header' },
};

/** A command route's answers when the command is still running after the API's wait, or expired before any connector ran it. */
export const ACCEPTED: Readonly<Record<number, ResponseSpec>> = {
  202: { description: 'Accepted: the command is still running; poll the Location header (/commands/{commandId})' },
  504: { description: 'The command expired: its deadline passed before a connector ran it, so nothing was done; send it again' },
};

/**
 * A route's documented responses: its successes, its documented errors (status → description)
 * and the authentication errors.
 */
export function responses(success: Readonly<Record<number, ResponseSpec>>, errors: Readonly<Record<number, string>> = {}): Readonly<Record<number, ResponseSpec>> {
  const documented: Record<number, ResponseSpec> = {};
  for (const [status, description] of Object.entries(errors)) documented[Number(status)] = { description };
  return { ...success, ...documented, ...AUTH_ERRORS };
}
