import { CodecError, type AvroCodec } from '../../../../schemas/index.js';
import type { Avro } from '../../../../projections/events/index.js';
import { WaError } from '../../WaError.js';
import { metrics } from '../../ops/metrics.js';
import type { ConsumedRecord } from '../consumerRunner.js';
import { recordHeaders } from '../headers.js';
import type { OutgoingRecord } from '../producer.js';
import { HEADER } from '../topics.js';

/** Full name of the value schema of the dead-letter topic. */
export const DEAD_LETTER_SCHEMA = 'wa.common.DeadLetter';
/** `ce_type` of a dead letter. */
export const DEAD_LETTER_TYPE = 'dead-letter.recorded';

export type DeadLetterReason = Avro.DeadLetterReason;

/**
 * A consumer's own verdict on a record it could decode: unusable as data (INVALID: another
 * schema, a command without an id...) or refused by its store (UNPROCESSABLE).
 */
export type ConsumerVerdict = Extract<DeadLetterReason, 'INVALID' | 'UNPROCESSABLE'>;

/** Longest `error` a letter keeps: a short reason, not a dump. */
const ERROR_MAX = 300;

/** Why a consumer gives up on a record: the codec's own reason for a decoding failure, else the consumer's verdict. */
export function deadLetterReason(error: unknown, verdict: ConsumerVerdict = 'INVALID'): DeadLetterReason {
  if (!(error instanceof CodecError)) {
    // Another CODEC failure (a sealed value that fails authentication, a branch the type does not name) is still bad data.
    return error instanceof WaError && error.code === 'CODEC' ? 'INVALID' : verdict;
  }
  switch (error.reason) {
    case 'BAD_MAGIC':
      return 'BAD_MAGIC';
    case 'CORRUPT_RECORD':
      return error.truncated ? 'TRUNCATED' : 'CORRUPT';
    case 'UNKNOWN_FINGERPRINT':
      return 'UNKNOWN_SCHEMA';
    // A known writer schema that is not the one this consumer reads: a value of another topic.
    case 'INCOMPATIBLE_SCHEMA':
    case 'SCHEMA_NOT_FOUND':
    case 'INVALID_SCHEMA':
    case 'INVALID_VALUE':
      return 'INVALID';
    default: {
      const unknown: never = error.reason;
      throw new WaError('INTERNAL', `unknown codec failure ${String(unknown)}`);
    }
  }
}

/** The letter's id: one per record and consumer, the same however often it is written. */
export function deadLetterId(record: Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>, consumer: string): string {
  return `${record.topic}/${record.partition}/${record.offset}/${consumer}`;
}

/** The dead letter of a record one consumer gave up on: the record's coordinates and original bytes, and why. */
export function deadLetterValue(record: ConsumedRecord, consumer: string, error: unknown, at: number, verdict: ConsumerVerdict = 'INVALID'): Avro.DeadLetter {
  const message = error instanceof Error ? error.message : String(error);
  return {
    deadLetterId: deadLetterId(record, consumer),
    consumer,
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    key: record.key === null ? null : Buffer.from(record.key, 'utf8'),
    value: record.value,
    headers: Object.entries(record.headers).map(([key, value]) => ({ key, value: Buffer.from(value, 'utf8') })),
    reason: deadLetterReason(error, verdict),
    error: message.length > ERROR_MAX ? `${message.slice(0, ERROR_MAX - 1)}…` : message,
    at,
  };
}

/**
 * The dead letter as a record to write: on the partition of the record it keeps, with the
 * record's key, so partition p of the dead-letter topic holds the letters of p's accounts.
 */
export function deadLetterRecord(codec: AvroCodec, record: ConsumedRecord, consumer: string, error: unknown, at: number, verdict?: ConsumerVerdict): OutgoingRecord {
  const letter = deadLetterValue(record, consumer, error, at, verdict);
  // Counted where every consumer's letters are made (a transaction written again after a crash counts again).
  metrics.recordsFailed.inc({ consumer, topic: record.topic, reason: letter.reason });
  return {
    accountId: record.key ?? '',
    key: record.key,
    partition: record.partition,
    value: codec.encode(DEAD_LETTER_SCHEMA, letter),
    // The letter continues the trace of the record it keeps.
    headers: recordHeaders({ id: letter.deadLetterId, type: DEAD_LETTER_TYPE, source: `wa-backbone/${consumer}`, time: at, traceparent: record.headers[HEADER.traceparent] ?? null }),
    timestamp: at,
  };
}
