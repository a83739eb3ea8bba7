import type { Middleware } from 'koa';
import type { Logger } from '../../shared/index.js';
import type { ApiState } from './ApiState.js';

// A key pasted into a URL by mistake must not reach the logs.
const KEY_LIKE = /wab_[A-Za-z0-9_-]{8,}/g;

/**
 * One structured line per request: method, route template (or the path of an unknown one),
 * status, duration, key id and account. Never bodies, queries, headers or keys.
 */
export function accessLog(logger: Logger): Middleware<ApiState> {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const { route, principal, accountId, requestId } = ctx.state;
      logger.info(
        {
          requestId,
          method: ctx.method,
          route: route?.path ?? null,
          ...(route ? {} : { path: ctx.path.slice(0, 128).replace(KEY_LIKE, 'wab_[redacted]') }),
          status: ctx.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          keyId: principal.kind === 'anonymous' ? null : principal.keyId,
          ...(accountId ? { accountId } : {}),
        },
        'request',
      );
    }
  };
}
