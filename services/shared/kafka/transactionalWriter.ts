import type { Kafka, Producer } from 'kafkajs';
import { CompressionTypes, Partitioners } from 'kafkajs';
import { sleep } from '../backoff.js';
import type { Logger } from '../logger.js';
import { WaError } from '../WaError.js';
import { kafkaError } from './kafkaClient.js';
import type { TopicRecords } from './producer.js';
import { partitionForAccount } from './topics.js';

/** A consumer position to commit with the records: the next offset to read. */
export interface ConsumerPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** Records (of any topics) and the consumer positions that become visible together or not at all. */
export interface AtomicWrite {
  batches: readonly TopicRecords[];
  positions?: readonly ConsumerPosition[];
}

export interface TransactionalWriterOptions {
  kafka: Kafka;
  /** Stable per unit of ownership (e.g. per partition): a new writer with the same id fences the old one. */
  transactionalId: string;
  /** Group whose positions are committed inside the transactions. */
  consumerGroupId: string;
  logger: Logger;
}

/** Bytes of one partition's records per produce request of a transaction, well under the broker's 1 MB default. */
export const SEND_ROUND_BYTES = 512 * 1024;

interface OutgoingMessage {
  key: string;
  value: Buffer | null;
  partition: number;
  headers: Record<string, string>;
  timestamp: string;
}

/** A record's size on the wire, near enough: key, value, headers and a fixed overhead. */
function sizeOf(message: OutgoingMessage): number {
  let size = 70 + Buffer.byteLength(message.key) + (message.value?.length ?? 0);
  for (const [name, value] of Object.entries(message.headers)) size += Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
  return size;
}

/**
 * Splits a transaction's records into produce requests holding at most `limit` bytes per
 * partition (a record larger than that goes alone). Each partition's records keep their order
 * across the requests, which are sent one after another.
 */
export function sendRounds(topics: readonly { topic: string; messages: readonly OutgoingMessage[] }[], limit: number): { topic: string; messages: OutgoingMessage[] }[][] {
  const rounds: Map<string, OutgoingMessage[]>[] = [];
  for (const { topic, messages } of topics) {
    const filled = new Map<number, { round: number; bytes: number }>();
    for (const message of messages) {
      const size = sizeOf(message);
      let at = filled.get(message.partition) ?? { round: 0, bytes: 0 };
      if (at.bytes > 0 && at.bytes + size > limit) at = { round: at.round + 1, bytes: 0 };
      at.bytes += size;
      filled.set(message.partition, at);
      while (rounds.length <= at.round) rounds.push(new Map());
      const round = rounds[at.round]!;
      const list = round.get(topic);
      if (list) list.push(message);
      else round.set(topic, [message]);
    }
  }
  return rounds.map((round) => [...round].map(([topic, messages]) => ({ topic, messages })));
}

/** Attempts of one group of writes before the writer gives up (and its owner recovers). */
const COMMIT_ATTEMPTS = 5;

interface Pending {
  write: AtomicWrite;
  resolve: () => void;
  reject: (error: WaError) => void;
}

/**
 * Kafka transactions with group commit: writes queued while a transaction is in flight go
 * out together in the next one. Opening the writer fences any earlier writer with the same
 * transactional id (a connector that lost its partitions cannot write after the new owner
 * started) and aborts its unfinished transaction.
 */
export class TransactionalWriter {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private failure: WaError | undefined;
  private closed = false;

  private constructor(
    private readonly producer: Producer,
    private readonly options: TransactionalWriterOptions,
  ) {}

