import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../config.js';
import { installPropagation } from '../telemetry.js';

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

let contextManagerInstalled = false;

/**
 * The async-local context, so a span started for a request or a record is the parent of
 * whatever that work produces. Only with the SDK: on Node 20 it rests on async hooks, which
 * tax every promise, and without an exporter nothing would read the spans it relates.
 */
function installContextManager(): void {
  if (contextManagerInstalled) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerInstalled = true;
}

/**
 * Installs the tracing SDK when the configuration asks for it (OTEL_TRACES_EXPORTER=otlp, or an
 * OTLP endpoint set), exporting in batches over OTLP/HTTP (the exporter reads the standard
 * OTEL_EXPORTER_OTLP_* variables: endpoint, headers, timeout), with the async-local context.
 * Otherwise only the propagator is installed and the OpenTelemetry API calls stay no-ops that
 * cost next to nothing.
 */
export function startTracing(options: StartTracingOptions): Tracing {
  installPropagation();
  const { tracing } = options.config;
  if (options.exporter === undefined && !tracing.enabled) return { recording: false, shutdown: async () => undefined };
  installContextManager();
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
