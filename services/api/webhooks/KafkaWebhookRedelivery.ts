import type { Admin, Kafka } from 'kafkajs';
import type { AvroCodec } from '../../../schemas/index.js';
import type { Avro } from '../../../projections/events/index.js';
import type { ReadModels, WebhookAttemptRow } from '../../../projections/readModels/index.js';
import { WaError, type Logger } from '../../shared/index.js';
import {
  HEADER,
  kafkaError,
  partitionForAccount,
  readRanges,
  recordHeaders,
  type ConsumedRecord,
  type DeadLetterWriter,
  type KafkaProducer,
  type OutgoingRecord,
  type PartitionRange,
  type TopicSpec,
} from '../../shared/kafka/index.js';
import { matchesSubscription, type WebhookEvent } from '../../webhooks/payloads/index.js';
import type { RedeliveryOutcome, RedeliverySelection, WebhookRedelivery, WebhookView } from '../ApiServices.js';
import { API_SOURCE } from '../commands/index.js';
import { envelopeSchemas } from '../events/index.js';
import { offsetRanges, partitionOf, type EventCoordinates, type PartitionBounds } from './offsetRanges.js';
import { firstDelivery } from '../../webhooks/index.js';

const DELIVERY_SCHEMA = 'wa.webhooks.WebhookDelivery';
/** `ce_type` of a redelivery record on the retry topic. */
export const REDELIVERY_TYPE = 'webhook.redelivery';
/** Most deliveries one redelivery request may queue, unless configured otherwise. */
export const MAX_REDELIVERIES = 100_000;
/** Rows asked of the delivery log per page when collecting dead letters. */
const LOG_PAGE = 500;
/** A produce request stays well below the broker's request limit. */
const BATCH_RECORDS = 500;
const BATCH_BYTES = 4 * 1_048_576;

/** The topics a redelivery reads and writes. */
export interface RedeliveryTopics {
  conversation: TopicSpec;
  account: TopicSpec;
  presence: TopicSpec;
  /** The first retry tier (`wa.webhooks.retry.5s.v1`): the dispatcher takes redeliveries from it like any retry. */
  retry: TopicSpec;
}

export interface KafkaWebhookRedeliveryOptions {
  kafka: Kafka;
  producer: KafkaProducer;
  codec: AvroCodec;
  topics: RedeliveryTopics;
  /** The delivery log (`webhookAttempts`, `webhookDeadLetters`). */
  reads: ReadModels;
  /** Names the throwaway reader groups `wa-api-redeliver.<instanceId>.*`. */
  instanceId: string;
  logger: Logger;
  now?: () => number;
  /** Most deliveries one request may queue (default 100,000): one request cannot flood an endpoint. */
  maxDeliveries?: number;
  /** Longest one read of the event topics may take (default 2 minutes). */
  readTimeoutMs?: number;
  /** Where events that cannot be read go; they are not redelivered. */
  deadLetters?: DeadLetterWriter;
}

/**
 * Queues webhook deliveries again by API. Each is a `WebhookDelivery` of attempt 1, due now,
 * carrying the event's bytes exactly as on its topic, written to the first retry tier keyed
 * by account: the dispatcher treats a delivery it has not seen as new and keeps per-chat order.
 *
 * One event and the dead letters take their events' coordinates from the delivery log and
 * read exactly those records from the event topics (not from the dead-letter topic: that would
 * mean scanning 14 days of every account on the partition for a few records). `since` reads the
 * event topics from the offsets of that time to their current ends, keeping what the
 * subscription gets (its scope, its event types).
 */
export class KafkaWebhookRedelivery implements WebhookRedelivery {
  private readonly running = new Set<string>();
  private readonly schemas: Map<string, string>;
  private readonly now: () => number;
  private readonly max: number;

  constructor(private readonly options: KafkaWebhookRedeliveryOptions) {
    this.schemas = envelopeSchemas(options.topics);
    this.now = options.now ?? Date.now;
    this.max = options.maxDeliveries ?? MAX_REDELIVERIES;
  }

  async redeliver(subscription: WebhookView, selection: RedeliverySelection): Promise<RedeliveryOutcome> {
    // Two scans of one subscription at once would queue everything twice.
    if (this.running.has(subscription.id)) throw new WaError('CONFLICT', `a redelivery to webhook ${subscription.id} is already running`);
    this.running.add(subscription.id);
    try {
      const outcome = await this.run(subscription, selection, this.now());
      this.options.logger.info({ subscriptionId: subscription.id, accountId: subscription.accountId, selection: selection.kind, ...outcome }, 'webhook deliveries queued again');
      return outcome;
    } finally {
      this.running.delete(subscription.id);
    }
  }

