import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import Koa from 'koa';
import { injectTraceHeaders, loadConfig } from '../../shared/index.js';
import { startTracing, type Tracing } from '../../shared/tracing/index.js';
import type { ApiState } from './ApiState.js';
import { requestContext } from './requestContext.js';
import { traceRequest } from './traceRequest.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

describe('traceRequest', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let server: ReturnType<Koa['listen']>;
  let base = '';
  let produced: Record<string, string> = {};

  before(async () => {
    tracing = startTracing({ role: 'api', config: loadConfig({}), exporter });
    const app = new Koa<ApiState>();
    app.use(requestContext()).use(traceRequest());
    app.use(async (ctx) => {
      // What a route does: its route template is known, and a command record it produces takes the active trace.
      ctx.state.route = { path: '/accounts/:accountId/messages/text' } as ApiState['route'];
      produced = injectTraceHeaders();
      ctx.status = ctx.path.startsWith('/fail') ? 503 : 202;
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await tracing.shutdown();
  });

  it("opens a SERVER span under the caller's traceparent, named by the route template, and the request's records carry it", async () => {
    exporter.reset();
    const response = await fetch(`${base}/accounts/acc-secret-1/messages/text`, { method: 'POST', headers: { traceparent: `00-${TRACE}-b7ad6b7169203331-01` } });
    assert.equal(response.status, 202);
    const [span] = exporter.getFinishedSpans();
    assert.equal(span?.name, 'POST /accounts/:accountId/messages/text');
    assert.equal(span.kind, SpanKind.SERVER);
    assert.equal(span.spanContext().traceId, TRACE);
    assert.equal(span.parentSpanContext?.spanId, 'b7ad6b7169203331');
    assert.equal(span.attributes['http.route'], '/accounts/:accountId/messages/text');
    assert.equal(span.attributes['http.response.status_code'], 202);
    assert.doesNotMatch(JSON.stringify(span.attributes), /acc-secret-1/, 'no raw path');
    assert.equal(produced.traceparent, `00-${TRACE}-${span.spanContext().spanId}-01`);
  });

  it('starts a trace when the caller sends none, and marks a 5xx answer as an error', async () => {
    exporter.reset();
    assert.equal((await fetch(`${base}/fail`)).status, 503);
    const [span] = exporter.getFinishedSpans();
    assert.equal(span?.parentSpanContext, undefined);
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.notEqual(span.spanContext().traceId, TRACE);
  });
});
