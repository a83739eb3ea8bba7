import { WaError } from '../../services/shared/index.js';
import { READ_MODEL_MIGRATIONS } from '../readModels/index.js';
import { projectionLockKey } from '../runner/applyBatch.js';
import { checkSchemaName, migrate, READ_MODEL_SCHEMA, sqlStateOf, type SqlExecutor, type SqlStore } from '../store/index.js';
import { applyLogUpTo } from './applyLogUpTo.js';
import { deferIndexes } from './deferIndexes.js';
import { logEnds, onEveryPartition, partitionKey, positionsOf, recordsBetween, type Positions } from './logPositions.js';
import { rebuildUnitOf, type RebuildUnit } from './rebuildUnit.js';
import { progressMeter, type ReplayOptions, type ReplayResult } from './ReplayOptions.js';

// PostgreSQL: catch up with the moving live projection outside the lock until this few records
// are left, so the live projector waits only for the last of them.
const SMALL_GAP = 1_000;
const MAX_CATCH_UP_PASSES = 20;
const SWAP_LOCK_TIMEOUT_MS = 500;
const MAX_SWAP_ATTEMPTS = 20;
// lock_not_available (lock_timeout), deadlock_detected.
const LOCK_CONFLICTS = ['55P03', '40P01'];

/** The live projection's positions on every partition, and the records it set aside. */
async function liveState(tx: SqlExecutor, live: string, low: Positions): Promise<{ positions: Positions; setAside: Set<string> }> {
  const { rows } = await tx.query<{ topic: string; partition: number; record_offset: number }>(`SELECT topic, partition, record_offset FROM ${live}.projection_errors`);
  return {
    positions: onEveryPartition(await positionsOf(tx, live), low),
    setAside: new Set(rows.map((row) => `${partitionKey(row.topic, row.partition)}:${row.record_offset}`)),
  };
}

