import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../config.js';

export interface StartTracingOptions {
  /** The role (becomes `service.name` = `wa-backbone-<role>` unless OTEL_SERVICE_NAME says otherwise). */
  role: string;
  config: Pick<Config, 'tracing'>;
  /** Tests: spans go here, one at a time, instead of to the OTLP endpoint. */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** True when spans are recorded and exported (an SDK is installed). */
  readonly recording: boolean;
  /** Exports what is buffered, then stops; safe to call twice. */
  shutdown(): Promise<void>;
}

let contextInstalled = false;

/**
 * Context propagation for the whole process: an async-local context (so a span started for a
 * request or a record is the parent of whatever that work produces) and the W3C propagator.
 * Cheap, and always on: without an SDK the spans are non-recording and only carry ids.
 */
export function installContext(): void {
  if (contextInstalled) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  contextInstalled = true;
}

/**
 * Installs the tracing SDK when the configuration asks for it (OTEL_TRACES_EXPORTER=otlp, or an
 * OTLP endpoint set), exporting in batches over OTLP/HTTP (the exporter reads the standard
 * OTEL_EXPORTER_OTLP_* variables: endpoint, headers, timeout). Otherwise only the context is
 * installed and the OpenTelemetry API calls stay no-ops.
 */
export function startTracing(options: StartTracingOptions): Tracing {
  installContext();
  const { tracing } = options.config;
  if (options.exporter === undefined && !tracing.enabled) return { recording: false, shutdown: async () => undefined };
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': tracing.serviceName ?? `wa-backbone-${options.role}`, 'service.namespace': 'wa-backbone' }),
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  trace.setGlobalTracerProvider(provider);
  let stopped: Promise<void> | undefined;
  return {
    recording: true,
    shutdown: () => {
      stopped ??= provider.shutdown().finally(() => trace.disable());
      return stopped;
    },
  };
}
