import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { AvroCodec } from '../../schemas/index.js';
import { sleep, WaError, type Logger } from '../../services/shared/index.js';
import { kafkaError } from '../../services/shared/kafka/index.js';
import { logEnds, onEveryPartition, partitionKey, progressMeter, reached, recordsBetween, type Positions, type ReplayProgress, type ReplayResult } from '../replay/index.js';
import type { ProjectorTopics } from '../runner/index.js';
import type { AnalyticsClient } from './client/AnalyticsClient.js';
import { ensureAnalyticsSchema } from './sink/AnalyticsSink.js';
import { analyticsPositions } from './sink/analyticsPositions.js';
import { FACT_TABLES, POSITIONS_TABLE, qualified, ROLLUPS } from './sql/analyticsSchema.js';
import { sqlIdentifier, sqlString } from './sql/sqlLiteral.js';
import { ANALYTICS_GROUP, startAnalyticsProjection } from './startAnalyticsProjection.js';

export interface AnalyticsReplayOptions {
  kafka: Kafka;
  topics: ProjectorTopics;
  client: AnalyticsClient;
  codec: AvroCodec;
  logger: Logger;
  /** The live database (default `wa_analytics`): rebuilt beside it as `<database>_rebuild`, then swapped in. */
  database: string;
  /** The live role's group: the rebuild refuses to run while it has members. */
  liveGroup?: string;
  onProgress?: (progress: ReplayProgress) => void;
  progressIntervalMs?: number;
  now?: () => number;
}

/** Every table a database holds, views included. */
async function tablesOf(client: AnalyticsClient, database: string): Promise<Set<string>> {
  const rows = await client.query<{ name: string }>(`SELECT name FROM system.tables WHERE database = ${sqlString(database)}`);
  return new Set(rows.map((row) => row.name));
}

async function storedPositions(client: AnalyticsClient, database: string): Promise<Positions> {
  return new Map((await analyticsPositions(client, database)).map((p) => [partitionKey(p.topic, p.partition), p.nextOffset]));
}

/**
 * `wa-backbone replay --model analytics`: rebuilds the analytics tables from the start of the
 * log into `<database>_rebuild`, up to where the log ended when it began, then swaps them in
 * (the views are dropped and made again on the swapped tables: a view names its tables). The
 * analytics role must be stopped (its group must have no members): it would go on writing into
 * the tables being swapped out.
 */
export async function replayAnalytics(options: AnalyticsReplayOptions): Promise<ReplayResult> {
  const { client, database, logger } = options;
  const now = options.now ?? Date.now;
  const started = now();
  const admin = options.kafka.admin();
  try {
    await admin.connect();
    const group = options.liveGroup ?? ANALYTICS_GROUP;
    const members = (await admin.describeGroups([group])).groups[0]?.members.length ?? 0;
    if (members > 0) throw new WaError('CONFLICT', `the analytics role is running (${members} member(s) in group ${group}): stop it before replaying analytics`);
  } catch (error) {
    throw error instanceof WaError ? error : kafkaError(error, 'checking that the analytics role is stopped');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const rebuild = sqlIdentifier(`${database}_rebuild`);
  const old = sqlIdentifier(`${database}_old`);
  await client.command(`DROP DATABASE IF EXISTS ${rebuild}`);
  const topicNames = Object.values(options.topics).map((spec) => spec.name);
  const { low, high } = await logEnds(options.kafka, topicNames);
  const total = [...high].reduce((sum, [at, end]) => sum + end - (low.get(at) ?? 0), 0);
  const meter = progressMeter(now, started, options.onProgress);
  logger.info({ total, into: rebuild }, 'rebuilding analytics from the start of the log');
  const projection = await startAnalyticsProjection({
    kafka: options.kafka,
    groupId: `wa-replay.${randomUUID()}`,
    topics: options.topics,
    client,
    database: rebuild,
    codec: options.codec,
    logger,
  });
  let done = 0;
  try {
    const failed = projection.runner.done.then(
      () => new WaError('INTERNAL', 'the rebuild stopped'),
      (error: unknown) => error,
    );
    let last = 0;
    for (;;) {
      const outcome = await Promise.race([failed, sleep(200).then(() => 'tick' as const)]);
      if (outcome !== 'tick') throw outcome;
      const stored = await storedPositions(client, rebuild);
      // Counted up to the ends the rebuild aims at, whatever arrived on the log since.
      done = recordsBetween(low, new Map([...onEveryPartition(stored, low)].map(([at, position]) => [at, Math.min(position, high.get(at) ?? position)])));
      if (reached(stored, high, low)) break;
      if (now() - last >= (options.progressIntervalMs ?? 1_000)) {
        last = now();
        meter('rebuilding', done, total);
      }
    }
  } finally {
    await projection.stop();
  }
  meter('swapping', done, total);
  await client.command(`CREATE DATABASE IF NOT EXISTS ${sqlIdentifier(database)}`);
  const live = await tablesOf(client, database);
  for (const view of ROLLUPS) {
    await client.command(`DROP TABLE IF EXISTS ${qualified(rebuild, `${view.name}_mv`)}`);
    await client.command(`DROP TABLE IF EXISTS ${qualified(database, `${view.name}_mv`)}`);
  }
  await client.command(`DROP DATABASE IF EXISTS ${old}`);
  await client.command(`CREATE DATABASE ${old}`);
  for (const table of [...FACT_TABLES, ...ROLLUPS.map((view) => view.name), POSITIONS_TABLE]) {
    if (live.has(table)) await client.command(`RENAME TABLE ${qualified(database, table)} TO ${qualified(old, table)}`);
    await client.command(`RENAME TABLE ${qualified(rebuild, table)} TO ${qualified(database, table)}`);
  }
  await ensureAnalyticsSchema(client, database);
  await client.command(`DROP DATABASE IF EXISTS ${old}`);
  await client.command(`DROP DATABASE IF EXISTS ${rebuild}`);
  meter('done', done, total);
  const result = { events: done, durationMs: now() - started, models: ['analytics'] };
  logger.info(result, 'analytics rebuilt and swapped in');
  return result;
}
