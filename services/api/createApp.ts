import Router from '@koa/router';
import Koa from 'koa';
import type { Config, Logger } from '../shared/index.js';
import type { ApiServices } from './ApiServices.js';
import { builtConsoleDir, consoleFiles } from './console/index.js';
import {
  TokenBuckets,
  accessLog,
  checkRoutes,
  errorHandler,
  requestContext,
  routeMiddleware,
  traceRequest,
  securityHeaders,
  unmatchedRoute,
  type AnyRoute,
  type ApiState,
} from './http/index.js';
import { DOCS_CONTENT_SECURITY_POLICY } from './system/index.js';

/** The settings the HTTP layer reads (from Config). */
export type ApiHttpConfig = Pick<Config, 'apiRateLimitPerMinute' | 'apiRateLimitBurst' | 'apiBodyLimitBytes' | 'mediaMaxBytes'>;

export interface CreateAppOptions {
  services: ApiServices;
  /** Every route served: `systemRoutes(documentRoutes)` and the document routes. */
  routes: readonly AnyRoute[];
  logger: Logger;
  config: ApiHttpConfig;
  /** Interval of the comment lines that keep an idle event stream open (default 15 s). */
  heartbeatMs?: number;
  /** Monotonic clock of the rate limiter (tests). */
  clock?: () => number;
  /** The bundled web console served at /console (default: this build's dist/console). */
  consoleDir?: string;
}

/**
 * The API's Koa application, used as is by production and tests. Middleware runs in a fixed
 * order: security headers, request context, the request's span, access log, the one error handler, the
 * console's static files, the routes (each: authenticate, rate-limit, admit, body, account, validate, handle),
 * then 404 / 405.
 */
export function createApp(options: CreateAppOptions): Koa<ApiState> {
  const { services, routes, logger, config } = options;
  checkRoutes(routes);
  const app = new Koa<ApiState>();
  // Errors after an answer has begun (a broken stream) reach only here; the rest is handled.
  app.on('error', (error: unknown) => logger.warn({ err: error }, 'response failed after it began'));
  const limiter = new TokenBuckets({
    perMinute: config.apiRateLimitPerMinute,
    burst: config.apiRateLimitBurst,
    ...(options.clock ? { now: options.clock } : {}),
  });
  const deps = {
    services,
    limiter,
    bodyLimitBytes: config.apiBodyLimitBytes,
    mediaMaxBytes: config.mediaMaxBytes,
    render: { heartbeatMs: options.heartbeatMs ?? 15_000, logger },
  };
  const router = new Router<ApiState>({ exclusive: 'specificity' });
  for (const route of routes) router.register(route.path, [route.method], routeMiddleware(route, deps));
  app
    .use(securityHeaders({ '/docs': DOCS_CONTENT_SECURITY_POLICY }))
    .use(requestContext())
    .use(traceRequest())
    .use(accessLog(logger))
    .use(errorHandler(logger))
    .use(consoleFiles({ dir: options.consoleDir ?? builtConsoleDir() }))
    .use(router.routes())
    .use(unmatchedRoute(router));
  return app;
}
