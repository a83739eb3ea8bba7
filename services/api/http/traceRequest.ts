import { SpanKind, SpanStatusCode, context } from '@opentelemetry/api';
import type { Middleware } from 'koa';
import { extractTraceContext } from '../../shared/index.js';
import { inSpan } from '../../shared/tracing/index.js';
import type { ApiState } from './ApiState.js';

/**
 * A SERVER span per request (OpenTelemetry HTTP conventions), child of the caller's
 * `traceparent` when it sends one. Everything the request does runs inside it: the command
 * record it produces carries this trace to the connector, and every log line names it. The
 * span is named by the route template, never by a path that may hold ids or keys.
 */
export function traceRequest(): Middleware<ApiState> {
  return (ctx, next) =>
    inSpan(ctx.method, SpanKind.SERVER, { 'http.request.method': ctx.method, 'url.scheme': ctx.protocol }, extractTraceContext(ctx.headers, context.active()), async (span) => {
      try {
        await next();
      } finally {
        const route = ctx.state.route?.path;
        if (route !== undefined) {
          span.updateName(`${ctx.method} ${route}`);
          span.setAttribute('http.route', route);
        }
        span.setAttribute('http.response.status_code', ctx.status);
        if (ctx.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      }
    });
}
