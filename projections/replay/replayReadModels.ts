import { randomUUID } from 'node:crypto';
import { sleep, WaError } from '../../services/shared/index.js';
import { READ_MODEL_MIGRATIONS, READ_MODELS } from '../readModels/index.js';
import { projectionLockKey } from '../runner/applyBatch.js';
import { ProjectionRunner } from '../runner/ProjectionRunner.js';
import { checkSchemaName, migrate, READ_MODEL_SCHEMA } from '../store/index.js';
import { deferIndexes } from './deferIndexes.js';
import { logEnds, positionsOf, reached, type Positions } from './logPositions.js';
import { progressMeter, type ReplayOptions, type ReplayProgress, type ReplayResult } from './ReplayOptions.js';

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
    const buildIndexes = await deferIndexes(store, next);
    const { low, high } = await logEnds(options.kafka, topicNames);
    const total = [...high].reduce((sum, [partition, end]) => sum + end - (low.get(partition) ?? 0), 0);
    let done = 0;
    const meter = progressMeter(now, started, options.onProgress);
    const progress = (phase: ReplayProgress['phase']): void => meter(phase, done, total);
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
    await buildIndexes();
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
    return { events: done, durationMs, models: READ_MODELS.map((model) => model.name) };
  } finally {
    await running.runner?.stop().catch(() => undefined);
    await store.close();
  }
}
