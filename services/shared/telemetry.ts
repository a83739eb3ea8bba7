import {
  context,
  propagation,
  trace,
  TraceFlags,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { randomHex } from './randomHex.js';

let installed = false;

/**
 * Installs the W3C trace-context propagator once. Without an SDK the API stays no-op, but every
 * record and request still carries a `traceparent` (the one it continues where the code passes
 * it on, else a fresh one).
 */
export function installPropagation(): void {
  if (installed) return;
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  installed = true;
}

export type HeaderValue = string | Buffer | (string | Buffer)[] | undefined;
export type Headers = Record<string, HeaderValue>;

const headerSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const headerGetter: TextMapGetter<Headers> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return value.map((v) => v.toString());
    return value.toString();
  },
};

/**
 * Returns a context that carries a valid span context: the active one when there is one,
 * otherwise a fresh non-recording root, so that every produced record gets a traceparent.
 */
export function contextWithTrace(ctx: Context = context.active()): Context {
  const spanContext = trace.getSpanContext(ctx);
  if (spanContext && trace.isSpanContextValid(spanContext)) return ctx;
  return trace.setSpanContext(ctx, {
    traceId: randomHex(16),
    spanId: randomHex(8),
    traceFlags: TraceFlags.NONE,
    isRemote: false,
  });
}

/** Writes traceparent / tracestate of the given (or active) context into a header map. */
export function injectTraceHeaders(ctx: Context = context.active()): Record<string, string> {
  installPropagation();
  const carrier: Record<string, string> = {};
  propagation.inject(contextWithTrace(ctx), carrier, headerSetter);
  return carrier;
}

/** Reads the trace context of a received record or request from its headers. */
export function extractTraceContext(headers: Headers, ctx: Context = context.active()): Context {
  installPropagation();
  return propagation.extract(ctx, headers, headerGetter);
}

/** The trace id of a context, for log lines; undefined when there is none. */
export function traceIdOf(ctx: Context = context.active()): string | undefined {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
