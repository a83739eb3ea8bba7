import { randomUUID } from 'node:crypto';
import type { Batch, Kafka } from 'kafkajs';
import type { AvroCodec } from '../../schemas/index.js';
import { backoffDelay, DEFAULT_BACKOFF, isRetriable, sleep, toWaError, WaError, type Logger } from '../../services/shared/index.js';
import { consumedRecord, kafkaError, pauseOthers } from '../../services/shared/kafka/index.js';
import type { ProjectedTopic } from '../events/index.js';
import type { ReadModelDefinition } from '../readModels/shared/index.js';
import { applyBatch, type BatchOutcome, type PartitionBatch } from '../runner/applyBatch.js';
import { savePosition } from '../runner/positions.js';
import type { ProjectorTopics } from '../runner/projectorTopics.js';
import { isDataError, sqlError, type SqlStore } from '../store/index.js';
import { partitionKey, type Positions } from './logPositions.js';

export interface ApplyLogUpToOptions {
  kafka: Kafka;
  topics: ProjectorTopics;
  /** The store of the new schema. */
  store: SqlStore;
  codec: AvroCodec;
  models: readonly ReadModelDefinition[];
  logger: Logger;
  /** Where the store stands on every partition (its stored positions, else the start of the log). */
  from: Positions;
  /** Where to stop on every partition: no record at or after it is applied, and the position ends exactly there. */
  to: Positions;
  /** Records not to apply (`topic:partition:offset`): the ones the live projection set aside. */
  skip: ReadonlySet<string>;
  partitionsConcurrently: number;
  /** Called with the number of offsets each applied batch covered. */
  onRecords?: (records: number) => void;
  now: () => number;
  /** Gives up when no partition moves for this long (default 5 minutes). */
  stallTimeoutMs?: number;
}

interface Pending {
  topic: string;
  role: ProjectedTopic;
  partition: number;
  at: number;
  to: number;
}

const MAX_ATTEMPTS = 8;

/**
 * Applies the log into `store` from `from` up to exactly `to` on every partition, then stops.
 * Unlike the projector's runner, which applies whole fetched batches, this one cuts a batch at
 * its partition's `to`: a rebuild of some read models must end exactly where the live
 * projection's positions are, since it shares them. A throwaway group stands in for manual
 * assignment (kafkajs has none); partitions already at `to` are paused.
 */
