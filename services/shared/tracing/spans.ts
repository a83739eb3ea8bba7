import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';
import { extractTraceContext, type Headers } from '../telemetry.js';

const TRACER = 'wa-backbone';

/** One Kafka record as the consumer spans describe it (OpenTelemetry messaging conventions). */
export interface TracedRecord {
  topic: string;
  partition: number;
  offset: string;
  headers: Headers;
  /** The record's id (its CloudEvents `ce_id` header), when known. */
  messageId?: string | undefined;
}

function finish(span: Span, error: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

/** The messaging attributes of a consumer's `process` span. */
function processAttributes(topic: string, partition: number, consumerGroup: string): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.destination.name': topic,
    'messaging.destination.partition.id': String(partition),
    'messaging.consumer.group.name': consumerGroup,
  };
}

/**
 * Runs `work` inside a new span, ending it with the outcome. The span's context is the active
 * one while it runs (with the SDK's async context) and is also handed to `work`, for code that
 * must carry it on without the async context (tracing off: only ids, no SDK).
 */
export async function inSpan<T>(name: string, kind: SpanKind, attributes: Attributes, parent: Context, work: (span: Span, ctx: Context) => Promise<T> | T): Promise<T> {
  const span = trace.getTracer(TRACER).startSpan(name, { kind, attributes }, parent);
  const ctx = trace.setSpan(parent, span);
  try {
    const result = await context.with(ctx, () => work(span, ctx));
    finish(span, undefined);
    return result;
  } catch (error) {
    finish(span, error);
    throw error;
  }
}

/**
 * Processing one consumed record: a CONSUMER span, child of the trace the record carries, so
 * whatever the work produces (records, requests, log lines) continues that trace.
 */
export function processRecord<T>(record: TracedRecord, consumerGroup: string, work: (span: Span, ctx: Context) => Promise<T> | T): Promise<T> {
  return inSpan(
    `process ${record.topic}`,
    SpanKind.CONSUMER,
    {
      ...processAttributes(record.topic, record.partition, consumerGroup),
      'messaging.kafka.offset': Number(record.offset),
      ...(record.messageId ? { 'messaging.message.id': record.messageId } : {}),
    },
    extractTraceContext(record.headers, context.active()),
    work,
  );
}

/** Links a batch span keeps at most (the first records of the batch). */
const MAX_LINKS = 128;

/**
 * Processing a partition's batch of records as one unit (a projection applying them in one
 * transaction): a CONSUMER span of its own, linked to the trace of each record (the messaging
 * conventions for batch receivers), so a trace shows which batch applied its event.
 */
export function processBatch<T>(
  batch: { topic: string; partition: number; records: readonly Pick<TracedRecord, 'headers'>[] },
  consumerGroup: string,
  work: (span: Span) => Promise<T> | T,
): Promise<T> {
  return inSpan(
    `process ${batch.topic}`,
    SpanKind.CONSUMER,
    { ...processAttributes(batch.topic, batch.partition, consumerGroup), 'messaging.batch.message_count': batch.records.length },
    context.active(),
    (span) => {
      // Reading every record's traceparent is only worth it when the span is exported.
      if (span.isRecording()) span.addLinks(linksOf(batch.records));
      return work(span);
    },
  );
}

function linksOf(records: readonly Pick<TracedRecord, 'headers'>[]): Link[] {
  const links: Link[] = [];
  for (const record of records) {
    if (links.length >= MAX_LINKS) break;
    const linked = trace.getSpanContext(extractTraceContext(record.headers, ROOT_CONTEXT));
    if (linked && trace.isSpanContextValid(linked)) links.push({ context: linked });
  }
  return links;
}

/** Producing records to a topic: a PRODUCER span, the parent of the trace context every record of the send carries. */
export function sendRecords<T>(topic: string, count: number, work: (span: Span) => Promise<T> | T): Promise<T> {
  return inSpan(
    `send ${topic}`,
    SpanKind.PRODUCER,
    {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.destination.name': topic,
      ...(count > 1 ? { 'messaging.batch.message_count': count } : {}),
    },
    context.active(),
    work,
  );
}
