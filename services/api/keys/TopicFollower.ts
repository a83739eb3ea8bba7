import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { WaError, type Logger } from '../../shared/index.js';
import { consumedRecord, kafkaError, runConsumer, type ConsumedRecord } from '../../shared/kafka/index.js';

export interface TopicFollowerOptions {
  kafka: Kafka;
  topic: string;
  logger: Logger;
  /** Every record, in offset order per partition, from the beginning of the topic. */
  onRecord: (record: ConsumedRecord) => void;
  /** How long start() may take to read what the topic held when it began. */
  catchUpTimeoutMs?: number;
  /** The follower stopped for good (waits already reject); a broker outage is ridden out, not reported. */
  onFatal?: (error: WaError) => void;
}

interface Waiter {
  partition: number;
  offset: bigint;
  resolve: () => void;
  reject: (error: WaError) => void;
}

/**
 * Reads a whole (compacted) topic from its beginning and keeps following it, as every API
 * instance does with the key table. A private group that never commits gets every partition
 * and leaves nothing behind. start() returns once the records present at start are applied.
 */
export class TopicFollower {
  private readonly next = new Map<number, bigint>();
  private waiters: Waiter[] = [];
  private failure: WaError | undefined;
  private stopped = false;

  private constructor(
    private readonly consumer: Consumer,
    private readonly options: TopicFollowerOptions,
  ) {}

  /** Starts following and waits until the topic's current end is read. */
  static async start(options: TopicFollowerOptions): Promise<TopicFollower> {
    const { kafka, topic, logger } = options;
    const ends = await endOffsets(kafka, topic);
    const consumer = kafka.consumer({
      groupId: `wa-api.follow.${topic}.${randomUUID()}`,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      // An idle fetch waits this long at the broker; stop() waits for it, so keep shutdown quick.
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    const follower = new TopicFollower(consumer, options);
    // Returning before the group is joined would leave a stop() waiting out the join.
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    // Joined again after a restart (the broker was away): carry on where the follower was, not from the beginning.
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      for (const partition of event.payload.memberAssignment[topic] ?? []) {
        const next = follower.next.get(partition);
        if (next !== undefined) consumer.seek({ topic, partition, offset: next.toString() });
      }
    });
    // Batches of transaction markers only never reach eachBatch; this event still reports them.
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => follower.progress(event.payload.partition, BigInt(event.payload.lastOffset) + 1n));
    try {
      await runConsumer(consumer, {
        name: `the follower of ${topic}`,
        topics: [topic],
        fromBeginning: true,
        run: {
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              // A fetch begun before a seek must not apply a record twice.
              if (BigInt(message.offset) < (follower.next.get(batch.partition) ?? 0n)) continue;
              options.onRecord(consumedRecord(batch, message));
              follower.progress(batch.partition, BigInt(message.offset) + 1n);
            }
          },
        },
        logger,
        stopped: () => follower.stopped,
        onFatal: (error) => {
          follower.fail(error);
          options.onFatal?.(error);
        },
      });
      const timeoutMs = options.catchUpTimeoutMs ?? 120_000;
      await withTimeout(
        Promise.all([joined, ...[...ends].map(([partition, end]) => follower.reached(partition, end - 1n))]),
        timeoutMs,
        () => new WaError('TIMEOUT', `${topic} was not read to its end within ${timeoutMs} ms`, { retriable: true }),
      );
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw kafkaError(error, `following ${topic}`);
    }
    return follower;
  }

  /** Resolves once the record at `offset` of `partition` has been applied. */
  reached(partition: number, offset: bigint): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if ((this.next.get(partition) ?? 0n) > offset) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ partition, offset, resolve, reject }));
  }

  /** Leaves the topic; the private group disappears with it. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer.disconnect().catch((error: unknown) => this.options.logger.warn({ err: error }, 'topic follower did not disconnect cleanly'));
  }

  private progress(partition: number, next: bigint): void {
    if (next <= (this.next.get(partition) ?? 0n)) return;
    this.next.set(partition, next);
    const ready = this.waiters.filter((w) => w.partition === partition && w.offset < next);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
  }

  private fail(error: WaError): void {
    this.failure ??= error;
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) waiter.reject(error);
  }
}

/** Partition → end offset, for the partitions that hold anything. */
async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
  } catch (error) {
    throw kafkaError(error, `reading the end offsets of ${topic}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(error()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
