import type { Kafka } from 'kafkajs';
import type { AvroCodec } from '../../../schemas/index.js';
import type { Logger } from '../logger.js';
import { WaError } from '../WaError.js';
import { KafkaProducer, TailConsumer, recordHeaders, type ConsumedRecord, type DeadLetterWriter, type TopicSpec } from '../kafka/index.js';
import { partitioningKey, type WebhookSubscriptionValue } from './subscriptions.js';

const SCHEMA = 'wa.webhooks.WebhookSubscription';

export interface SubscriptionLogOptions {
  kafka: Kafka;
  /** The process's producer; when absent the log connects its own and disconnects it on stop(). */
  producer?: KafkaProducer;
  codec: AvroCodec;
  /** wa.webhooks.v1 (compacted). */
  topic: TopicSpec;
  /** A group of this reader alone (one per process). */
  groupId: string;
  /** `ce_source` of the records this process writes. */
  source: string;
  logger: Logger;
  now?: () => number;
  /** How long a call waits for the table to be read, or for its own write to come back (default 30 s). */
  waitMs?: number;
  /** Where subscription records that cannot be read go (the table keeps the subscription's last readable version). */
  deadLetters?: DeadLetterWriter;
  /** A reader stopped for good (not by a broker outage, which it rides out); by default only logged. The roles fail, so a supervisor restarts them. */
  onFatal?: (error: WaError) => void;
}

/**
 * The subscription table every process builds from the compacted wa.webhooks.v1: read from
 * its beginning, then followed. A write returns once this process has read it back, so the
 * writer sees its own change. The API and the webhooks role both keep one.
 */
export class SubscriptionLog {
  private readonly table = new Map<string, WebhookSubscriptionValue>();
  private readonly now: () => number;
  private readonly waitMs: number;
  private tail!: TailConsumer;

  private constructor(
    private readonly options: SubscriptionLogOptions,
    private readonly producer: KafkaProducer,
    private readonly ownsProducer: boolean,
  ) {
    this.now = options.now ?? Date.now;
    this.waitMs = options.waitMs ?? 30_000;
  }

  /** Connects and starts reading the topic; `caughtUp()` tells when the table is whole. */
  static async start(options: SubscriptionLogOptions): Promise<SubscriptionLog> {
    const producer = options.producer ?? (await KafkaProducer.connect(options.kafka, options.logger));
    const log = new SubscriptionLog(options, producer, options.producer === undefined);
    try {
      log.tail = await TailConsumer.start({
        kafka: options.kafka,
        groupId: options.groupId,
        topics: [options.topic],
        from: 'beginning',
        logger: options.logger,
        onRecords: (records) => log.apply(records),
        onFatal: options.onFatal ?? ((error) => options.logger.error({ err: error }, 'webhook subscriptions reader stopped')),
      });
    } catch (error) {
      if (log.ownsProducer) await producer.disconnect().catch(() => undefined);
      throw error;
    }
    return log;
  }

  /** Resolves once the table holds everything the topic had when this process started. */
  ready(): Promise<void> {
    return this.tail.caughtUp;
  }

  /** Like ready(), but gives up after `waitMs` with UNAVAILABLE. */
  async caughtUp(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.tail.caughtUp,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new WaError('UNAVAILABLE', `webhook subscriptions not read within ${this.waitMs} ms`)), this.waitMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  get(id: string): WebhookSubscriptionValue | undefined {
    return this.table.get(id);
  }

  values(): IterableIterator<WebhookSubscriptionValue> {
    return this.table.values();
  }

  /** Writes a subscription and returns once this process has read it back. */
  async write(value: WebhookSubscriptionValue, type = 'webhook.subscription'): Promise<void> {
    await this.send(value.id, partitioningKey(value), this.options.codec.encode(SCHEMA, value), type);
    this.options.logger.info({ subscriptionId: value.id, accountId: value.accountId, version: value.version, enabled: value.enabled }, 'webhook subscription written');
  }

  /** Tombstones a subscription and returns once this process has read the tombstone back. */
  async remove(value: WebhookSubscriptionValue): Promise<void> {
    await this.send(value.id, partitioningKey(value), null, 'webhook.subscription.deleted');
  }

  /** Stops reading and disconnects an own producer. */
  async stop(): Promise<void> {
    await this.tail.stop();
    if (this.ownsProducer) await this.producer.disconnect().catch(() => undefined);
  }

  private apply(records: readonly ConsumedRecord[]): void {
    for (const record of records) {
      if (record.key === null) continue;
      if (record.value === null) {
        this.table.delete(record.key);
        continue;
      }
      try {
        this.table.set(record.key, this.options.codec.decode<WebhookSubscriptionValue>(record.value, SCHEMA).value);
      } catch (error) {
        this.options.logger.warn({ err: error, partition: record.partition, offset: record.offset }, 'webhook subscription not decodable; moved to the dead letters');
        this.options.deadLetters?.report(record, error);
      }
    }
  }

  private async send(id: string, partitionBy: string, value: Buffer | null, type: string): Promise<void> {
    const now = this.now();
    const [meta] = await this.producer.send(this.options.topic, [
      { accountId: partitionBy, key: id, value, headers: recordHeaders({ id: `${id}@${now}`, type, source: this.options.source, time: now }), timestamp: now },
    ]);
    const offset = meta?.baseOffset ?? meta?.offset;
    if (meta === undefined || offset === undefined) throw new WaError('KAFKA', `no offset reported for webhook subscription ${id}`, { retriable: true });
    await this.tail.waitPast(this.options.topic.name, meta.partition, BigInt(offset), this.waitMs);
  }
}
