import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import {
  analyticsLag,
  analyticsSchema,
  dateTimeText,
  FACT_TABLES,
  openChdb,
  openClickHouse,
  qualified,
  ROLLUPS,
  startAnalyticsProjection,
  type AnalyticsClient,
  type FactRows,
  type FactTableName,
  type FlushReport,
} from '../../projections/analytics/index.js';
import type { LogEnds, PartitionEnds } from '../../projections/readModels/index.js';
import { T0 } from '../../projections/readModels/testing/index.js';
import { kafkaLogEnds, type ProjectorTopics } from '../../projections/runner/index.js';
import { produceScenario, projectorScenario, scenarioSize, type ScenarioRecords } from '../../projections/runner/testing/index.js';
import { AvroCodec } from '../../schemas/index.js';
import { sleep } from '../../services/shared/index.js';
import { KafkaProducer } from '../../services/shared/kafka/index.js';
import { freshGroup, freshTopic, testKafka, testLogger } from '../helpers/index.js';
import { percentile, type Figure } from './stats.js';

export interface AnalyticsBenchOptions {
  accounts: number;
  /** Messages per account in the scenario (with their receipts, reactions, edits… about 2.4 events each). */
  messages: number;
  /** Message fact rows of the raw insert figure (default 500,000). */
  rawRows?: number;
  /** A ClickHouse server; the bench works in databases of its own and drops them afterwards. */
  clickhouseUrl: string;
  /** A folder for chDB: the bench works in a fresh folder inside it and removes it afterwards. */
  chdbPath: string;
}

/** Partitions of the projected topics (the default KAFKA_PARTITIONS). */
const PARTITIONS = 12;
/** Rows per INSERT of the raw figure. */
const RAW_BATCH = 10_000;
/** Records per produce request: the scenario writes one account after the other, so a request goes to one or two partitions and must stay under the broker's 1 MB. */
const PRODUCE_CHUNK = 1_000;
/** A projection that has not caught up by then is stuck, not slow. */
const CATCH_UP_TIMEOUT_MS = 15 * 60_000;

/** The fact tables the scenario fills (no webhook deliveries: they come with the webhooks role). */
const COUNTED = ['messages', 'message_status', 'connections', 'command_outcomes', 'webhook_deliveries'] as const satisfies readonly FactTableName[];
type CountedTable = (typeof COUNTED)[number];

/**
 * The analytics projection on the local broker: a realistic scenario (projectorScenario)
 * projected by `startAnalyticsProjection` from the start of the log until its positions reach
 * the ends, into chDB (files, in this process) and into the ClickHouse server; its rates are
 * read against raw INSERTs of pre-built message rows into the same engines, so what the
 * projection adds (Kafka, decoding, the duplicate lookup) shows.
 */
