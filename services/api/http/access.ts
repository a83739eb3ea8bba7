import { WaError } from '../../shared/index.js';
import type { AccountSource, AnyRoute, Principal } from './route.js';

/** What an account (channel) id looks like; it is also a Kafka key and a path segment. */
export const ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,128}$/;
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The API key a request presents: `X-API-Key`, else `Authorization: Bearer <key>`; null when none. */
export function presentedKey(headers: Headers): string | null {
  const direct = single(headers['x-api-key'])?.trim();
  if (direct) return direct;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(single(headers['authorization']) ?? '');
  return match ? match[1]! : null;
}

/** The client's request id when it is a sane token, else null (a fresh one is made). */
export function clientRequestId(headers: Headers): string | null {
  const value = single(headers['x-request-id']);
  return value !== undefined && REQUEST_ID.test(value) ? value : null;
}

/** The validated `Idempotency-Key` header, or null when absent. */
export function idempotencyKeyOf(headers: Headers): string | null {
  const value = single(headers['idempotency-key']);
  if (value === undefined) return null;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new WaError('INVALID_ARGUMENT', 'Idempotency-Key must be 1 to 128 printable ASCII characters without spaces', { field: 'Idempotency-Key' });
  }
  return value;
}

/** Where a route's account id is read, and under which field name errors report it. */
export interface AccountInput {
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed body, or undefined before it is read. */
  body: unknown;
  headers: Headers;
}

/**
 * The account id a request is about, validated (400 naming the field), or null when it is not
 * given (yet: a `channel` route may carry it in a body not read so far).
 */
export function accountIdOf(source: AccountSource, input: AccountInput): string | null {
  if (source !== 'channel') {
    const name = source.slice('path:'.length);
    return checkedAccountId(name, input.params[name]);
  }
  const fromBody = typeof input.body === 'object' && input.body !== null && !Array.isArray(input.body) ? (input.body as Record<string, unknown>)['channelId'] : undefined;
  if (fromBody !== undefined && fromBody !== '') return checkedAccountId('channelId', fromBody);
  const fromQuery = input.query['channelId'];
  if (fromQuery !== undefined && fromQuery !== '') return checkedAccountId('channelId', fromQuery);
  const fromHeader = single(input.headers['x-channel-id']);
  if (fromHeader !== undefined && fromHeader !== '') return checkedAccountId('channelId', fromHeader);
  return null;
}

/** A 400 for a `channel` route that names no channel anywhere. */
export function channelRequired(): WaError {
  return new WaError('INVALID_ARGUMENT', 'channelId is required (in the query, the body or the X-Channel-Id header)', { field: 'channelId' });
}

function checkedAccountId(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new WaError('INVALID_ARGUMENT', `${field} must be a single string`, { field });
  if (!ACCOUNT_ID.test(value)) {
    throw new WaError('INVALID_ARGUMENT', `${field} must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit`, { field });
  }
  return value;
}

/**
 * Refuses a principal the route does not admit: 403 for a non-admin on an admin route and for
 * a key of another account. `accountId` is null while the account is not known yet.
 */
export function checkAccess(route: AnyRoute, principal: Principal, accountId: string | null): void {
  switch (route.access) {
    case 'public':
      return;
    case 'key':
      return;
    case 'admin':
      if (principal.kind !== 'admin') throw new WaError('FORBIDDEN', 'this route needs the admin key');
      return;
    case 'account':
      if (principal.kind === 'admin' || accountId === null) return;
      if (principal.kind !== 'account' || principal.accountId !== accountId) {
        throw new WaError('FORBIDDEN', `this key may not act for account ${accountId}`);
      }
      return;
    default:
      return unknownAccess(route.access);
  }
}

function unknownAccess(access: never): never {
  throw new WaError('INTERNAL', `unknown access ${String(access)}`);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
