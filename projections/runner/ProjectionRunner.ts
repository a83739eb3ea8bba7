import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { AvroCodec } from '../../schemas/index.js';
import { backoffDelay, DEFAULT_BACKOFF, isRetriable, sleep, toWaError, type BackoffPolicy, type Logger, type WaError } from '../../services/shared/index.js';
import { consumedRecord, runConsumer, type DeadLetterWriter } from '../../services/shared/kafka/index.js';
import { metrics } from '../../services/shared/ops/index.js';
import { processBatch } from '../../services/shared/tracing/index.js';
import type { ProjectedEvent, ProjectedTopic } from '../events/index.js';
import type { ReadModelDefinition } from '../readModels/shared/index.js';
import type { SqlStore } from '../store/index.js';
import type { BatchOutcome, PartitionBatch } from './applyBatch.js';
import type { ProjectionTarget, TopicPartitions } from './ProjectionTarget.js';
import type { ProjectorTopics } from './projectorTopics.js';
import { readModelTarget } from './readModelTarget.js';

/** The read models of a SQL store, the default target. */
interface ReadModelStore {
  store: SqlStore;
  models?: readonly ReadModelDefinition[];
  /** Fault injection for tests: called in the transaction after each applied event; a throw aborts the batch. */
  afterEvent?: (applied: number, event: ProjectedEvent) => void | Promise<void>;
  /** Where records set aside also go, with their bytes, before their batch commits. */
  deadLetters?: DeadLetterWriter;
}

export type ProjectionRunnerOptions = RunnerOptions & (ReadModelStore | { target: ProjectionTarget });

interface RunnerOptions {
  kafka: Kafka;
  groupId: string;
  topics: ProjectorTopics;
  codec: AvroCodec;
  logger: Logger;
  /** What logs call this consumer (default `projector`). */
  component?: string;
  /** Partitions applied at once; PostgreSQL takes several, PGlite runs one transaction at a time anyway. */
  partitionsConcurrently?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxBytesPerPartition?: number;
  /** Bytes one fetch brings at most, over every partition (kafkajs' default: 10 MiB). */
  maxBytes?: number;
  /**
   * How long a fetch waits for `minBytes` of new records (default 100 ms). It is also how long
   * kafkajs idles while every partition is paused, i.e. right after an assignment.
   */
  maxWaitTimeMs?: number;
  /**
   * Bytes a fetch waits for, up to `maxWaitTimeMs` (default 64 KiB, about 250 events). Under a
   * steady stream a fetch then brings a batch per partition that is worth its SQL transaction,
   * instead of the few records that arrived since the last one.
   */
  minBytes?: number;
  backoff?: BackoffPolicy;
  now?: () => number;
  /** Called once when the runner stops on a failure it cannot get past. */
  onFatal?: (error: WaError) => void;
  /** Called after each batch is committed (progress, tests). */
  onBatch?: (batch: PartitionBatch, outcome: BatchOutcome) => void;
}

type Assignment = Record<string, number[]>;

/**
 * The consumer of a projection: each partition batch is applied to the target (by default the
 * read models, each batch and the partition's position in one SQL transaction). The target, not
 * Kafka, knows where the projection stands: on every assignment the partitions are paused, moved
 * to the stored positions (or the start of the log) and resumed; Kafka offsets are committed
 * afterwards only so lag tooling can see progress.
 */
