import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { extractTraceContext, injectTraceHeaders, traceIdOf } from './telemetry.js';

describe('trace context in headers', () => {
  it('carries the active trace id into traceparent and back out', () => {
    const parent = trace.setSpanContext(context.active(), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    });
    const headers = injectTraceHeaders(parent);
    assert.equal(headers['traceparent'], '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    const extracted = extractTraceContext({ traceparent: Buffer.from(headers['traceparent']!) });
    assert.equal(traceIdOf(extracted), '4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('starts a fresh trace when there is none, so every record has a traceparent', () => {
    const first = injectTraceHeaders()['traceparent'];
    const second = injectTraceHeaders()['traceparent'];
    assert.match(first!, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    assert.notEqual(first, second);
  });
});
