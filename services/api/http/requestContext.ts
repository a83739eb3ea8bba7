import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { ApiState } from './ApiState.js';
import { clientRequestId } from './access.js';

/**
 * Gives every request its id (the client's `X-Request-Id` when sane, else a new one), echoed
 * in the answer, and an AbortSignal that fires when the response closes, so long waits and
 * streams stop when the client goes away.
 */
export function requestContext(): Middleware<ApiState> {
  return async (ctx, next) => {
    const requestId = clientRequestId(ctx.headers) ?? randomUUID();
    const controller = new AbortController();
    ctx.res.once('close', () => controller.abort());
    ctx.state = {
      requestId,
      signal: controller.signal,
      route: undefined,
      principal: { kind: 'anonymous' },
      accountId: null,
      idempotencyKey: null,
      rawBody: undefined,
      files: [],
    };
    ctx.set('X-Request-Id', requestId);
    await next();
  };
}
