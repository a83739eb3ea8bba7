import type { AvroCodec } from '../../schemas/index.js';
import { WaError, type Logger } from '../../services/shared/index.js';
import type { ConsumedRecord, DeadLetterWriter, OutgoingRecord } from '../../services/shared/kafka/index.js';
import { TOPIC_SCHEMA, toProjectedEvent, type ProjectedEvent, type ProjectedTopic } from '../events/index.js';
import { evolveReadModels } from '../readModels/readModelCatalog.js';
import { setBased, type ReadModelDefinition, type Statement } from '../readModels/shared/index.js';
import { isDataError, type SqlExecutor, type SqlStore } from '../store/index.js';
import { lockPosition, savePosition } from './positions.js';

/** One partition's records, in offset order, as one unit of work. */
export interface PartitionBatch {
  topic: string;
  role: ProjectedTopic;
  partition: number;
  records: readonly ConsumedRecord[];
  /** The last offset the batch covers (transaction markers after the last record included). */
  lastOffset: string;
}

export interface ApplyOptions {
  store: SqlStore;
  codec: AvroCodec;
  models: readonly ReadModelDefinition[];
  logger: Logger;
  now: () => number;
  /**
   * Run each event in its own savepoint and set aside the ones whose statements the database
   * refuses (a value it cannot store), instead of failing the batch.
   */
  isolate: boolean;
  /** Fault injection for tests: called in the transaction after each applied event. */
  afterEvent?: (applied: number, event: ProjectedEvent) => void | Promise<void>;
  /**
   * Where records set aside also go, with their bytes: written before the transaction commits
   * (a crash in between writes the same letters again). A rebuild has none.
   */
  deadLetters?: Pick<DeadLetterWriter, 'letter' | 'write'>;
}

export interface BatchOutcome {
  applied: number;
  /** Records at or before the stored position: applied by an earlier delivery. */
  alreadyApplied: number;
  /** Tombstones and event types this build does not know. */
  ignored: number;
  /** Records set aside in projection_errors. */
  setAside: number;
}

/** The advisory lock every batch into a schema holds shared, and a swap of that schema holds exclusively. */
export function projectionLockKey(schema: string): string {
  return `wa-backbone:projection:${schema}`;
}

// A record of an unknown writer schema (a newer producer, or garbage with a valid header) is set
// aside like any other: its dead letter keeps the bytes, so nothing is lost by moving on, while
// stopping would hold every account of the partition back until someone intervenes.
/** True for a record that cannot be decoded into an event (set aside); false for a failure worth stopping on. */
export function isBrokenRecord(error: unknown): boolean {
  return error instanceof WaError && error.code === 'CODEC';
}

async function setAside(tx: SqlExecutor, batch: PartitionBatch, record: ConsumedRecord, event: ProjectedEvent | null, error: unknown, now: number): Promise<void> {
  await tx.query(
    `INSERT INTO projection_errors (topic, partition, record_offset, event_id, event_type, error, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (topic, partition, record_offset) DO NOTHING`,
    [batch.topic, batch.partition, Number(record.offset), event?.eventId ?? null, event?.type ?? null, error instanceof Error ? error.message : String(error), now],
  );
}

/**
 * Applies one partition batch and moves the partition's stored position past it, in one
 * transaction: a crash anywhere leaves either all of it or none of it. Records before the
 * stored position were applied by an earlier delivery and are skipped.
 */
export async function applyBatch(batch: PartitionBatch, options: ApplyOptions): Promise<BatchOutcome> {
  const { codec, models, logger } = options;
  const outcome: BatchOutcome = { applied: 0, alreadyApplied: 0, ignored: 0, setAside: 0 };
  return options.store.transaction(async (tx) => {
    const now = options.now();
    // Shared with every other batch; a rebuild swapping its tables in takes it exclusively.
    await tx.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [projectionLockKey(options.store.schema)]);
    const stored = await lockPosition(tx, batch.topic, batch.partition);
    let appliedUpTo: number | null = null;
    const letters: OutgoingRecord[] = [];
    // Without savepoints the events' statements go to the store together (one round per many on
    // PGlite), those of a set form as one statement per form over many rows.
    const pending: Statement[] = [];
    const flush = (): Promise<void> => (pending.length > 0 ? tx.run(setBased(pending.splice(0))) : Promise.resolve());
    for (const record of batch.records) {
      if (stored !== null && Number(record.offset) < stored) {
        outcome.alreadyApplied += 1;
        continue;
      }
      if (record.value === null) {
        outcome.ignored += 1;
        continue;
      }
      let event: ProjectedEvent | null;
      try {
        event = toProjectedEvent(batch.role, codec.decode(record.value, TOPIC_SCHEMA[batch.role]).value);
      } catch (error) {
        if (!isBrokenRecord(error)) throw error;
        logger.error({ err: error, topic: batch.topic, partition: batch.partition, offset: record.offset }, 'undecodable record set aside');
        await setAside(tx, batch, record, null, error, now);
        if (options.deadLetters) letters.push(options.deadLetters.letter(record, error));
        outcome.setAside += 1;
        continue;
      }
      if (event === null) {
        outcome.ignored += 1;
        continue;
      }
      const statements = evolveReadModels(event, models);
      if (options.isolate) {
        await tx.exec('SAVEPOINT projected_event');
        try {
          await tx.run(statements);
          await tx.exec('RELEASE SAVEPOINT projected_event');
        } catch (error) {
          if (!isDataError(error)) throw error;
          await tx.exec('ROLLBACK TO SAVEPOINT projected_event');
          logger.error({ err: error, accountId: event.accountId, eventId: event.eventId, type: event.type, offset: record.offset }, 'event the read models cannot store set aside');
          await setAside(tx, batch, record, event, error, now);
          if (options.deadLetters) letters.push(options.deadLetters.letter(record, error, 'UNPROCESSABLE'));
          outcome.setAside += 1;
          continue;
        }
      } else {
        pending.push(...statements);
        // A fault injected after an event must find that event applied.
        if (options.afterEvent) await flush();
      }
      outcome.applied += 1;
      appliedUpTo = Math.max(appliedUpTo ?? event.recordedAt, event.recordedAt);
      await options.afterEvent?.(outcome.applied, event);
    }
    await flush();
    await savePosition(tx, batch.topic, batch.partition, Number(batch.lastOffset) + 1, appliedUpTo, now);
    if (letters.length > 0) await options.deadLetters?.write(letters);
    return outcome;
  });
}
