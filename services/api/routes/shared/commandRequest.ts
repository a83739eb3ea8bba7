import type { CommandPayload, CommandType } from '../../../shared/commands/index.js';
import type { CommandRequest } from '../../ApiServices.js';
import type { Principal, RouteRequest } from '../../http/route.js';

/** The key id a command records as `requestedBy`: `admin` or the account key's id, never the key. */
export function requestedBy(principal: Principal): string {
  return principal.kind === 'anonymous' ? 'anonymous' : principal.keyId;
}

/**
 * The command a route sends for its request: the request's account (or `options.accountId`,
 * for creations whose id is in the body), correlation and idempotency key. `options.step`
 * names a follow-up command of the same request, so it gets its own idempotency key.
 */
export function commandRequest(
  request: Pick<RouteRequest<unknown, unknown, unknown>, 'accountId' | 'principal' | 'requestId' | 'idempotencyKey' | 'signal'>,
  type: CommandType,
  payload: CommandPayload,
  options: { accountId?: string; step?: string; detached?: boolean } = {},
): CommandRequest {
  const key = request.idempotencyKey;
  return {
    accountId: options.accountId ?? request.accountId,
    type,
    payload,
    requestId: request.requestId,
    idempotencyKey: key === null ? null : options.step === undefined ? key : `${key}:${options.step}`,
    requestedBy: requestedBy(request.principal),
    // A detached command outlives the request: the client going away must not stop its wait.
    ...(options.detached ? {} : { signal: request.signal }),
  };
}
