import type { Kafka } from 'kafkajs';
import type { AvroCodec } from '../../../schemas/index.js';
import { WaError, type Logger } from '../../shared/index.js';
import { HEADER, TailConsumer, partitionForAccount, type ConsumedRecord, type DeadLetterWriter } from '../../shared/kafka/index.js';
import type { LiveEvent, LiveEvents } from '../ApiServices.js';
import { eventFilter, wantsEvent, wantsRecord, type EventFilter } from './eventFilter.js';
import { envelopeSchemas, liveEventOf, type EventTopics } from './liveEvent.js';
import { parsePositions, partitionKey, splitPartitionKey, type Positions } from './positions.js';
import { readRanges, type PartitionRange } from '../../shared/kafka/index.js';
import { Subscriber, type PositionedEvent } from './Subscriber.js';


export interface KafkaLiveEventsOptions {
  kafka: Kafka;
  codec: AvroCodec;
  topics: EventTopics;
  /** This API process; names its live consumer group `wa-api-live.<instanceId>` unless `groupId` is given. */
  instanceId: string;
  groupId?: string;
  logger: Logger;
  /** Events a stream may fall behind before it is dropped (default 1000). */
  maxQueued?: number;
  /** Longest a resume's catch-up may take (default 2 minutes). */
  catchUpTimeoutMs?: number;
  /** Where events that cannot be read go; the streams go on past them. */
  deadLetters?: DeadLetterWriter;
}

/**
 * Live events for SSE clients. One shared consumer per API process reads the event topics
 * from their end (started with the first subscriber) and fans records out to the streams
 * whose filter wants them; account and type are judged from the record key and the `ce_type`
 * header, so a record nobody wants is never decoded, and one many want is decoded once.
 *
 * A stream resuming from a position list first reads the gap with a throwaway reader, while
 * the shared consumer already queues what comes after the gap for it; positions it has
 * delivered are never delivered again, so the hand-over has neither gap nor duplicate.
 */
export class KafkaLiveEvents implements LiveEvents {
  private hub: Promise<LiveHub> | undefined;
  private readonly schemas: Map<string, string>;
  private closed = false;

  constructor(private readonly options: KafkaLiveEventsOptions) {
    this.schemas = envelopeSchemas(options.topics);
  }

  /**
   * Events matching the filter, from just after `after` (a position list) or from now, until
   * `signal` aborts. Resolves once the stream is registered with the shared consumer: every
   * event written from then on is in it. A bad Last-Event-ID throws at once.
   */
  subscribe(filter: { accountIds: string[] | null; types: string[] | null; after: string | null }, signal: AbortSignal): Promise<AsyncIterable<LiveEvent>> {
    const after = filter.after === null || filter.after.trim() === '' ? null : parsePositions(filter.after);
    return this.open(eventFilter(filter.accountIds, filter.types), after, signal);
  }

  /** Starts the shared consumer now instead of with the first stream; resolves once it reads. */
  async start(): Promise<void> {
    await this.startHub();
  }

  /** How far the shared consumer has read: the next offset per `topic:partition` (empty before it starts). */
  async positions(): Promise<Positions> {
    const hub = await this.hub?.catch(() => undefined);
    return hub?.positions() ?? new Map();
  }

  /** Stops the shared consumer; open streams end with SHUTTING_DOWN. */
  async close(): Promise<void> {
    this.closed = true;
    const hub = await this.hub?.catch(() => undefined);
    await hub?.stop();
  }

  private async open(filter: EventFilter, after: Positions | null, signal: AbortSignal): Promise<AsyncIterable<LiveEvent>> {
    const hub = await this.startHub();
    signal.throwIfAborted();
    // From here to hub.add() nothing awaits: the live positions read below are exactly where
    // the shared consumer's deliveries to this stream begin.
    const live = hub.positions();
    const positions: Positions = new Map();
    const gaps: PartitionRange[] = [];
    for (const key of hub.partitionsFor(filter)) {
      const liveNext = live.get(key) ?? 0n;
      const resumeAfter = after?.get(key);
      if (resumeAfter === undefined) {
        positions.set(key, liveNext - 1n);
        continue;
      }
      positions.set(key, resumeAfter);
      if (resumeAfter + 1n < liveNext) gaps.push({ ...splitPartitionKey(key), from: resumeAfter + 1n, to: liveNext });
    }
    const subscriber = new Subscriber(filter, this.options.maxQueued ?? 1_000, positions);
    hub.add(subscriber);
    // A stream never iterated (its client gone first) is let go with its signal.
    signal.addEventListener('abort', () => hub.remove(subscriber), { once: true });
    return this.stream(hub, subscriber, filter, gaps, signal);
  }

