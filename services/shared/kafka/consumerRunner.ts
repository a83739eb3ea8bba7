import type { Batch, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffPolicy } from '../backoff.js';
import type { Logger } from '../logger.js';
import { isRetriable, toWaError, WaError } from '../WaError.js';
import { headersAsStrings } from './headers.js';
import { runConsumer } from './runConsumer.js';

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Broker / producer timestamp, epoch ms. */
  timestamp: number;
}

/** A kafkajs message as the plain record every handler sees. */
export function consumedRecord(batch: Pick<Batch, 'topic' | 'partition'>, message: KafkaMessage): ConsumedRecord {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : null,
    value: message.value,
    headers: headersAsStrings(message.headers),
    timestamp: Number(message.timestamp),
  };
}

export interface BatchContext {
  topic: string;
  partition: number;
  /** Keeps the group membership alive during long work. */
  heartbeat: () => Promise<void>;
  /** Aborted when the runner stops; long work should stop early (without committing). */
  signal: AbortSignal;
}

/** Handles the records of one partition in offset order; must be idempotent (redelivery happens). */
export type BatchHandler = (records: readonly ConsumedRecord[], context: BatchContext) => Promise<void>;

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  handleBatch: BatchHandler;
  logger: Logger;
  /** Where a group without committed offsets starts: true for the beginning of the log. */
  fromBeginning?: boolean;
  backoff?: BackoffPolicy;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxBytesPerPartition?: number;
  /** How many partitions are handled at once; order within a partition is always kept. */
  partitionsConcurrently?: number;
  /** Called with topic → partitions each time this member's assignment changes. */
  onAssignment?: (assignment: Record<string, number[]>) => void;
}

/**
 * Runs a consumer group member: batches per partition, offsets committed only after the
 * handler succeeded, retriable failures retried in place with capped backoff, a fatal failure
 * stops the member without committing (so nothing is skipped), and stop() drains the
 * in-flight batch before leaving the group.
 */
export class ConsumerRunner {
  /** Settles when the runner stops: resolves on stop(), rejects with the fatal error. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private rejectDone!: (error: WaError) => void;
  private readonly controller = new AbortController();
  private fatal: WaError | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly consumer: Consumer,
    private readonly options: ConsumerRunnerOptions,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // A runner whose failure nobody awaits must not crash the process with an unhandled rejection.
    this.done.catch(() => undefined);
  }

  /** Joins the group and starts consuming. */
  static async start(options: ConsumerRunnerOptions): Promise<ConsumerRunner> {
    const consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    const runner = new ConsumerRunner(consumer, options);
    consumer.on(consumer.events.GROUP_JOIN, (event) => options.onAssignment?.(event.payload.memberAssignment));
    await runConsumer(consumer, {
      name: `consumer group ${options.groupId}`,
      topics: options.topics,
      fromBeginning: options.fromBeginning ?? false,
      run: {
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
        eachBatch: (payload) => runner.processBatch(payload),
      },
      logger: options.logger,
      stopped: () => runner.controller.signal.aborted,
      onFatal: (error) => runner.failWith(error),
    });
    return runner;
  }

  /** Leaves the group after the in-flight batch finished and committed. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.controller.abort();
      try {
        await this.consumer.stop();
        await this.consumer.disconnect();
      } finally {
        if (this.fatal) this.rejectDone(this.fatal);
        else this.resolveDone();
      }
    })();
    return this.stopping;
  }

  private failWith(error: WaError): void {
    this.fatal ??= error;
    // Stopping from inside eachBatch would wait for itself; leave the callback first.
    setImmediate(() => void this.stop());
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset, commitOffsetsIfNecessary } = payload;
    if (batch.messages.length === 0 || this.fatal || this.controller.signal.aborted) return;
    const records: ConsumedRecord[] = batch.messages.map((message) => consumedRecord(batch, message));
    const context: BatchContext = {
      topic: batch.topic,
      partition: batch.partition,
      heartbeat,
      signal: this.controller.signal,
    };
    const log = this.options.logger.child({ groupId: this.options.groupId, topic: batch.topic, partition: batch.partition });

    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.handleBatch(records, context);
        break;
      } catch (error) {
        const failure = toWaError(error);
        if (!isRetriable(failure)) {
          log.error({ err: failure, firstOffset: batch.firstOffset() }, 'batch failed; stopping without commit');
          this.failWith(failure);
          return;
        }
        const delay = backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF);
        log.warn({ err: failure, attempt, delayMs: delay }, 'batch failed; retrying');
        await sleep(delay, this.controller.signal);
        if (!isRunning() || isStale() || this.controller.signal.aborted) return;
        try {
          await heartbeat();
        } catch (heartbeatError) {
          // Rebalance in progress: the partition may move; the new owner reprocesses from the commit.
          log.warn({ err: heartbeatError }, 'heartbeat failed during retry; leaving batch uncommitted');
          return;
        }
      }
    }

    const lastOffset = batch.lastOffset();
    resolveOffset(lastOffset);
    await commitOffsetsIfNecessary({
      topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (BigInt(lastOffset) + 1n).toString() }] }],
    });
    await heartbeat();
  }
}
