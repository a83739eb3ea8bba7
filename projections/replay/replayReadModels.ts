import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { AvroCodec } from '../../schemas/index.js';
import { sleep, WaError, type Logger } from '../../services/shared/index.js';
import { kafkaError } from '../../services/shared/kafka/index.js';
import { READ_MODEL_MIGRATIONS } from '../readModels/index.js';
import { projectionLockKey } from '../runner/applyBatch.js';
import { ProjectionRunner } from '../runner/ProjectionRunner.js';
import type { ProjectorTopics } from '../runner/projectorTopics.js';
import { checkSchemaName, migrate, READ_MODEL_SCHEMA, type SqlExecutor, type SqlStore } from '../store/index.js';

/** Where a rebuild stands. */
export interface ReplayProgress {
  phase: 'rebuilding' | 'swapping' | 'done';
  /** Records applied (or skipped as already applied) so far. */
  done: number;
  /** Records on the topics when the rebuild started. */
  total: number;
  ratePerSecond: number;
  /** Time left at the current rate; null before there is a rate. */
  etaMs: number | null;
}

export interface ReplayOptions {
  kafka: Kafka;
  topics: ProjectorTopics;
  codec: AvroCodec;
  logger: Logger;
  /**
   * Opens the store with its search path on `schema` (PGlite: the projector must be stopped,
   * its lock file says so; PostgreSQL: the live projector keeps running).
   */
  openStore(schema: string): Promise<SqlStore>;
  /** The schema the live read models are in (default `read_models`). */
  liveSchema?: string;
  onProgress?: (progress: ReplayProgress) => void;
  progressIntervalMs?: number;
  partitionsConcurrently?: number;
  now?: () => number;
}

export interface ReplayResult {
  events: number;
  durationMs: number;
}

type Positions = Map<string, number>;

const key = (topic: string, partition: number): string => `${topic}:${partition}`;

async function positionsOf(tx: SqlExecutor, schema: string): Promise<Positions> {
  const { rows } = await tx.query<{ topic: string; partition: number; next_offset: number }>(`SELECT topic, partition, next_offset FROM ${schema}.projection_positions`);
  return new Map(rows.map((row) => [key(row.topic, row.partition), row.next_offset]));
}

async function logEnds(kafka: Kafka, topics: readonly string[]): Promise<{ low: Positions; high: Positions }> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const low: Positions = new Map();
    const high: Positions = new Map();
    for (const topic of topics) {
      for (const offsets of await admin.fetchTopicOffsets(topic)) {
        low.set(key(topic, offsets.partition), Number(offsets.low));
        high.set(key(topic, offsets.partition), Number(offsets.high));
      }
    }
    return { low, high };
  } catch (error) {
    throw kafkaError(error, 'reading the ends of the projected topics');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** True when the rebuilt positions reach `wanted` on every partition (a partition never written counts from its start). */
function reached(rebuilt: Positions, wanted: Positions, low: Positions): boolean {
  for (const [partition, offset] of wanted) {
    if ((rebuilt.get(partition) ?? low.get(partition) ?? 0) < offset) return false;
  }
  return true;
}

/**
 * Rebuilds every read model from the start of the log into a new schema while the live one
 * keeps serving, then swaps them in one transaction. The swap waits for the live projector's
 * batch in flight (an advisory lock every batch holds shared) and happens only once the rebuild
 * is at least as far as the live projection on every partition, so the live projector simply
 * carries on from the rebuilt positions, skipping what the rebuild already applied.
 */
export async function replayReadModels(options: ReplayOptions): Promise<ReplayResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const live = checkSchemaName(options.liveSchema ?? READ_MODEL_SCHEMA);
  const next = checkSchemaName(`${live}_next`);
  const topicNames = Object.values(options.topics).map((spec) => spec.name);
  const log = options.logger.child({ component: 'replay', schema: live });
  const store = await options.openStore(next);
  const running: { runner?: ProjectionRunner | undefined } = {};
  try {
    await store.exec(`DROP SCHEMA IF EXISTS ${next} CASCADE`);
    await migrate(store, READ_MODEL_MIGRATIONS);
    const { low, high } = await logEnds(options.kafka, topicNames);
    const total = [...high].reduce((sum, [partition, end]) => sum + end - (low.get(partition) ?? 0), 0);
    let done = 0;
    const progress = (phase: ReplayProgress['phase']): void => {
      const seconds = Math.max((now() - started) / 1000, 0.001);
      const ratePerSecond = done / seconds;
      options.onProgress?.({ phase, done, total, ratePerSecond, etaMs: ratePerSecond > 0 ? (Math.max(total - done, 0) / ratePerSecond) * 1000 : null });
    };
    log.info({ total, into: next }, 'rebuilding the read models from the start of the log');
    // Applies the log into the new schema until it reaches `wanted`, then stops (before a swap
    // renames the schema under it). The database keeps its positions, so each run resumes.
    const rebuildUntil = async (wanted: Positions): Promise<void> => {
      const runner = await ProjectionRunner.start({
        kafka: options.kafka,
        groupId: `wa-replay.${randomUUID()}`,
        topics: options.topics,
        store,
        codec: options.codec,
        logger: options.logger,
        partitionsConcurrently: options.partitionsConcurrently ?? (store.engine === 'postgres' ? 4 : 1),
        onBatch: (batch) => {
          done += batch.records.length;
        },
      });
      running.runner = runner;
      const failed = runner.done.then(
        () => new WaError('INTERNAL', 'the rebuild stopped'),
        (error: unknown) => error,
      );
      let last = 0;
      for (;;) {
        const outcome = await Promise.race([failed, sleep(100).then(() => 'tick' as const)]);
        if (outcome !== 'tick') throw outcome;
        if (reached(await positionsOf(store, next), wanted, low)) break;
        if (now() - last >= (options.progressIntervalMs ?? 1_000)) {
          last = now();
          progress('rebuilding');
        }
      }
      await runner.stop();
      running.runner = undefined;
    };

    await rebuildUntil(high);
    for (;;) {
      progress('swapping');
      const behind = await store.transaction(async (tx) => {
        // Waits for the live projector's batch in flight and holds its next one until the swap is done.
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [projectionLockKey(live)]);
        const { rows } = await tx.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [live]);
        if (rows.length > 0) {
          const livePositions = await positionsOf(tx, live);
          if (!reached(await positionsOf(tx, next), livePositions, low)) return livePositions;
          await tx.exec(`ALTER SCHEMA ${live} RENAME TO ${live}_old; ALTER SCHEMA ${next} RENAME TO ${live}; DROP SCHEMA ${live}_old CASCADE;`);
        } else {
          await tx.exec(`ALTER SCHEMA ${next} RENAME TO ${live};`);
        }
        return null;
      });
      if (behind === null) break;
      // The live projection moved on while the rebuild finished: catch up with it, then try again.
      log.info('the live projection is ahead of the rebuild; catching up before the swap');
      await rebuildUntil(behind);
    }
    const durationMs = now() - started;
    progress('done');
    log.info({ events: done, durationMs }, 'read models rebuilt and swapped in');
    return { events: done, durationMs };
  } finally {
    await running.runner?.stop().catch(() => undefined);
    await store.close();
  }
}