  /** Connects and initialises the transactional producer (fencing earlier incarnations). */
  static async open(options: TransactionalWriterOptions): Promise<TransactionalWriter> {
    const producer = options.kafka.producer({
      transactionalId: options.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      transactionTimeout: 30_000,
      createPartitioner: Partitioners.JavaCompatiblePartitioner,
      // Short first retries: CONCURRENT_TRANSACTIONS right after a commit clears within milliseconds.
      retry: { retries: 10, initialRetryTime: 10, maxRetryTime: 2_000 },
    });
    try {
      await producer.connect();
      // kafkajs registers the transactional id (InitProducerId: fences the previous holder and
      // aborts its open transaction) only when the first transaction begins; do it now.
      const first = await producer.transaction();
      await first.commit();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw kafkaError(error, `opening transactional writer ${options.transactionalId}`);
    }
    return new TransactionalWriter(producer, options);
  }

  /** Queues a write; resolves once its transaction committed. After one failed transaction every write rejects. */
  write(write: AtomicWrite): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new WaError('SHUTTING_DOWN', `writer ${this.options.transactionalId} is closed`));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  /** The error that broke this writer, if any. */
  get failed(): WaError | undefined {
    return this.failure;
  }

  /** Waits for queued writes, then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await this.producer.disconnect().catch((error: unknown) => this.options.logger.warn({ err: error }, 'transactional producer did not disconnect cleanly'));
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue;
        this.queue = [];
        try {
          await this.commitWithRetries(group.map((p) => p.write));
          for (const pending of group) pending.resolve();
        } catch (error) {
          this.failure = kafkaError(error, `transaction of ${this.options.transactionalId}`);
          this.options.logger.error({ err: this.failure, transactionalId: this.options.transactionalId }, 'transaction failed');
          for (const pending of [...group, ...this.queue]) pending.reject(this.failure);
          this.queue = [];
          return;
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /**
   * An aborted transaction leaves nothing visible, so after a retriable failure (a coordinator
   * moving or still loading) the same writes are simply tried again in a new one.
   */
  private async commitWithRetries(writes: readonly AtomicWrite[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.commit(writes);
        return;
      } catch (error) {
        const retriable = (error as { retriable?: unknown }).retriable === true && !isFencedError(error);
        if (!retriable || attempt >= COMMIT_ATTEMPTS) throw error;
        this.options.logger.warn({ err: error, transactionalId: this.options.transactionalId, attempt }, 'transaction aborted; trying again');
        await sleep(50 * attempt);
      }
    }
  }

  private async commit(writes: readonly AtomicWrite[]): Promise<void> {
    const byTopic = new Map<string, { topic: string; messages: OutgoingMessage[] }>();
    const positions = new Map<string, ConsumerPosition>();
    for (const write of writes) {
      for (const { topic, records } of write.batches) {
        let entry = byTopic.get(topic.name);
        if (!entry) byTopic.set(topic.name, (entry = { topic: topic.name, messages: [] }));
        for (const record of records) {
          entry.messages.push({
            key: record.key ?? record.accountId,
            value: record.value,
            partition: partitionForAccount(record.accountId, topic.partitions),
            headers: record.headers,
            timestamp: String(record.timestamp ?? Date.now()),
          });
        }
      }
      for (const position of write.positions ?? []) {
        const key = `${position.topic}:${position.partition}`;
        const known = positions.get(key);
        if (!known || BigInt(position.offset) > BigInt(known.offset)) positions.set(key, position);
      }
    }
    const transaction = await this.producer.transaction();
    try {
      // One transaction, several requests: a partition's records go out in slices the broker's
      // 1 MB record-batch limit accepts, in their order.
      for (const topicMessages of sendRounds([...byTopic.values()], SEND_ROUND_BYTES)) {
        await transaction.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
      }
      if (positions.size > 0) {
        const topics = new Map<string, { partition: number; offset: string }[]>();
        for (const position of positions.values()) {
          const list = topics.get(position.topic) ?? [];
          list.push({ partition: position.partition, offset: position.offset });
          topics.set(position.topic, list);
        }
        await transaction.sendOffsets({
          consumerGroupId: this.options.consumerGroupId,
          topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
        });
      }
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }
}

const FENCING_ERRORS = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);

/** True when a write failed because a newer writer with the same transactional id took over. */
export function isFencedError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string' && FENCING_ERRORS.has(type)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
