import type { Middleware } from 'koa';
import { httpStatusOf, type Logger } from '../../shared/index.js';
import type { ApiState } from './ApiState.js';
import { toApiError } from './apiError.js';
import { errorBody, surfaceOfPath } from './envelope.js';

/**
 * The one place errors become answers: the status from `httpStatusOf`, the body in the
 * envelope of the route's surface (or the surface the path suggests), the message only below
 * 500. Server errors are logged with their cause; client errors only by code.
 */
export function errorHandler(logger: Logger): Middleware<ApiState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (thrown) {
      const error = toApiError(thrown);
      const status = httpStatusOf(error);
      const { requestId, route } = ctx.state;
      if (status >= 500) logger.error({ err: thrown, requestId, route: route?.path ?? null, code: error.code }, 'request failed');
      else logger.debug({ requestId, route: route?.path ?? null, code: error.code, field: error.field, status }, 'request refused');
      if (ctx.headerSent || !ctx.writable) {
        // The answer has begun (a stream): it cannot become an error any more.
        if (!ctx.res.writableEnded) ctx.res.end();
        return;
      }
      const details = error.details ?? {};
      const retryAfter = details['retryAfterSeconds'];
      const allow = details['allow'];
      ctx.status = status;
      if (typeof retryAfter === 'number') ctx.set('Retry-After', String(retryAfter));
      if (typeof allow === 'string') ctx.set('Allow', allow);
      if (status === 401) ctx.set('WWW-Authenticate', 'Bearer');
      ctx.body = errorBody(route?.surface ?? surfaceOfPath(ctx.path), error, status);
    }
  };
}
