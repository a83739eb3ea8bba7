import type { StoredPosition } from '../../runner/index.js';
import type { AnalyticsClient } from '../client/AnalyticsClient.js';
import { POSITIONS_TABLE, qualified } from '../sql/analyticsSchema.js';
import { sqlStringList } from '../sql/sqlLiteral.js';

/** The stored analytics positions of some topics (every topic when none are named): the next offset per partition. */
export async function analyticsPositions(client: AnalyticsClient, database: string, topics?: readonly string[]): Promise<StoredPosition[]> {
  if (topics !== undefined && topics.length === 0) return [];
  const where = topics === undefined ? '' : ` WHERE topic IN ${sqlStringList(topics)}`;
  const rows = await client.query<{ topic: string; partition: number | string; next: number | string }>(
    `SELECT topic, partition, max(next_offset) AS next FROM ${qualified(database, POSITIONS_TABLE)}${where} GROUP BY topic, partition`,
  );
  return rows.map((row) => ({ topic: row.topic, partition: Number(row.partition), nextOffset: Number(row.next) }));
}
