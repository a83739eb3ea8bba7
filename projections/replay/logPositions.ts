import type { Kafka } from 'kafkajs';
import { kafkaError } from '../../services/shared/kafka/index.js';
import type { SqlExecutor } from '../store/index.js';

/** Offsets by `topic:partition`: the next record to apply, or an end of the log. */
export type Positions = Map<string, number>;

/** The key of one partition in Positions. */
export const partitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/** The stored positions of the projection in `schema` (partitions never written are absent). */
export async function positionsOf(tx: SqlExecutor, schema: string): Promise<Positions> {
  const { rows } = await tx.query<{ topic: string; partition: number; next_offset: number }>(`SELECT topic, partition, next_offset FROM ${schema}.projection_positions`);
  return new Map(rows.map((row) => [partitionKey(row.topic, row.partition), row.next_offset]));
}

/** Where each partition of `topics` starts (`low`) and ends (`high`) now. */
export async function logEnds(kafka: Kafka, topics: readonly string[]): Promise<{ low: Positions; high: Positions }> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const low: Positions = new Map();
    const high: Positions = new Map();
    for (const topic of topics) {
      for (const offsets of await admin.fetchTopicOffsets(topic)) {
        low.set(partitionKey(topic, offsets.partition), Number(offsets.low));
        high.set(partitionKey(topic, offsets.partition), Number(offsets.high));
      }
    }
    return { low, high };
  } catch (error) {
    throw kafkaError(error, 'reading the ends of the projected topics');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Stored positions on every partition of the log: a partition never written counts from the
 * start of the log, so two projections that applied nothing there compare equal.
 */
export function onEveryPartition(stored: Positions, low: Positions): Positions {
  return new Map([...low].map(([partition, start]) => [partition, Math.max(stored.get(partition) ?? start, start)]));
}

/** True when the rebuilt positions reach `wanted` on every partition (a partition never written counts from its start). */
export function reached(rebuilt: Positions, wanted: Positions, low: Positions): boolean {
  for (const [partition, offset] of wanted) {
    if ((rebuilt.get(partition) ?? low.get(partition) ?? 0) < offset) return false;
  }
  return true;
}

/** Records between `from` and `to`, summed over the partitions of `to`. */
export function recordsBetween(from: Positions, to: Positions): number {
  let records = 0;
  for (const [partition, end] of to) records += Math.max(end - (from.get(partition) ?? 0), 0);
  return records;
}
