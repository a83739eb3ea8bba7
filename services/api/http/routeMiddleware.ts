import type { Middleware, ParameterizedContext } from 'koa';
import { WaError } from '../../shared/index.js';
import type { ApiServices } from '../ApiServices.js';
import type { ApiState } from './ApiState.js';
import { accountIdOf, channelRequired, checkAccess, idempotencyKeyOf, presentedKey } from './access.js';
import { readBody } from './readBody.js';
import { renderResult, type RenderOptions } from './renderResult.js';
import type { AnyRoute, RouteRequest } from './route.js';
import { readsBody, takesIdempotencyKey } from './routeTraits.js';
import type { TokenBuckets } from './TokenBuckets.js';
import { validateInput } from './validateInput.js';

export interface RouteDependencies {
  services: ApiServices;
  limiter: TokenBuckets;
  bodyLimitBytes: number;
  mediaMaxBytes: number;
  render: RenderOptions;
}

type Ctx = ParameterizedContext<ApiState> & { params?: Record<string, string> };

/**
 * The chain every route runs, in this order: bind the route (its surface shapes errors from
 * here on), authenticate, rate-limit, admit (Idempotency-Key, admin-only and account checks
 * that need no body), read the body, resolve the account, validate, handle, render.
 */
export function routeMiddleware(route: AnyRoute, deps: RouteDependencies): Middleware<ApiState>[] {
  return [bindRoute(route), authenticate(route, deps), rateLimit(route, deps), admit(route), readInput(route, deps), resolveAccount(route), handle(route, deps)];
}

function bindRoute(route: AnyRoute): Middleware<ApiState> {
  return async (ctx, next) => {
    ctx.state.route = route;
    await next();
  };
}

function authenticate(route: AnyRoute, deps: RouteDependencies): Middleware<ApiState> {
  return async (ctx, next) => {
    if (route.access !== 'public') {
      const key = presentedKey(ctx.headers);
      if (key === null) throw new WaError('UNAUTHORIZED', 'an API key is required: send it as X-API-Key or Authorization: Bearer');
      const who = await deps.services.keys.authenticate(key);
      if (who === null) throw new WaError('UNAUTHORIZED', 'the API key is not valid');
      ctx.state.principal = who.kind === 'admin' ? { kind: 'admin', keyId: 'admin' } : { kind: 'account', keyId: who.keyId, accountId: who.accountId };
    }
    await next();
  };
}

function rateLimit(route: AnyRoute, deps: RouteDependencies): Middleware<ApiState> {
  return async (ctx, next) => {
    const { principal } = ctx.state;
    // Public routes (ping, health, docs) answer load balancers and browsers without a key.
    if (route.access !== 'public' && principal.kind !== 'anonymous') {
      const taken = deps.limiter.take(principal.keyId);
      if (!taken.allowed) {
        const retryAfterSeconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
        throw new WaError('RATE_LIMITED', `too many requests for this key; retry after ${retryAfterSeconds} s`, { details: { retryAfterSeconds } });
      }
    }
    await next();
  };
}

function admit(route: AnyRoute): Middleware<ApiState> {
  return async (ctx: Ctx, next) => {
    ctx.state.idempotencyKey = takesIdempotencyKey(route) ? idempotencyKeyOf(ctx.headers) : null;
    // Refuse what can be refused before reading a body (an upload of another account's key).
    const known = route.account ? accountIdOf(route.account, { params: ctx.params ?? {}, query: ctx.query, body: undefined, headers: ctx.headers }) : null;
    checkAccess(route, ctx.state.principal, known);
    await next();
  };
}

function readInput(route: AnyRoute, deps: RouteDependencies): Middleware<ApiState> {
  // A WHAPI channel may be named in the body even when the route takes no other field.
  const wantsBody = readsBody(route);
  return async (ctx, next) => {
    if (wantsBody) {
      const parsed = await readBody({
        req: ctx.req,
        fileFields: route.multipart?.files ?? [],
        store: deps.services.media.store,
        bodyLimitBytes: deps.bodyLimitBytes,
        mediaMaxBytes: deps.mediaMaxBytes,
      });
      ctx.state.rawBody = parsed.body;
      ctx.state.files = parsed.files;
    } else {
      ctx.state.rawBody = {};
    }
    const multipart = route.multipart;
    if (multipart?.required && ctx.state.files.length === 0) {
      const field = multipart.files[0] ?? 'file';
      throw new WaError('INVALID_ARGUMENT', `${multipart.files.length > 1 ? `one of ${multipart.files.join(', ')}` : field} is required as a multipart/form-data file`, { field });
    }
    await next();
  };
}

function resolveAccount(route: AnyRoute): Middleware<ApiState> {
  return async (ctx: Ctx, next) => {
    if (route.account) {
      const accountId = accountIdOf(route.account, { params: ctx.params ?? {}, query: ctx.query, body: ctx.state.rawBody, headers: ctx.headers });
      if (accountId === null) throw channelRequired();
      checkAccess(route, ctx.state.principal, accountId);
      ctx.state.accountId = accountId;
    }
    await next();
  };
}

function handle(route: AnyRoute, deps: RouteDependencies): Middleware<ApiState> {
  return async (ctx: Ctx) => {
    const { state } = ctx;
    const channel = route.account === 'channel' ? state.accountId : null;
    const query = withChannel({ ...ctx.query }, channel);
    const params = route.params ? validateInput(route.params, { ...ctx.params }, 'params') : { ...ctx.params };
    const validQuery = route.query ? validateInput(route.query, query, 'query') : query;
    const body = route.body ? validateInput(route.body, bodyInput(route, query, state.rawBody, channel), 'body') : state.rawBody;
    const request: RouteRequest<unknown, unknown, unknown> = {
      params,
      query: validQuery,
      body,
      accountId: state.accountId ?? '',
      principal: state.principal,
      requestId: state.requestId,
      idempotencyKey: state.idempotencyKey,
      files: state.files,
      headers: flatHeaders(ctx.headers),
      signal: state.signal,
    };
    const result = await route.handler(request, deps.services);
    await renderResult(ctx, route, result, deps.render);
  };
}

/** WHAPI routes take their fields from the query or the body; the body wins. */
function bodyInput(route: AnyRoute, query: Record<string, unknown>, raw: unknown, channel: string | null): unknown {
  if (route.surface !== 'whapi') return withChannel(raw, channel);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new WaError('INVALID_ARGUMENT', 'body must be a JSON object', { field: 'body' });
  }
  return withChannel({ ...query, ...(raw as Record<string, unknown>) }, channel);
}

/** A channel route's input carries the one resolved channel, wherever the client put it (query, body or header). */
function withChannel<T>(input: T, channel: string | null): T {
  if (channel === null || typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  return { ...(input as Record<string, unknown>), channelId: channel } as T;
}

function flatHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}