  private run(subscription: WebhookView, selection: RedeliverySelection, now: number): Promise<RedeliveryOutcome> {
    switch (selection.kind) {
      case 'event':
        return this.oneEvent(subscription, selection.eventId, now);
      case 'deadLetters':
        return this.deadLetters(subscription, now);
      case 'since':
        return this.since(subscription, selection.since, selection.until, now);
      default: {
        const unknown: never = selection;
        throw new WaError('INTERNAL', `unknown redelivery ${JSON.stringify(unknown)}`);
      }
    }
  }

  private async oneEvent(subscription: WebhookView, eventId: string, now: number): Promise<RedeliveryOutcome> {
    const [row] = (await this.options.reads.webhookAttempts(subscription.id, { eventId }, { limit: 1, offset: 0 })).items;
    if (row === undefined) throw new WaError('NOT_FOUND', `the delivery log has no delivery of event ${eventId} to webhook ${subscription.id}`, { field: 'eventId' });
    const outcome = await this.fromLog(subscription, [row], now);
    if (outcome.queued === 0) throw new WaError('NOT_FOUND', `event ${eventId} is no longer on ${row.sourceTopic} (past its retention)`, { field: 'eventId' });
    return outcome;
  }

  private async deadLetters(subscription: WebhookView, now: number): Promise<RedeliveryOutcome> {
    const rows = new Map<string, WebhookAttemptRow>();
    for (let offset = 0; ; ) {
      const page = await this.options.reads.webhookDeadLetters(subscription.id, { limit: LOG_PAGE, offset });
      // Newest first: a dead letter arriving meanwhile shifts rows onto the next page, seen twice.
      for (const row of page.items) if (!rows.has(row.deliveryId)) rows.set(row.deliveryId, row);
      if (rows.size > this.max) {
        throw new WaError('INVALID_ARGUMENT', `webhook ${subscription.id} has more than ${this.max} dead letters, more than one request may queue: use since and until`, { field: 'deadLetters' });
      }
      if (page.nextCursor === null || page.items.length === 0) break;
      offset += page.items.length;
    }
    return this.fromLog(subscription, [...rows.values()], now);
  }

  /** Queues the deliveries the log names, reading each event at its coordinates. */
  private async fromLog(subscription: WebhookView, rows: readonly WebhookAttemptRow[], now: number): Promise<RedeliveryOutcome> {
    const expected = new Map<string, string>();
    const coordinates: EventCoordinates[] = [];
    for (const row of rows) {
      // Only the event topics are read on the log's word.
      if (!this.schemas.has(row.sourceTopic)) continue;
      const offset = BigInt(row.sourceOffset);
      coordinates.push({ topic: row.sourceTopic, partition: row.sourcePartition, offset });
      expected.set(`${partitionOf(row.sourceTopic, row.sourcePartition)}:${offset}`, row.eventId);
    }
    const bounds = await this.bounds([...new Set(coordinates.map((c) => c.topic))]);
    const { ranges, wanted } = offsetRanges(coordinates, bounds);
    const writer = new DeliveryWriter(this.options, now);
    await this.read(ranges, async (record) => {
      const position = `${partitionOf(record.topic, record.partition)}:${record.offset}`;
      if (!wanted.delete(position) || record.value === null) return;
      const event = this.decode(record);
      // A record that is not the logged event (a topic recreated since) is not redelivered.
      if (event === null || event.eventId !== expected.get(position)) return;
      await writer.add(firstDelivery(record as ConsumedRecord & { value: Buffer }, event, subscription.id, now));
    });
    await writer.flush();
    return { queued: writer.written, missing: rows.length - writer.written };
  }

  private async since(subscription: WebhookView, since: number, until: number | null, now: number): Promise<RedeliveryOutcome> {
    const ranges = await this.timeRanges(subscription, since, until);
    // Every record in the ranges is an upper bound; only above the cap are they counted exactly.
    const bound = ranges.reduce((sum, range) => sum + (range.to - range.from), 0n);
    if (bound > BigInt(this.max)) {
      let count = 0;
      await this.read(ranges, async (record) => {
        if (this.selected(subscription, record) !== null) count += 1;
      });
      if (count > this.max) {
        throw new WaError('INVALID_ARGUMENT', `since selects ${count} deliveries, more than the ${this.max} one request may queue: choose a later since or an until`, {
          field: 'since',
          details: { count, max: this.max },
        });
      }
    }
    const writer = new DeliveryWriter(this.options, now);
    await this.read(ranges, async (record) => {
      const event = this.selected(subscription, record);
      if (event !== null) await writer.add(firstDelivery(record as ConsumedRecord & { value: Buffer }, event, subscription.id, now));
    });
    await writer.flush();
    return { queued: writer.written, missing: 0 };
  }

