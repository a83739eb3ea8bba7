import type { LogEnds } from '../../readModels/SqlReadModels.js';
import type { AnalyticsClient } from '../client/AnalyticsClient.js';
import { analyticsPositions } from '../sink/analyticsPositions.js';

/** Records on the topics past the stored analytics positions (0: caught up with the log). */
export async function analyticsLag(client: AnalyticsClient, database: string, topics: readonly string[], logEnds: LogEnds): Promise<number> {
  const [ends, positions] = await Promise.all([logEnds(topics), analyticsPositions(client, database, topics)]);
  const stored = new Map(positions.map((p) => [`${p.topic}:${p.partition}`, p.nextOffset]));
  return ends.reduce((lag, end) => lag + Math.max(0, end.high - Math.max(end.low, stored.get(`${end.topic}:${end.partition}`) ?? end.low)), 0);
}