export async function analyticsBench(options: AnalyticsBenchOptions): Promise<Figure[]> {
  const kafka = testKafka();
  const codec = AvroCodec.load();
  const count = (n: number): string => n.toLocaleString('en-US');

  const scenario = projectorScenario(options.accounts, options.messages, { prefix: 'bench', codec });
  const events = scenarioSize(scenario);
  const want = expectedFacts(scenario);
  const wantRows = COUNTED.reduce((sum, table) => sum + want[table], 0);
  const fresh = (role: string) => freshTopic(kafka, `bench-analytics-${role}`, { partitions: PARTITIONS });
  const topics: ProjectorTopics = { conversation: await fresh('conversation'), account: await fresh('account'), commandResults: await fresh('results'), webhookAttempts: await fresh('attempts') };
  const produceSeconds = await produce(kafka, codec, topics, scenario);

  const logEnds = kafkaLogEnds(kafka);
  let ends: PartitionEnds[];
  try {
    ends = await logEnds(Object.values(topics).map((spec) => spec.name));
  } finally {
    await logEnds.close();
  }
  const onTopics = ends.reduce((sum, end) => sum + end.high - end.low, 0);
  if (onTopics !== events) throw new Error(`the topics hold ${onTopics} events, not ${events}`);

  const raw = messageFacts(options.rawRows ?? 500_000, options.accounts);
  const run = async (client: AnalyticsClient, databases: string[]): Promise<EngineFigures> => {
    const database = (role: string): string => {
      const name = `bench_${randomBytes(4).toString('hex')}_${role}`;
      databases.push(name);
      return name;
    };
    const projection = await projectToCatchUp(client, database('projection'), { topics, ends, events, want, codec });
    const rawWithViews = await rawInsert(client, database('raw'), raw, 'with views');
    const rawBare = await rawInsert(client, database('bare'), raw, 'bare');
    return { version: await engineVersion(client), projection, rawWithViews, rawBare };
  };

  await mkdir(options.chdbPath, { recursive: true });
  const chdbDir = await mkdtemp(join(options.chdbPath, 'run-'));
  let chdb: EngineFigures;
  try {
    // chDB binds one folder per process: one client on it, a fresh database per measurement.
    const client = await openChdb(chdbDir);
    try {
      chdb = await run(client, []);
    } finally {
      await client.close();
    }
  } finally {
    await rm(chdbDir, { recursive: true, force: true });
  }

  let clickhouse: EngineFigures;
  const server = openClickHouse(options.clickhouseUrl);
  const databases: string[] = [];
  try {
    clickhouse = await run(server, databases);
  } finally {
    // Best effort, so a failure above is the one reported: the server run.sh starts is thrown away anyway.
    for (const name of databases) await server.command(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await server.close();
  }

  const rawSize = `(${count(raw.length)} message rows, ${count(RAW_BATCH)} a time)`;
  const engineFigures = (label: string, f: EngineFigures): Figure[] => [
    { name: `${label}: projection from the start of the log to catch-up`, value: f.projection.eventsPerSecond, unit: 'events/s' },
    { name: `${label}: fact rows inserted by the projection`, value: f.projection.rowsPerSecond, unit: 'rows/s' },
    { name: `${label}: flushes (one INSERT per fact table each)`, value: f.projection.flushes, unit: 'flushes' },
    { name: `${label}: fact rows per flush (median)`, value: f.projection.rowsPerFlush, unit: 'rows' },
    { name: `${label}: messages rows per INSERT (median)`, value: f.projection.messagesPerInsert, unit: 'rows' },
    { name: `${label}: raw INSERT ${rawSize} into messages + its ${ROLLUPS.length} rollup views`, value: f.rawWithViews, unit: 'rows/s' },
    { name: `${label}: raw INSERT ${rawSize} into a bare messages table`, value: f.rawBare, unit: 'rows/s' },
  ];
  return [
    {
      name: `produce ${count(events)} events of ${options.accounts} accounts × ${count(options.messages)} messages (${count(wantRows)} fact rows)`,
      value: Math.round(events / produceSeconds),
      unit: 'events/s',
    },
    ...engineFigures(`chDB ${chdb.version} (files)`, chdb),
    ...engineFigures(`ClickHouse ${clickhouse.version}`, clickhouse),
  ];
}

interface ProjectionFigures {
  eventsPerSecond: number;
  rowsPerSecond: number;
  flushes: number;
  rowsPerFlush: number;
  messagesPerInsert: number;
}

interface EngineFigures {
  version: string;
  projection: ProjectionFigures;
  rawWithViews: number;
  rawBare: number;
}

async function engineVersion(client: AnalyticsClient): Promise<string> {
  return (await client.query<{ v: string }>('SELECT version() AS v'))[0]!.v;
}

/** Writes the scenario onto the topics, each account's records in order; returns the seconds it took (encoding included). */
async function produce(kafka: Kafka, codec: AvroCodec, topics: ProjectorTopics, scenario: ScenarioRecords): Promise<number> {
  const producer = await KafkaProducer.connect(kafka, testLogger());
  const started = performance.now();
  try {
    await produceScenario(producer, topics, codec, scenario, PRODUCE_CHUNK);
  } finally {
    await producer.disconnect();
  }
  return (performance.now() - started) / 1000;
}

/**
 * The fact rows the scenario must give, counted from its records, not through the code under
 * test: one row per distinct event (per account) of the types the fact tables keep, so a
 * re-emitted event counts once.
 */
function expectedFacts(scenario: ScenarioRecords): Record<CountedTable, number> {
  const ids: Record<CountedTable, Set<string>> = { messages: new Set(), message_status: new Set(), connections: new Set(), command_outcomes: new Set(), webhook_deliveries: new Set() };
  const tableOf = (type: string): CountedTable | null => {
    switch (type) {
      case 'message.received':
      case 'message.sent':
      case 'message.history':
      case 'story.received':
      case 'story.posted':
        return 'messages';
      case 'message.status':
        return 'message_status';
      case 'connection.state':
        return 'connections';
      default:
        return null;
    }
  };
  for (const { accountId, value } of [...scenario.conversation, ...scenario.account]) {
    const table = tableOf(String(value.type));
    if (table !== null) ids[table].add(`${accountId}\u0000${String(value.eventId)}`);
  }
  for (const { value } of scenario.commandResults) ids.command_outcomes.add(`${String(value.accountId)}\u0000${String(value.commandId)}`);
  for (const { value } of scenario.webhookAttempts) ids.webhook_deliveries.add(`${String(value.accountId)}\u0000${String(value.attemptId)}`);
  return {
    messages: ids.messages.size,
    message_status: ids.message_status.size,
    connections: ids.connections.size,
    command_outcomes: ids.command_outcomes.size,
    webhook_deliveries: ids.webhook_deliveries.size,
  };
}

/**
 * A Kafka client whose consumers note when their first non-empty batch starts: the projection
 * is timed from there, as joining the group (seconds on a fresh broker) is not throughput.
 */
function timedKafka(): { kafka: Kafka; firstBatchAt: () => number | undefined } {
  const kafka = testKafka();
  const consumer = kafka.consumer.bind(kafka);
  let first: number | undefined;
  kafka.consumer = (config) => {
    const made = consumer(config);
    made.on(made.events.START_BATCH_PROCESS, (event) => {
      if (event.payload.batchSize > 0) first ??= performance.now();
    });
    return made;
  };
  return { kafka, firstBatchAt: () => first };
}

interface ProjectionRun {
  topics: ProjectorTopics;
  ends: readonly PartitionEnds[];
  events: number;
  want: Record<CountedTable, number>;
  codec: AvroCodec;
}

/**
 * `startAnalyticsProjection` on a fresh group and database, from the start of the topics until
 * its stored positions reach the ends of the log. Timed from the first batch to the flush that
 * caught up; refuses to report a rate when the tables do not hold exactly the expected facts.
 */
async function projectToCatchUp(client: AnalyticsClient, database: string, run: ProjectionRun): Promise<ProjectionFigures> {
  const { kafka, firstBatchAt } = timedKafka();
  const names = Object.values(run.topics).map((spec) => spec.name);
  // The log is written before the projection starts: its ends do not move.
  const ends: LogEnds = async () => [...run.ends];
  const flushes: { at: number; report: FlushReport }[] = [];
  const projection = await startAnalyticsProjection({
    kafka,
    groupId: freshGroup('bench-analytics'),
    topics: run.topics,
    client,
    database,
    codec: run.codec,
    logger: testLogger('analytics'),
  });
  projection.sink.onFlush = (report) => void flushes.push({ at: performance.now(), report });
  try {
    const stopped = projection.runner.done.then(
      () => new Error('the analytics projection stopped before catching up'),
      (error: unknown) => error,
    );
    const deadline = performance.now() + CATCH_UP_TIMEOUT_MS;
    for (;;) {
      if ((await analyticsLag(client, database, names, ends)) === 0) break;
      if (performance.now() > deadline) throw new Error(`the ${client.engine} analytics projection did not catch up in ${CATCH_UP_TIMEOUT_MS / 60_000} min`);
      const outcome = await Promise.race([stopped, sleep(100).then(() => 'tick' as const)]);
      if (outcome !== 'tick') throw outcome;
    }
  } finally {
    await projection.stop();
  }

  // A benchmark that counts wrong measured something else: no rate then.
  const rowsOf = (report: FlushReport): number => FACT_TABLES.reduce((sum, table) => sum + report.inserted[table], 0);
  for (const table of COUNTED) {
    const stored = Number((await client.query<{ n: string }>(`SELECT count() AS n FROM ${qualified(database, table)}`))[0]!.n);
    const reported = flushes.reduce((sum, flush) => sum + flush.report.inserted[table], 0);
    if (stored !== run.want[table] || reported !== run.want[table]) {
      throw new Error(`the ${client.engine} analytics projection stored ${stored} ${table} rows (flushes reported ${reported}), the scenario has ${run.want[table]}`);
    }
  }
  const start = firstBatchAt();
  const end = flushes.at(-1)?.at;
  if (start === undefined || end === undefined) throw new Error(`the ${client.engine} analytics projection caught up without a batch or a flush`);
  const seconds = (end - start) / 1000;
  const rows = flushes.reduce((sum, flush) => sum + rowsOf(flush.report), 0);
  const sorted = (values: number[]): number[] => values.sort((a, b) => a - b);
  return {
    eventsPerSecond: Math.round(run.events / seconds),
    rowsPerSecond: Math.round(rows / seconds),
    flushes: flushes.length,
    rowsPerFlush: percentile(sorted(flushes.map((flush) => rowsOf(flush.report))), 50),
    messagesPerInsert: percentile(sorted(flushes.map((flush) => flush.report.inserted.messages).filter((n) => n > 0)), 50),
  };
}

/**
 * `count` message fact rows as the projection makes them (live texts in direct and group chats,
 * a third sent), spread over `accounts` accounts, built before any timing starts.
 */
function messageFacts(count: number, accounts: number): FactRows['messages'][] {
  const rows: FactRows['messages'][] = [];
  for (let i = 0; i < count; i += 1) {
    const a = i % accounts;
    const m = Math.floor(i / accounts);
    const group = m % 7 === 3;
    const chat = group ? `1203630000${String(a).padStart(6, '0')}@g.us` : `1666${String(a).padStart(3, '0')}${String((m % 3) + 1).padStart(4, '0')}@s.whatsapp.net`;
    const fromMe = m % 3 === 1;
    const id = `${a}-R${String(m).padStart(7, '0')}`;
    const at = T0 + i * 250;
    rows.push({
      account_id: `raw-${a}`,
      event_id: `message-raw-${a}-${chat}-${id}`,
      event_type: fromMe ? 'message.sent' : 'message.received',
      message_id: id,
      chat_jid: chat,
      chat_kind: group ? 'group' : 'user',
      direction: fromMe ? 'outbound' : 'inbound',
      origin: 'live',
      content_type: 'text',
      from_me: fromMe ? 1 : 0,
      text_length: 20 + (m % 40),
      media_bytes: 0,
      sent_at: dateTimeText(at),
      recorded_at: dateTimeText(at + 40),
      src_partition: a % PARTITIONS,
      src_offset: Math.floor(i / PARTITIONS),
    });
  }
  return rows;
}

/**
 * Inserts pre-built message rows, RAW_BATCH per INSERT, one after the other, into a fresh
 * `messages` table: with its rollup views (the table the projection writes) or bare. Returns
 * rows per second; throws when the table does not then hold them all.
 */
async function rawInsert(client: AnalyticsClient, database: string, rows: readonly FactRows['messages'][], shape: 'with views' | 'bare'): Promise<number> {
  const messages = qualified(database, 'messages');
  const schema = analyticsSchema(database);
  const statements = shape === 'with views' ? schema : schema.filter((sql) => sql.startsWith('CREATE DATABASE') || sql.startsWith(`CREATE TABLE IF NOT EXISTS ${messages} `));
  for (const sql of statements) await client.command(sql);
  const started = performance.now();
  for (let i = 0; i < rows.length; i += RAW_BATCH) await client.insert(messages, rows.slice(i, i + RAW_BATCH));
  const seconds = (performance.now() - started) / 1000;
  const stored = Number((await client.query<{ n: string }>(`SELECT count() AS n FROM ${messages}`))[0]!.n);
  if (stored !== rows.length) throw new Error(`the ${client.engine} messages table holds ${stored} rows after inserting ${rows.length}`);
  return Math.round(rows.length / seconds);
}