  /** Per event topic and partition the subscription can get events from: the offsets of `since` up to those of `until` (or the current ends). */
  private async timeRanges(subscription: WebhookView, since: number, until: number | null): Promise<PartitionRange[]> {
    const topics = [this.options.topics.conversation, this.options.topics.account, this.options.topics.presence];
    return this.withAdmin('reading offsets by time', async (admin) => {
      const ranges: PartitionRange[] = [];
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic.name);
        const starts = await admin.fetchTopicOffsetsByTimestamp(topic.name, since);
        const stops = until === null ? null : await admin.fetchTopicOffsetsByTimestamp(topic.name, until);
        const own = subscription.scope === 'ACCOUNT' ? (subscription.accountId === null ? -1 : partitionForAccount(subscription.accountId, topic.partitions)) : null;
        for (const end of ends) {
          if (own !== null && end.partition !== own) continue;
          const high = BigInt(end.high);
          const from = BigInt(starts.find((s) => s.partition === end.partition)?.offset ?? end.high);
          const stop = stops?.find((s) => s.partition === end.partition)?.offset;
          const to = stop === undefined ? high : BigInt(stop) < high ? BigInt(stop) : high;
          if (from < to) ranges.push({ topic: topic.name, partition: end.partition, from, to });
        }
      }
      return ranges;
    });
  }

  /** The low and high watermarks of every partition of the topics. */
  private async bounds(topics: readonly string[]): Promise<Map<string, PartitionBounds>> {
    const bounds = new Map<string, PartitionBounds>();
    if (topics.length === 0) return bounds;
    return this.withAdmin('reading offsets', async (admin) => {
      for (const topic of topics) {
        for (const entry of await admin.fetchTopicOffsets(topic)) bounds.set(partitionOf(topic, entry.partition), { low: BigInt(entry.low), high: BigInt(entry.high) });
      }
      return bounds;
    });
  }

  /** The event of a record when the subscription gets it, else null: key and `ce_type` judge first, so most unwanted records are never decoded. */
  private selected(subscription: WebhookView, record: ConsumedRecord): WebhookEvent | null {
    if (record.value === null) return null;
    if (subscription.scope === 'ACCOUNT' && record.key !== null && record.key !== subscription.accountId) return null;
    const type = record.headers[HEADER.type];
    if (type !== undefined && !matchesSubscription(type, subscription.events)) return null;
    const event = this.decode(record);
    if (event === null) return null;
    if (subscription.scope === 'ACCOUNT' && event.accountId !== subscription.accountId) return null;
    return matchesSubscription(event.type, subscription.events) ? event : null;
  }

  /** An event record's envelope; null (logged) when it cannot be decoded. */
  private decode(record: ConsumedRecord): WebhookEvent | null {
    const schema = this.schemas.get(record.topic);
    if (record.value === null || schema === undefined) return null;
    try {
      return this.options.codec.decode<WebhookEvent>(record.value, schema).value;
    } catch (error) {
      this.options.logger.warn({ err: error, topic: record.topic, partition: record.partition, offset: record.offset }, 'event not decodable; not redelivered, moved to the dead letters');
      this.options.deadLetters?.report(record, error);
      return null;
    }
  }

  /** Reads the ranges once, record by record in offset order per partition. */
  private async read(ranges: readonly PartitionRange[], onRecord: (record: ConsumedRecord) => Promise<void>): Promise<void> {
    if (ranges.length === 0) return;
    const batches = readRanges({
      kafka: this.options.kafka,
      ranges,
      logger: this.options.logger,
      // The read runs to its end even when the client goes away: half a redelivery helps nobody.
      signal: new AbortController().signal,
      groupPrefix: `wa-api-redeliver.${this.options.instanceId}`,
      ...(this.options.readTimeoutMs === undefined ? {} : { timeoutMs: this.options.readTimeoutMs }),
    });
    for await (const batch of batches) for (const record of batch) await onRecord(record);
  }

  private async withAdmin<T>(action: string, work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      return await work(admin);
    } catch (error) {
      throw kafkaError(error, action);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

/** Writes deliveries to the retry topic in batches bounded by count and bytes. */
class DeliveryWriter {
  written = 0;
  private batch: OutgoingRecord[] = [];
  private bytes = 0;

  constructor(
    private readonly options: Pick<KafkaWebhookRedeliveryOptions, 'producer' | 'codec' | 'topics'>,
    private readonly now: number,
  ) {}

  async add(delivery: Avro.WebhookDelivery): Promise<void> {
    const value = this.options.codec.encode(DELIVERY_SCHEMA, delivery);
    this.batch.push({
      accountId: delivery.accountId,
      value,
      headers: recordHeaders({ id: delivery.deliveryId, type: REDELIVERY_TYPE, source: API_SOURCE, time: this.now }),
      timestamp: this.now,
    });
    this.bytes += value.length;
    if (this.batch.length >= BATCH_RECORDS || this.bytes >= BATCH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    await this.options.producer.send(this.options.topics.retry, this.batch);
    this.written += this.batch.length;
    this.batch = [];
    this.bytes = 0;
  }
}
