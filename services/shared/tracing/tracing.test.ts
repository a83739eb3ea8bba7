import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../config.js';
import { injectTraceHeaders, traceIdOf } from '../telemetry.js';
import { processRecord, sendRecords } from './spans.js';
import { startTracing, type Tracing } from './startTracing.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

describe('tracing', () => {
  it('is off unless asked for: OTEL_TRACES_EXPORTER=otlp, or an OTLP endpoint (not with none, not when disabled)', () => {
    assert.equal(loadConfig({}).tracing.enabled, false);
    assert.equal(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing.enabled, true);
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing.enabled, true);
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).tracing.enabled, true);
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing.enabled, false);
    assert.equal(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }).tracing.enabled, false);
    assert.equal(loadConfig({ OTEL_SERVICE_NAME: 'edge-api' }).tracing.serviceName, 'edge-api');
    assert.throws(() => loadConfig({ OTEL_TRACES_EXPORTER: 'zipkin' }), /OTEL_TRACES_EXPORTER/);
    assert.throws(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }), /OTEL_EXPORTER_OTLP_ENDPOINT/);
    const off = startTracing({ role: 'api', config: loadConfig({}) });
    assert.equal(off.recording, false);
  });

  describe('with the SDK (in-memory exporter)', () => {
    const exporter = new InMemorySpanExporter();
    let tracing: Tracing;
    before(() => {
      tracing = startTracing({ role: 'connector', config: loadConfig({}), exporter });
    });
    after(() => tracing.shutdown());

    it('a consumed record continues its trace; what the work produces continues it again', async () => {
      exporter.reset();
      const record = { topic: 'wa.commands.v1', partition: 3, offset: '42', headers: { traceparent: `00-${TRACE}-${PARENT}-01` }, messageId: 'cmd-1' };
      let produced: Record<string, string> = {};
      let logged: string | undefined;
      await processRecord(record, 'wa-connectors', () =>
        sendRecords('wa.conversation.v1', 2, () => {
          produced = injectTraceHeaders();
          logged = traceIdOf();
        }),
      );
      const spans = exporter.getFinishedSpans();
      const processSpan = spans.find((span) => span.name === 'process wa.commands.v1')!;
      const sendSpan = spans.find((span) => span.name === 'send wa.conversation.v1')!;
      assert.equal(processSpan.spanContext().traceId, TRACE);
      assert.equal(processSpan.parentSpanContext?.spanId, PARENT);
      assert.equal(processSpan.kind, SpanKind.CONSUMER);
      assert.deepEqual(
        { ...processSpan.attributes },
        {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.operation.name': 'process',
          'messaging.destination.name': 'wa.commands.v1',
          'messaging.destination.partition.id': '3',
          'messaging.kafka.offset': 42,
          'messaging.consumer.group.name': 'wa-connectors',
          'messaging.message.id': 'cmd-1',
        },
      );
      assert.equal(sendSpan.kind, SpanKind.PRODUCER);
      assert.equal(sendSpan.parentSpanContext?.spanId, processSpan.spanContext().spanId);
      assert.equal(sendSpan.attributes['messaging.batch.message_count'], 2);
      assert.equal(produced.traceparent, `00-${TRACE}-${sendSpan.spanContext().spanId}-01`, 'the records carry the send span');
      assert.equal(logged, TRACE, 'log lines inside name the trace');
      assert.equal(traceIdOf(), undefined, 'nothing stays active afterwards');
    });

    it('a failure marks the span and passes through', async () => {
      exporter.reset();
      await assert.rejects(
        processRecord({ topic: 't', partition: 0, offset: '1', headers: {} }, 'g', () => {
          throw new Error('undecodable');
        }),
        /undecodable/,
      );
      const [span] = exporter.getFinishedSpans();
      assert.equal(span?.status.code, SpanStatusCode.ERROR);
      assert.equal(span?.status.message, 'undecodable');
      assert.equal(span?.parentSpanContext, undefined, 'a record without a trace starts one');
      assert.ok(trace.isSpanContextValid(span!.spanContext()));
    });
  });
});
