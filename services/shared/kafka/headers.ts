import type { Context } from '@opentelemetry/api';
import { injectTraceHeaders, type Headers } from '../telemetry.js';
import { AVRO_CONTENT_TYPE, HEADER } from './topics.js';

export interface RecordDescriptor {
  /** The record's id (event id, command id); ce_id. */
  id: string;
  /** Dotted type, e.g. `message.received`; ce_type. */
  type: string;
  /** What produced it, e.g. `wa-backbone/connector`; ce_source. */
  source: string;
  /** When it happened, epoch milliseconds; ce_time. */
  time: number;
  contentType?: string;
  /** The W3C trace the record continues, as it came (e.g. from the record it follows); else the given or active context's, or a fresh one. */
  traceparent?: string | null;
}

/** The headers every record carries: CloudEvents binary-mode attributes plus trace context. */
export function recordHeaders(record: RecordDescriptor, ctx?: Context): Record<string, string> {
  return {
    [HEADER.id]: record.id,
    [HEADER.type]: record.type,
    [HEADER.source]: record.source,
    [HEADER.time]: new Date(record.time).toISOString(),
    [HEADER.specVersion]: '1.0',
    [HEADER.contentType]: record.contentType ?? AVRO_CONTENT_TYPE,
    ...(record.traceparent ? { traceparent: record.traceparent } : injectTraceHeaders(ctx)),
  };
}

/** Kafka header values as strings (kafkajs hands them over as Buffers). */
export function headersAsStrings(headers: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name] = last.toString();
  }
  return out;
}
