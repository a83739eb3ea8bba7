import type { Middleware } from 'koa';
import type Router from '@koa/router';
import { WaError } from '../../shared/index.js';
import type { ApiState } from './ApiState.js';
import { methodNotAllowed } from './apiError.js';

/**
 * What the router did not handle: OPTIONS on a known path (204 with Allow), another method on
 * a known path (405 with Allow), anything else 404. Errors go through the one error handler.
 */
export function unmatchedRoute(router: Router<ApiState>): Middleware<ApiState> {
  return async (ctx) => {
    const allowed = [...new Set(router.match(ctx.path, ctx.method).path.flatMap((layer) => layer.methods))];
    if (allowed.length === 0) throw new WaError('NOT_FOUND', `no route ${ctx.method} ${ctx.path}`);
    const allow = [...allowed, 'OPTIONS'];
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      ctx.set('Allow', allow.join(', '));
      return;
    }
    throw methodNotAllowed(ctx.method, ctx.path, allow);
  };
}