  private async *stream(hub: LiveHub, subscriber: Subscriber, filter: EventFilter, gaps: PartitionRange[], signal: AbortSignal): AsyncGenerator<LiveEvent> {
    try {
      const batches = readRanges({
        kafka: this.options.kafka,
        ranges: gaps,
        logger: this.options.logger,
        signal,
        groupPrefix: `wa-api-catchup.${this.options.instanceId}`,
        ...(this.options.catchUpTimeoutMs === undefined ? {} : { timeoutMs: this.options.catchUpTimeoutMs }),
      });
      for await (const batch of batches) {
        for (const record of batch) {
          subscriber.check();
          const item = this.positioned(record, filter);
          const event = item && subscriber.accept(item);
          if (event) yield event;
        }
      }
      for (;;) {
        const item = await subscriber.take(signal);
        if (item === null) return;
        const event = subscriber.accept(item);
        if (event) yield event;
      }
    } finally {
      hub.remove(subscriber);
    }
  }

  private startHub(): Promise<LiveHub> {
    if (this.closed) return Promise.reject(new WaError('SHUTTING_DOWN', 'live events are closed'));
    this.hub ??= LiveHub.start(this.options, (record) => this.decode(record), () => {
      this.hub = undefined;
    }).catch((error: unknown) => {
      this.hub = undefined;
      throw error;
    });
    return this.hub;
  }

  /** The record as an event the filter wants, or null (not wanted, or not decodable). */
  private positioned(record: ConsumedRecord, filter: EventFilter): PositionedEvent | null {
    if (!wantsRecord(filter, record.key, record.headers[HEADER.type])) return null;
    const item = this.decode(record);
    return item !== null && wantsEvent(filter, item.event) ? item : null;
  }

  /** Decodes an event record; null (logged) when it cannot be. */
  private decode(record: ConsumedRecord): PositionedEvent | null {
    const schema = this.schemas.get(record.topic);
    if (record.value === null || schema === undefined) return null;
    try {
      const event = liveEventOf({ ...record, value: record.value }, this.options.codec, schema);
      return { key: partitionKey(record.topic, record.partition), offset: BigInt(record.offset), event };
    } catch (error) {
      this.options.logger.warn({ err: error, topic: record.topic, partition: record.partition, offset: record.offset }, 'live event not decodable; moved to the dead letters');
      this.options.deadLetters?.report(record, error);
      return null;
    }
  }
}

type Decode = (record: ConsumedRecord) => PositionedEvent | null;

/** The shared consumer of one API process and the streams it feeds. */
class LiveHub {
  private readonly subscribers = new Set<Subscriber>();
  private tail!: TailConsumer;

  private constructor(
    private readonly options: KafkaLiveEventsOptions,
    private readonly decode: Decode,
  ) {}

  static async start(options: KafkaLiveEventsOptions, decode: Decode, onStopped: () => void): Promise<LiveHub> {
    const hub = new LiveHub(options, decode);
    const { conversation, account, presence } = options.topics;
    hub.tail = await TailConsumer.start({
      kafka: options.kafka,
      groupId: options.groupId ?? `wa-api-live.${options.instanceId}`,
      topics: [conversation, account, presence],
      from: 'end',
      logger: options.logger,
      onRecords: (records) => hub.fanOut(records),
      onFatal: (error) => {
        onStopped();
        for (const subscriber of hub.subscribers) subscriber.fail(error);
      },
    });
    return hub;
  }

  /** Next offsets of every partition: where live delivery to a stream added now begins. */
  positions(): Positions {
    return this.tail.positions();
  }

  /** The partitions a filter's events can be in: its accounts' partitions, or all. */
  partitionsFor(filter: EventFilter): string[] {
    const keys = new Set<string>();
    for (const topic of [this.options.topics.conversation, this.options.topics.account, this.options.topics.presence]) {
      if (filter.accountIds === null) {
        for (const key of this.tail.positions().keys()) if (splitPartitionKey(key).topic === topic.name) keys.add(key);
      } else {
        for (const accountId of filter.accountIds) keys.add(partitionKey(topic.name, partitionForAccount(accountId, topic.partitions)));
      }
    }
    return [...keys];
  }

  add(subscriber: Subscriber): void {
    this.subscribers.add(subscriber);
  }

  remove(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
  }

  async stop(): Promise<void> {
    await this.tail.stop();
    for (const subscriber of this.subscribers) subscriber.fail(new WaError('SHUTTING_DOWN', 'the API is shutting down'));
  }

  private fanOut(records: readonly ConsumedRecord[]): void {
    if (this.subscribers.size === 0) return;
    for (const record of records) {
      // Judged from key and header first; decoded at most once, shared by every stream that wants it.
      let item: PositionedEvent | null | undefined;
      for (const subscriber of this.subscribers) {
        if (!wantsRecord(subscriber.filter, record.key, record.headers[HEADER.type])) continue;
        if (item === undefined) item = this.decode(record);
        if (item === null) break;
        if (wantsEvent(subscriber.filter, item.event)) subscriber.push(item);
      }
    }
  }
}
