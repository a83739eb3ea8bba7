import type { Batch, Consumer, Kafka } from 'kafkajs';
import { WaError } from '../WaError.js';
import type { Logger } from '../logger.js';
import { whileSettling } from './admin.js';
import { consumedRecord, type ConsumedRecord } from './consumerRunner.js';
import { kafkaError } from './kafkaClient.js';
import { runConsumer } from './runConsumer.js';
import type { TopicSpec } from './topics.js';

/** The map key of a topic-partition. */
function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

export interface TailConsumerOptions {
  kafka: Kafka;
  /** A group of this consumer alone (one per process): every partition is assigned to it. */
  groupId: string;
  topics: readonly TopicSpec[];
  /** Where reading starts: each partition's end as the consumer starts, or its beginning. */
  from: 'end' | 'beginning';
  /** Records of one partition in offset order, each exactly once per consumer. Errors are logged and the records skipped. */
  onRecords: (records: readonly ConsumedRecord[]) => void;
  logger: Logger;
  /** Called once if the consumer stops for good (a crash no restart can fix; see runConsumer). */
  onFatal?: (error: WaError) => void;
  /** How long start() waits to join the group. */
  joinTimeoutMs?: number;
}

interface PositionWaiter {
  key: string;
  offset: bigint;
  resolve: () => void;
  reject: (error: WaError) => void;
}

/**
 * Follows topics from a fixed starting point, in a group of its own, without committing
 * offsets: the positions live in memory and are sought again after every (re)join, so a
 * rebalance or a restarted kafkajs consumer neither skips nor repeats a record. Knows when it
 * has caught up with the ends the partitions had at start, and can wait for a given offset
 * (read-your-writes).
 */
export class TailConsumer {
  /** Resolves once every partition has been read up to the end it had when the consumer started. */
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (error: WaError) => void;
  private caughtUpDone = false;
  private readonly waiters = new Set<PositionWaiter>();
  private failure: WaError | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly consumer: Consumer,
    private readonly options: TailConsumerOptions,
    /** Next offset to read, per `topic:partition`. */
    private readonly next: Map<string, bigint>,
    /** End offsets at start, for `caughtUp`. */
    private readonly targets: ReadonlyMap<string, bigint>,
  ) {
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    this.caughtUp.catch(() => undefined);
    this.checkCaughtUp();
  }

  /** Reads the starting offsets, joins the group and resolves once every partition is assigned and sought. */
  static async start(options: TailConsumerOptions): Promise<TailConsumer> {
    const { kafka } = options;
    const next = new Map<string, bigint>();
    const targets = new Map<string, bigint>();
    const admin = kafka.admin();
    try {
      await admin.connect();
      for (const topic of options.topics) {
        for (const offsets of await whileSettling(() => admin.fetchTopicOffsets(topic.name))) {
          const key = partitionKey(topic.name, offsets.partition);
          next.set(key, BigInt(options.from === 'end' ? offsets.high : offsets.low));
          targets.set(key, BigInt(offsets.high));
        }
      }
    } catch (error) {
      throw kafkaError(error, `reading the offsets of ${options.topics.map((t) => t.name).join(', ')}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }

    const consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      // Only bounds how long an idle fetch is held (and so how long stop() may wait); data comes at once.
      maxWaitTimeInMs: 1_000,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    const tail = new TailConsumer(consumer, options, next, targets);
    let joined!: () => void;
    const joinedOnce = new Promise<void>((resolve) => (joined = resolve));
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      // Emitted before the first fetch of a generation: the seeks below decide where it reads.
      for (const [topic, partitions] of Object.entries(event.payload.memberAssignment)) {
        for (const partition of partitions) {
          const offset = next.get(partitionKey(topic, partition)) ?? 0n;
          consumer.seek({ topic, partition, offset: offset.toString() });
        }
      }
      joined();
    });
    // Batches of only transaction markers never reach eachBatch; this still reports how far they go.
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      if (event.payload.firstOffset !== null) tail.advance(partitionKey(event.payload.topic, event.payload.partition), BigInt(event.payload.lastOffset) + 1n);
    });
    const joinTimeoutMs = options.joinTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await runConsumer(consumer, {
        name: `tail consumer ${options.groupId}`,
        topics: options.topics.map((t) => t.name),
        fromBeginning: options.from === 'beginning',
        run: { autoCommit: false, eachBatch: async ({ batch }) => tail.handle(consumedBatch(batch)) },
        logger: options.logger,
        stopped: () => tail.stopping !== undefined,
        onFatal: (error) => tail.fail(error),
      });
      await Promise.race([
        joinedOnce,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new WaError('TIMEOUT', `group ${options.groupId} not joined within ${joinTimeoutMs} ms`)), joinTimeoutMs);
        }),
      ]);
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw kafkaError(error, `starting tail consumer ${options.groupId}`);
    } finally {
      clearTimeout(timer);
    }
    return tail;
  }

  /** The next offset this consumer will hand over for a partition (its start offset before any record). */
  position(topic: string, partition: number): bigint | undefined {
    return this.next.get(partitionKey(topic, partition));
  }

  /** A copy of the next offsets of every partition. */
  positions(): Map<string, bigint> {
    return new Map(this.next);
  }

  /** Resolves once the record at `offset` of the partition has been handed over (or skipped as a marker). */
  waitPast(topic: string, partition: number, offset: bigint, timeoutMs: number): Promise<void> {
    const key = partitionKey(topic, partition);
    if ((this.next.get(key) ?? 0n) > offset) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new WaError('TIMEOUT', `${topic}/${partition} was not read up to offset ${offset} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: PositionWaiter = {
        key,
        offset,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Leaves the group; pending waits fail with SHUTTING_DOWN. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.fail(new WaError('SHUTTING_DOWN', `tail consumer ${this.options.groupId} stopped`), false);
      await this.consumer.disconnect().catch((error: unknown) => this.options.logger.warn({ err: error }, 'tail consumer did not disconnect cleanly'));
    })();
    return this.stopping;
  }

  private handle(records: ConsumedRecord[]): void {
    const first = records[0];
    if (first === undefined) return;
    const key = partitionKey(first.topic, first.partition);
    const from = this.next.get(key) ?? 0n;
    // A fetch begun before a seek, or a redelivery, must not hand a record over twice.
    const fresh = records.filter((record) => BigInt(record.offset) >= from);
    if (fresh.length > 0) {
      try {
        this.options.onRecords(fresh);
      } catch (error) {
        this.options.logger.error({ err: error, topic: first.topic, partition: first.partition, offset: fresh[0]!.offset }, 'tail consumer handler failed; records skipped');
      }
    }
    this.advance(key, BigInt(records[records.length - 1]!.offset) + 1n);
  }

  private advance(key: string, nextOffset: bigint): void {
    if (nextOffset <= (this.next.get(key) ?? 0n)) return;
    this.next.set(key, nextOffset);
    for (const waiter of this.waiters) {
      if (waiter.key === key && nextOffset > waiter.offset) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
    this.checkCaughtUp();
  }

  private checkCaughtUp(): void {
    if (this.caughtUpDone) return;
    for (const [key, target] of this.targets) if ((this.next.get(key) ?? 0n) < target) return;
    this.caughtUpDone = true;
    this.resolveCaughtUp();
  }

  private fail(error: WaError, fatal = true): void {
    this.failure ??= error;
    if (!this.caughtUpDone) this.rejectCaughtUp(error);
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters.clear();
    if (fatal) this.options.onFatal?.(error);
  }
}

function consumedBatch(batch: Batch): ConsumedRecord[] {
  return batch.messages.map((message) => consumedRecord(batch, message));
}
