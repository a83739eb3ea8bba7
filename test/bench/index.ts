// `make bench`: codec rates, the raw produce -> consume ceiling of the local broker, and the
// connector's ingest rate and command round trip with the simulator, the API's command
// round trip over HTTP beside a bare route, the projector's rate into PGlite and PostgreSQL,
// live and as a replay, and the analytics projection's rate into chDB and ClickHouse beside raw
// inserts, and the webhooks dispatcher's fan-out rate and event → delivery latency to a local
// endpoint.
// Figures are reported, not asserted; the JSON file lets runs be compared.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AvroCodec } from '../../schemas/index.js';
import { testKafka } from '../helpers/index.js';
import { analyticsBench } from './analyticsBench.js';
import { apiBench } from './apiBench.js';
import { codecBench } from './codecBench.js';
import { connectorBench } from './connectorBench.js';
import { kafkaBench } from './kafkaBench.js';
import { projectionBench } from './projectionBench.js';
import { webhooksBench } from './webhooksBench.js';
import { printTable, type Figure } from './stats.js';

const records = Number(process.env.BENCH_RECORDS ?? 200_000);
const rate = Number(process.env.BENCH_RATE ?? 1_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl === undefined) throw new Error('DATABASE_URL is not set: run the benchmarks with test/bench/run.sh, which starts PostgreSQL');
const clickhouseUrl = process.env.CLICKHOUSE_URL;
if (clickhouseUrl === undefined) throw new Error('CLICKHOUSE_URL is not set: run the benchmarks with test/bench/run.sh, which starts ClickHouse');

const codec = codecBench(AvroCodec.load(), Number(process.env.BENCH_CODEC_ITERATIONS ?? 200_000));
printTable('Avro codec (single-object encoding)', codec);

const kafka = await kafkaBench(testKafka(), { records, rate, seconds });
printTable(`Kafka port on the local broker (${records.toLocaleString('en-US')} records of 256 B, 100 accounts, 12 partitions)`, kafka);

const connector = await connectorBench({
  accounts: Number(process.env.BENCH_CONNECTOR_ACCOUNTS ?? 20),
  messages: Number(process.env.BENCH_CONNECTOR_MESSAGES ?? 5_000),
  commands: Number(process.env.BENCH_CONNECTOR_COMMANDS ?? 300),
});
printTable('Connector with the simulator (one connector process, transactions per batch)', connector);

const api = await apiBench({
  accounts: Number(process.env.BENCH_API_ACCOUNTS ?? 25),
  rate: Number(process.env.BENCH_API_RATE ?? 25),
  seconds: Number(process.env.BENCH_API_SECONDS ?? 30),
});
printTable('Command API over HTTP (whole stack: API, Kafka, connector, simulator)', api);

const projection = await projectionBench({
  accounts: Number(process.env.BENCH_PROJECTION_ACCOUNTS ?? 100),
  events: Number(process.env.BENCH_PROJECTION_EVENTS ?? 200_000),
  replayEvents: Number(process.env.BENCH_REPLAY_EVENTS ?? 1_000_000),
  databaseUrl,
});
printTable('Projector (events as the connector writes them, 12 partitions; PGlite in files, PostgreSQL on this machine)', projection);

const analytics = await analyticsBench({
  accounts: Number(process.env.BENCH_ANALYTICS_ACCOUNTS ?? 100),
  messages: Number(process.env.BENCH_ANALYTICS_MESSAGES ?? 2_000),
  rawRows: Number(process.env.BENCH_ANALYTICS_RAW_ROWS ?? 500_000),
  clickhouseUrl,
  chdbPath: path.resolve('.data/bench/chdb'),
});
printTable('Analytics projection and raw inserts (scenario events, 12 partitions; chDB in files in this process, ClickHouse server on this machine)', analytics);

const webhooks = await webhooksBench({
  accounts: Number(process.env.BENCH_WEBHOOK_ACCOUNTS ?? 100),
  chats: Number(process.env.BENCH_WEBHOOK_CHATS ?? 5),
  backlog: Number(process.env.BENCH_WEBHOOK_EVENTS ?? 50_000),
  rate: Number(process.env.BENCH_WEBHOOK_RATE ?? 1_000),
  seconds: Number(process.env.BENCH_WEBHOOK_SECONDS ?? 20),
  concurrency: Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 10),
  // 50 adds a backlog run with a wider limit (25 s more): while the dispatcher's thread is saturated it shows nothing new.
  wideConcurrency: Number(process.env.BENCH_WEBHOOK_WIDE_CONCURRENCY ?? 0),
  // 16 MB on the topics the dispatcher writes: with the catalog's 1 MB a backlog can stop it (see webhooksBench); 0 keeps 1 MB.
  maxMessageBytes: Number(process.env.BENCH_WEBHOOK_MAX_MESSAGE_BYTES ?? 16 * 1_048_576),
});
printTable('Webhooks dispatcher to a loopback endpoint answering 200 at once (message.received, 12 partitions, 10 s timeout)', webhooks);

const out = path.resolve(process.env.BENCH_OUT ?? '.data/bench/results.json');
mkdirSync(path.dirname(out), { recursive: true });
const result: { at: string; node: string; figures: Record<string, Figure[]> } = {
  at: new Date().toISOString(),
  node: process.version,
  figures: { codec, kafka, connector, api, projection, analytics, webhooks },
};
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`\nresults written to ${out}`);
