import type { Kafka, Producer, RecordMetadata } from 'kafkajs';
import { CompressionTypes, Partitioners } from 'kafkajs';
import type { Logger } from '../logger.js';
import { kafkaError } from './kafkaClient.js';
import { partitionForAccount, type TopicSpec } from './topics.js';

export interface OutgoingRecord {
  /** Decides the partition: murmur2(accountId) % partitions, for every topic. */
  accountId: string;
  /** Record key; defaults to the account id. Compacted topics pass their entry key; null writes a record without a key. */
  key?: string | null;
  /** The partition, when it is another record's rather than the account's (a dead letter goes where its record was). */
  partition?: number;
  /** Encoded value; null writes a tombstone. */
  value: Buffer | null;
  headers: Record<string, string>;
  /** Producer timestamp, epoch ms; defaults to now. */
  timestamp?: number;
}

export interface TopicRecords {
  topic: TopicSpec;
  records: readonly OutgoingRecord[];
}

/** The key a record is written with: its own (null included), else its account id. */
export function recordKey(record: OutgoingRecord): string | null {
  return record.key === undefined ? record.accountId : record.key;
}

/** The partition a record is written to: its own, else its account's. */
export function recordPartition(record: OutgoingRecord, topic: TopicSpec): number {
  return record.partition ?? partitionForAccount(record.accountId, topic.partitions);
}

/**
 * The idempotent producer (acks=all): records of one account keep their order, and a
 * retried send never writes a duplicate. Partitions are computed here, never by kafkajs.
 */
export class KafkaProducer {
  private constructor(
    private readonly producer: Producer,
    private readonly logger: Logger,
  ) {}

  /** Connects an idempotent producer. */
  static async connect(kafka: Kafka, logger: Logger): Promise<KafkaProducer> {
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Every record carries an explicit partition; this only keeps kafkajs from warning.
      createPartitioner: Partitioners.JavaCompatiblePartitioner,
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 10_000 },
    });
    try {
      await producer.connect();
    } catch (error) {
      throw kafkaError(error, 'connecting the producer');
    }
    return new KafkaProducer(producer, logger);
  }

  /** Writes records to one topic; resolves once every record is acknowledged by all replicas. */
  send(topic: TopicSpec, records: readonly OutgoingRecord[]): Promise<RecordMetadata[]> {
    return this.sendMany([{ topic, records }]);
  }

  /** Writes records to several topics in one round trip. */
  async sendMany(batches: readonly TopicRecords[]): Promise<RecordMetadata[]> {
    const topicMessages = batches
      .filter((batch) => batch.records.length > 0)
      .map(({ topic, records }) => ({
        topic: topic.name,
        messages: records.map((record) => ({
          key: recordKey(record),
          value: record.value,
          partition: recordPartition(record, topic),
          headers: record.headers,
          timestamp: String(record.timestamp ?? Date.now()),
        })),
      }));
    if (topicMessages.length === 0) return [];
    try {
      return await this.producer.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
    } catch (error) {
      const wrapped = kafkaError(error, 'producing records');
      this.logger.warn({ err: wrapped, topics: topicMessages.map((t) => t.topic) }, 'produce failed');
      throw wrapped;
    }
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}
