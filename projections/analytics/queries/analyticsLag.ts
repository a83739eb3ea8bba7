import type { LogEnds } from '../../readModels/SqlReadModels.js';
import type { AnalyticsClient } from '../client/AnalyticsClient.js';
import { POSITIONS_TABLE, qualified } from '../sql/analyticsSchema.js';
import { sqlString } from '../sql/sqlLiteral.js';

/** Records on the topics past the stored analytics positions (0: caught up with the log). */
export async function analyticsLag(client: AnalyticsClient, database: string, topics: readonly string[], logEnds: LogEnds): Promise<number> {
  const [ends, rows] = await Promise.all([
    logEnds(topics),
    client.query<{ topic: string; partition: number | string; next: number | string }>(
      `SELECT topic, partition, max(next_offset) AS next FROM ${qualified(database, POSITIONS_TABLE)} WHERE topic IN (${topics.map(sqlString).join(', ')}) GROUP BY topic, partition`,
    ),
  ]);
  const stored = new Map(rows.map((row) => [`${row.topic}:${Number(row.partition)}`, Number(row.next)]));
  return ends.reduce((lag, end) => lag + Math.max(0, end.high - Math.max(end.low, stored.get(`${end.topic}:${end.partition}`) ?? end.low)), 0);
}