async function migrationOf(tx: SqlExecutor, schema: string): Promise<number> {
  const { rows } = await tx.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${schema}.schema_migrations`);
  return rows[0]?.version ?? 0;
}

/** Refuses to swap tables into live read models that are missing or at another schema version than this build's. */
async function checkLive(tx: SqlExecutor, live: string, next: string): Promise<void> {
  const { rows } = await tx.query("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'projection_positions'", [live]);
  if (rows.length === 0) {
    throw new WaError('INVALID_CONFIG', `there are no live read models in schema ${live} to rebuild one of: start the projector, or run a full replay`);
  }
  const [liveVersion, nextVersion] = [await migrationOf(tx, live), await migrationOf(tx, next)];
  if (liveVersion !== nextVersion) {
    throw new WaError('INVALID_CONFIG', `the live read models are at schema version ${liveVersion}, this build at ${nextVersion}: start the projector to migrate them first, or run a full replay`);
  }
}

function firstDifference(rebuilt: Positions, live: Positions): string | null {
  for (const [partition, offset] of live) {
    if (rebuilt.get(partition) !== offset) return `${partition} rebuilt up to ${rebuilt.get(partition) ?? 'nothing'}, live up to ${offset}`;
  }
  return null;
}

/** DROP the live tables of the unit, then move the rebuilt ones (with their indexes) into the live schema. */
function swapSql(unit: RebuildUnit, live: string, next: string): string {
  return [...unit.tables.map((table) => `DROP TABLE IF EXISTS ${live}.${table};`), ...unit.tables.map((table) => `ALTER TABLE ${next}.${table} SET SCHEMA ${live};`)].join('\n');
}

/**
 * Rebuilds one read model (with the ones written together with it, see rebuildUnitOf) from the
 * start of the log into new tables while the live ones keep serving, then swaps its tables in
 * one transaction; every other read model's tables are left as they are.
 *
 * The projection positions are shared by every read model and stay where they are, so the
 * rebuilt tables must hold exactly the records the live projection applied: not one fewer (it
 * would be lost) nor one more (the live projector would apply it again). The rebuild therefore
 * stops exactly at the live positions on every partition, and skips the records the live
 * projection set aside. With PostgreSQL the live projector keeps running: the rebuild catches
 * up with it, then takes the advisory lock every live batch holds shared (so the projector
 * waits), applies the last few records up to where it stopped and swaps. With PGlite the
 * projector must be stopped (its lock file says so) and its positions do not move.
 */
export async function rebuildReadModel(options: ReplayOptions & { model: string }): Promise<ReplayResult> {
  const unit = rebuildUnitOf(options.model);
  const now = options.now ?? Date.now;
  const started = now();
  const live = checkSchemaName(options.liveSchema ?? READ_MODEL_SCHEMA);
  const next = checkSchemaName(`${live}_rebuild_${options.model}`);
  const swapped = unit.swapped.map((model) => model.name);
  const log = options.logger.child({ component: 'replay', schema: live, models: swapped });
  const store: SqlStore = await options.openStore(next);
  try {
    await store.exec(`DROP SCHEMA IF EXISTS ${next} CASCADE`);
    await migrate(store, READ_MODEL_MIGRATIONS);
    await checkLive(store, live, next);
    const buildIndexes = await deferIndexes(store, next);
    const { low } = await logEnds(options.kafka, Object.values(options.topics).map((spec) => spec.name));
    let target = await liveState(store, live, low);
    let done = 0;
    let total = recordsBetween(low, target.positions);
    const meter = progressMeter(now, started, options.onProgress);
    let last = Number.NEGATIVE_INFINITY;
    const applyUpTo = async (wanted: { positions: Positions; setAside: Set<string> }): Promise<void> => {
      const from = onEveryPartition(await positionsOf(store, next), low);
      total = Math.max(total, done + recordsBetween(from, wanted.positions));
      await applyLogUpTo({
        kafka: options.kafka,
        topics: options.topics,
        store,
        codec: options.codec,
        models: unit.applied,
        logger: options.logger,
        from,
        to: wanted.positions,
        skip: wanted.setAside,
        partitionsConcurrently: options.partitionsConcurrently ?? (store.engine === 'postgres' ? 4 : 1),
        onRecords: (records) => {
          done += records;
          if (now() - last >= (options.progressIntervalMs ?? 1_000)) {
            last = now();
            meter('rebuilding', done, total);
          }
        },
        now,
      });
    };

    log.info({ records: total, into: next, applied: unit.applied.map((model) => model.name) }, 'rebuilding read models from the start of the log up to the live projection');
    meter('rebuilding', done, total);
    await applyUpTo(target);
    if (store.engine === 'postgres') {
      for (let pass = 1; pass <= MAX_CATCH_UP_PASSES; pass += 1) {
        const moved = await liveState(store, live, low);
        if (recordsBetween(target.positions, moved.positions) <= SMALL_GAP) break;
        log.info({ pass }, 'the live projection moved on during the rebuild; catching up');
        target = moved;
        await applyUpTo(target);
      }
    }

    await buildIndexes();
    meter('swapping', done, total);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await store.transaction(async (tx) => {
          // Waits for the live projector's batch in flight and holds its next one until the swap is done.
          await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [projectionLockKey(live)]);
          await checkLive(tx, live, next);
          const locked = await liveState(tx, live, low);
          // PGlite: nothing else may run while this transaction is open, and nothing moved (the projector is stopped).
          if (store.engine === 'postgres') await applyUpTo(locked);
          const difference = firstDifference(onEveryPartition(await positionsOf(tx, next), low), locked.positions);
          if (difference !== null) {
            throw new WaError('CONFLICT', `the live projection moved during the rebuild (${difference}); with PGlite, stop the projector first`);
          }
          // A reader holding one of the tables while it waits for another would deadlock with the
          // drops; giving up first (lock_timeout below deadlock_timeout) lets the reader through.
          await tx.exec(`SET LOCAL lock_timeout = '${SWAP_LOCK_TIMEOUT_MS}ms';\n${swapSql(unit, live, next)}`);
        });
        break;
      } catch (error) {
        if (!LOCK_CONFLICTS.includes(sqlStateOf(error) ?? '') || attempt >= MAX_SWAP_ATTEMPTS) throw error;
        log.warn({ attempt }, 'readers held the live tables; swapping again');
      }
    }
    await store.exec(`DROP SCHEMA IF EXISTS ${next} CASCADE`);
    const durationMs = now() - started;
    meter('done', done, total);
    log.info({ events: done, durationMs }, 'read models rebuilt and swapped in');
    return { events: done, durationMs, models: swapped };
  } catch (error) {
    await store.exec(`DROP SCHEMA IF EXISTS ${next} CASCADE`).catch(() => undefined);
    throw error;
  } finally {
    await store.close();
  }
}