export async function applyLogUpTo(options: ApplyLogUpToOptions): Promise<void> {
  const { kafka, topics, store, logger } = options;
  const roleOf = new Map(Object.entries(topics).map(([role, spec]) => [spec.name, role as ProjectedTopic]));
  const pending = new Map<string, Pending>();
  for (const [key, to] of options.to) {
    const separator = key.lastIndexOf(':');
    const topic = key.slice(0, separator);
    const role = roleOf.get(topic);
    const at = options.from.get(key) ?? 0;
    if (role !== undefined && at < to) pending.set(key, { topic, role, partition: Number(key.slice(separator + 1)), at, to });
  }
  if (pending.size === 0) return;

  const consumer = kafka.consumer({
    groupId: `wa-replay.${randomUUID()}`,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: 250,
    maxBytesPerPartition: 1_048_576,
    allowAutoTopicCreation: false,
    retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  let failed = false;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = (error) => {
      failed = true;
      reject(error);
    };
  });
  finished.catch(() => undefined);
  // One partition's work at a time, whether a batch or a move past transaction markers.
  const queues = new Map<string, Promise<void>>();
  const serially = (key: string, work: () => Promise<void>): Promise<void> => {
    const next = (queues.get(key) ?? Promise.resolve()).then(work);
    queues.set(key, next.catch(() => undefined));
    return next;
  };
  const stallTimeoutMs = options.stallTimeoutMs ?? 300_000;
  let stalled: NodeJS.Timeout | undefined;
  const watch = (): void => {
    clearTimeout(stalled);
    stalled = setTimeout(() => {
      const left = [...pending.entries()].map(([key, entry]) => `${key} at ${entry.at} of ${entry.to}`);
      fail(new WaError('TIMEOUT', `the rebuild made no progress for ${stallTimeoutMs} ms (${left.join(', ')})`, { retriable: true }));
    }, stallTimeoutMs);
  };
  const moved = (key: string, entry: Pending, to: number): void => {
    watch();
    options.onRecords?.(to - entry.at);
    entry.at = to;
    if (entry.at < entry.to) return;
    pending.delete(key);
    consumer.pause([{ topic: entry.topic, partitions: [entry.partition] }]);
    if (pending.size === 0) finish();
  };

  const apply = async (work: PartitionBatch): Promise<BatchOutcome> => {
    let isolate = false;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await applyBatch(work, { store, codec: options.codec, models: options.models, logger, now: options.now, isolate });
      } catch (error) {
        if (!isolate && isDataError(error)) {
          // Some event holds a value the database refuses: find it, one savepoint per event (as the projector does).
          isolate = true;
          continue;
        }
        const failure = isRetriable(error) ? toWaError(error) : sqlError(error, 'applying a rebuild batch');
        if (!failure.retriable || attempt >= MAX_ATTEMPTS) throw failure;
        logger.warn({ err: failure, attempt, topic: work.topic, partition: work.partition }, 'rebuild batch failed; retrying');
        await sleep(backoffDelay(attempt, DEFAULT_BACKOFF));
      }
    }
  };

  const onBatch = async (batch: Batch): Promise<void> => {
    const key = partitionKey(batch.topic, batch.partition);
    const entry = pending.get(key);
    if (entry === undefined || failed) return;
    await serially(key, async () => {
      if (failed || entry.at >= entry.to) return;
      const last = Math.min(Number(batch.lastOffset()), entry.to - 1);
      if (last < entry.at) return;
      const records = batch.messages
        .filter((message) => Number(message.offset) <= last && !options.skip.has(`${key}:${message.offset}`))
        .map((message) => consumedRecord(batch, message));
      const outcome = await apply({ topic: entry.topic, role: entry.role, partition: entry.partition, records, lastOffset: String(last) });
      if (outcome.setAside > 0) logger.warn({ topic: entry.topic, partition: entry.partition, records: outcome.setAside }, 'the rebuild set aside records the live projection applied');
      moved(key, entry, last + 1);
    }).catch(fail);
  };

  // A fetch that held only transaction markers (or aborted records) never reaches eachBatch.
  const passControlRecords = (topic: string, partition: number, firstOffset: string, lastOffset: string): void => {
    const key = partitionKey(topic, partition);
    const entry = pending.get(key);
    if (entry === undefined || failed) return;
    void serially(key, async () => {
      const to = Math.min(Number(lastOffset) + 1, entry.to);
      if (failed || entry.at < Number(firstOffset) || to <= entry.at) return;
      try {
        await savePosition(store, topic, partition, to, null, options.now());
      } catch (error) {
        throw sqlError(error, 'moving a rebuild position past transaction markers');
      }
      moved(key, entry, to);
    }).catch(fail);
  };

  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assignment = event.payload.memberAssignment;
    pauseOthers(consumer, assignment, (topic, partition) => pending.has(partitionKey(topic, partition)));
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const entry = pending.get(partitionKey(topic, partition));
        if (entry) consumer.seek({ topic, partition, offset: String(entry.at) });
      }
    }
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
    const { topic, partition, batchSize, firstOffset, lastOffset } = event.payload;
    if (batchSize === 0 && firstOffset !== null && lastOffset !== null) passControlRecords(topic, partition, firstOffset, lastOffset);
  });
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) fail(kafkaError(event.payload.error, 'rebuild consumer crashed'));
  });
  try {
    watch();
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set([...pending.values()].map((entry) => entry.topic))], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently,
      eachBatch: ({ batch }) => onBatch(batch),
    });
    await finished;
  } catch (error) {
    throw kafkaError(error, 'rebuilding from the log');
  } finally {
    clearTimeout(stalled);
    await consumer.disconnect().catch((error: unknown) => logger.warn({ err: error }, 'rebuild consumer did not disconnect cleanly'));
  }
}
