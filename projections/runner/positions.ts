import type { SqlExecutor, SqlStore } from '../store/index.js';

/** Where the projection stands on one partition: the offset of the next record to apply. */
export interface StoredPosition {
  topic: string;
  partition: number;
  nextOffset: number;
}

/** The stored position of one partition, locked until the transaction ends; null when none yet. */
export async function lockPosition(tx: SqlExecutor, topic: string, partition: number): Promise<number | null> {
  const { rows } = await tx.query<{ next_offset: number }>(
    'SELECT next_offset FROM projection_positions WHERE topic = $1 AND partition = $2 FOR UPDATE',
    [topic, partition],
  );
  return rows[0]?.next_offset ?? null;
}

/** Moves a partition's position forward (never back) in the batch's transaction. */
export async function savePosition(tx: SqlExecutor, topic: string, partition: number, nextOffset: number, appliedUpTo: number | null, now: number): Promise<void> {
  await tx.query(
    `INSERT INTO projection_positions (topic, partition, next_offset, applied_up_to, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (topic, partition) DO UPDATE SET
       next_offset = GREATEST(projection_positions.next_offset, excluded.next_offset),
       applied_up_to = GREATEST(projection_positions.applied_up_to, excluded.applied_up_to),
       updated_at = excluded.updated_at`,
    [topic, partition, nextOffset, appliedUpTo, now],
  );
}

/** The stored positions of some topics. */
export async function readPositions(store: SqlStore, topics: readonly string[]): Promise<StoredPosition[]> {
  const { rows } = await store.query<{ topic: string; partition: number; next_offset: number }>(
    'SELECT topic, partition, next_offset FROM projection_positions WHERE topic = ANY($1::text[])',
    [topics],
  );
  return rows.map((row) => ({ topic: row.topic, partition: row.partition, nextOffset: row.next_offset }));
}