export class ProjectionRunner {
  /** Settles when the runner stops: resolves on stop(), rejects with the fatal error. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private rejectDone!: (error: WaError) => void;
  private readonly controller = new AbortController();
  private readonly roleOf: Map<string, ProjectedTopic>;
  private readonly log: Logger;
  private readonly target: ProjectionTarget;
  private readonly component: string;
  private fatal: WaError | undefined;
  private stopping: Promise<void> | undefined;
  private generation = 0;

  private constructor(
    private readonly consumer: Consumer,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.roleOf = new Map(Object.entries(options.topics).map(([role, spec]) => [spec.name, role as ProjectedTopic]));
    this.component = options.component ?? 'projector';
    this.log = options.logger.child({ component: this.component, groupId: options.groupId });
    this.target =
      'target' in options
        ? options.target
        : readModelTarget({
            store: options.store,
            codec: options.codec,
            logger: this.log,
            ...(options.models ? { models: options.models } : {}),
            ...(options.now ? { now: options.now } : {}),
            ...(options.afterEvent ? { afterEvent: options.afterEvent } : {}),
            ...(options.deadLetters ? { deadLetters: options.deadLetters } : {}),
          });
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => undefined);
  }

  /** Joins the group and starts projecting. */
  static async start(options: ProjectionRunnerOptions): Promise<ProjectionRunner> {
    const consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
      maxBytes: options.maxBytes ?? 10_485_760,
      maxWaitTimeInMs: options.maxWaitTimeMs ?? 100,
      minBytes: options.minBytes ?? 65_536,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    const runner = new ProjectionRunner(consumer, options);
    consumer.on(consumer.events.GROUP_JOIN, (event) => runner.assigned(event.payload.memberAssignment));
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      const { topic, partition, batchSize, firstOffset, lastOffset } = event.payload;
      if (batchSize === 0 && firstOffset !== null && lastOffset !== null) void runner.passControlRecords(topic, partition, firstOffset, lastOffset);
    });
    await runConsumer(consumer, {
      name: `${runner.component} group ${options.groupId}`,
      topics: Object.values(options.topics).map((spec) => spec.name),
      fromBeginning: true,
      run: {
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
        eachBatch: (payload) => runner.processBatch(payload),
      },
      logger: runner.log,
      stopped: () => runner.controller.signal.aborted,
      onFatal: (error) => runner.failWith(error),
    });
    return runner;
  }

  /** Leaves the group after the batch in flight is committed (or rolled back). */
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
    if (this.fatal === undefined) {
      this.fatal = error;
      this.options.onFatal?.(error);
    }
    // Stopping from inside eachBatch would wait for itself; leave the callback first.
    setImmediate(() => void this.stop());
  }

  /**
   * A new assignment: nothing is fetched until every assigned partition sits at its stored
   * position. Runs synchronously inside kafkajs' join, before its first fetch of the generation.
   */
  private assigned(assignment: Assignment): void {
    const generation = ++this.generation;
    const entries = Object.entries(assignment).filter(([, partitions]) => partitions.length > 0);
    if (entries.length === 0) return;
    const pausable = entries.map(([topic, partitions]) => ({ topic, partitions }));
    this.consumer.pause(pausable);
    void this.seekToStored(generation, entries)
      .then(() => {
        if (generation === this.generation) this.consumer.resume(pausable);
      })
      .catch((error: unknown) => this.failWith(this.target.failure(error, 'reading the stored projection positions')));
  }

  private async seekToStored(generation: number, entries: [string, number[]][]): Promise<void> {
    let positions: Awaited<ReturnType<ProjectionTarget['readPositions']>> | undefined;
    const assigned: TopicPartitions[] = entries.map(([topic, partitions]) => ({ topic, partitions }));
    for (let attempt = 1; positions === undefined; attempt += 1) {
      try {
        positions = await this.target.readPositions(assigned);
      } catch (error) {
        const failure = this.target.failure(error, 'reading the stored projection positions');
        if (!failure.retriable || this.controller.signal.aborted) throw failure;
        this.log.warn({ err: failure, attempt }, 'reading stored positions failed; retrying');
        await sleep(backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF), this.controller.signal);
      }
    }
    if (generation !== this.generation) return;
    const stored = new Map(positions.map((p) => [`${p.topic}:${p.partition}`, p.nextOffset]));
    for (const [topic, partitions] of entries) {
      for (const partition of partitions) {
        // No position yet: the start of the log (offset 0 resets to the earliest one kept).
        const offset = stored.get(`${topic}:${partition}`) ?? 0;
        this.consumer.seek({ topic, partition, offset: String(offset) });
      }
    }
    this.log.info({ partitions: assigned, stored: positions.length }, `${this.component} assigned; positions restored from its store`);
  }

  /**
   * A fetch that held only transaction markers (or aborted records) never reaches eachBatch;
   * kafkajs moves past it. The stored position moves past it too, when nothing lies between,
   * or the projection would look one record behind on every idle transactional partition.
   */
  private async passControlRecords(topic: string, partition: number, firstOffset: string, lastOffset: string): Promise<void> {
    try {
      await this.target.passControlRecords(topic, partition, Number(firstOffset), Number(lastOffset) + 1);
    } catch (error) {
      this.log.warn({ err: error, topic, partition }, 'moving the position past transaction markers failed; the next batch will');
    }
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset, commitOffsetsIfNecessary } = payload;
    if (batch.messages.length === 0 || this.fatal || this.controller.signal.aborted || isStale()) return;
    const role = this.roleOf.get(batch.topic);
    if (role === undefined) return;
    const work: PartitionBatch = {
      topic: batch.topic,
      role,
      partition: batch.partition,
      records: batch.messages.map((message) => consumedRecord(batch, message)),
      lastOffset: batch.lastOffset(),
    };
    const log = this.log.child({ topic: batch.topic, partition: batch.partition });
    let isolate = false;
    let outcome: BatchOutcome | undefined;
    for (let attempt = 1; outcome === undefined; attempt += 1) {
      try {
        outcome = await processBatch(work, this.options.groupId, () => this.target.apply(work, { isolate }));
      } catch (error) {
        if (!isolate && this.target.isDataError(error)) {
          // Some event holds a value the database refuses: find it, one savepoint per event.
          log.warn({ err: error, firstOffset: batch.firstOffset() }, 'batch refused by the database; applying event by event');
          isolate = true;
          continue;
        }
        const failure = isRetriable(error) ? toWaError(error) : this.target.failure(error, 'applying a projection batch');
        if (!failure.retriable) {
          log.error({ err: failure, firstOffset: batch.firstOffset() }, 'projection batch failed; stopping without moving on');
          this.failWith(failure);
          return;
        }
        const delay = backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF);
        log.warn({ err: failure, attempt, delayMs: delay }, 'projection batch failed; retrying');
        await sleep(delay, this.controller.signal);
        if (!isRunning() || isStale() || this.controller.signal.aborted) return;
        try {
          await heartbeat();
        } catch (heartbeatError) {
          log.warn({ err: heartbeatError }, 'heartbeat failed during retry; the partition may move');
          return;
        }
      }
    }
    this.options.onBatch?.(work, outcome);
    metrics.projectionBatches.inc({ topic: batch.topic });
    metrics.recordsProcessed.inc({ consumer: this.component, topic: batch.topic }, work.records.length);
    resolveOffset(work.lastOffset);
    try {
      // For lag tooling only: the database already holds the position.
      await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (BigInt(work.lastOffset) + 1n).toString() }] }] });
      await heartbeat();
    } catch (error) {
      log.warn({ err: error }, 'committing the Kafka offset failed (the stored position is already saved)');
    }
  }
}
