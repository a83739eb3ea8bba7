// `make bench`: the whole system end to end (every role its own process on its own broker:
// ingest, latency, history sync, commands, replay, each against the raw Kafka ceiling), and the
// Avro codec's rates. BENCH_PARTS=all (or a comma-separated list of parts) adds the component
// benchmarks: the connector in-process with the simulator, the API's command round trip beside a
// bare route, the projector into PGlite and PostgreSQL, the analytics projection into chDB and
// ClickHouse beside raw inserts, and the webhooks dispatcher's fan-out and latency.
// Figures are reported, not asserted; the JSON file lets runs be compared.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { AvroCodec } from '../../schemas/index.js';
import { testKafka } from '../helpers/index.js';
import { analyticsBench } from './analyticsBench.js';
import { apiBench } from './apiBench.js';
import { codecBench } from './codecBench.js';
import { connectorBench } from './connectorBench.js';
import { endToEndBench } from './endToEndBench.js';
import { kafkaBench } from './kafkaBench.js';
import { projectionBench } from './projectionBench.js';
import { printTable, type Figure } from './stats.js';
import { webhooksBench } from './webhooksBench.js';

const PARTS = ['e2e', 'codec', 'kafka', 'connector', 'api', 'projection', 'analytics', 'webhooks'] as const;
type Part = (typeof PARTS)[number];
/** What `make bench` runs unless told otherwise: about 13 minutes on 2 cores. */
const DEFAULT_PARTS: readonly Part[] = ['e2e', 'codec'];

const requested = (process.env.BENCH_PARTS ?? DEFAULT_PARTS.join(',')).split(',').map((part) => part.trim()).filter((part) => part !== '');
const unknown = requested.filter((part) => part !== 'all' && !(PARTS as readonly string[]).includes(part));
if (unknown.length > 0) throw new Error(`BENCH_PARTS: unknown part ${unknown.join(', ')} (known: all, ${PARTS.join(', ')})`);
const parts = new Set<Part>(requested.includes('all') ? PARTS : (requested as Part[]));
const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const figures: Record<string, Figure[]> = {};
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`wa-backbone benchmarks on ${machine}: ${[...parts].join(', ')}`);

if (parts.has('e2e')) {
  const accounts = env('BENCH_E2E_ACCOUNTS', 100);
  figures.e2e = await endToEndBench({
    accounts,
    chats: env('BENCH_E2E_CHATS', 5),
    messages: env('BENCH_E2E_MESSAGES', 100_000),
    rate: env('BENCH_E2E_RATE', 1_000),
    seconds: env('BENCH_E2E_SECONDS', 20),
    history: env('BENCH_E2E_HISTORY', 100_000),
    commandRate: env('BENCH_E2E_COMMAND_RATE', 50),
    commandSeconds: env('BENCH_E2E_COMMAND_SECONDS', 30),
    replayEvents: env('BENCH_E2E_REPLAY_EVENTS', 1_000_000),
    partitions: env('BENCH_E2E_PARTITIONS', 12),
    ceilingRecords: env('BENCH_RECORDS', 200_000),
  });
  printTable(`End to end: every role its own process on its own broker (${accounts} accounts, PGlite, chDB, a webhook endpoint on loopback)`, figures.e2e);
}

if (parts.has('codec')) {
  figures.codec = codecBench(AvroCodec.load(), env('BENCH_CODEC_ITERATIONS', 200_000));
  printTable('Avro codec (single-object encoding)', figures.codec);
}

if (parts.has('kafka')) {
  const records = env('BENCH_RECORDS', 200_000);
  figures.kafka = (await kafkaBench(testKafka(), { records, rate: env('BENCH_RATE', 1_000), seconds: env('BENCH_SECONDS', 10) })).figures;
  printTable(`Kafka port on the local broker (${records.toLocaleString('en-US')} records of 256 B, 100 accounts, 12 partitions)`, figures.kafka);
}

if (parts.has('connector')) {
  figures.connector = await connectorBench({
    accounts: env('BENCH_CONNECTOR_ACCOUNTS', 20),
    messages: env('BENCH_CONNECTOR_MESSAGES', 5_000),
    commands: env('BENCH_CONNECTOR_COMMANDS', 300),
  });
  printTable('Connector with the simulator (one connector process, transactions per batch)', figures.connector);
}

if (parts.has('api')) {
  figures.api = await apiBench({ accounts: env('BENCH_API_ACCOUNTS', 25), rate: env('BENCH_API_RATE', 25), seconds: env('BENCH_API_SECONDS', 30) });
  printTable('Command API over HTTP (whole stack in one process: API, Kafka, connector, simulator)', figures.api);
}

if (parts.has('projection')) {
  figures.projection = await projectionBench({
    accounts: env('BENCH_PROJECTION_ACCOUNTS', 100),
    events: env('BENCH_PROJECTION_EVENTS', 200_000),
    replayEvents: env('BENCH_REPLAY_EVENTS', 1_000_000),
    databaseUrl: required('DATABASE_URL', 'PostgreSQL'),
  });
  printTable('Projector (events as the connector writes them, 12 partitions; PGlite in files, PostgreSQL on this machine)', figures.projection);
}

if (parts.has('analytics')) {
  figures.analytics = await analyticsBench({
    accounts: env('BENCH_ANALYTICS_ACCOUNTS', 100),
    messages: env('BENCH_ANALYTICS_MESSAGES', 2_000),
    rawRows: env('BENCH_ANALYTICS_RAW_ROWS', 500_000),
    clickhouseUrl: required('CLICKHOUSE_URL', 'ClickHouse'),
    chdbPath: path.resolve('.data/bench/chdb'),
  });
  printTable('Analytics projection and raw inserts (scenario events, 12 partitions; chDB in files in this process, ClickHouse server on this machine)', figures.analytics);
}

if (parts.has('webhooks')) {
  figures.webhooks = await webhooksBench({
    accounts: env('BENCH_WEBHOOK_ACCOUNTS', 100),
    chats: env('BENCH_WEBHOOK_CHATS', 5),
    backlog: env('BENCH_WEBHOOK_EVENTS', 50_000),
    rate: env('BENCH_WEBHOOK_RATE', 1_000),
    seconds: env('BENCH_WEBHOOK_SECONDS', 20),
    concurrency: env('BENCH_WEBHOOK_CONCURRENCY', 10),
    // 50 adds a backlog run with a wider limit (25 s more): while the dispatcher's thread is saturated it shows nothing new.
    wideConcurrency: env('BENCH_WEBHOOK_WIDE_CONCURRENCY', 0),
    // 16 MB on the topics the dispatcher writes: with the catalog's 1 MB a backlog can stop it (see webhooksBench); 0 keeps 1 MB.
    maxMessageBytes: env('BENCH_WEBHOOK_MAX_MESSAGE_BYTES', 16 * 1_048_576),
  });
  printTable('Webhooks dispatcher to a loopback endpoint answering 200 at once (message.received, 12 partitions, 10 s timeout)', figures.webhooks);
}

const out = path.resolve(process.env.BENCH_OUT ?? '.data/bench/results.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), machine, node: process.version, figures }, null, 2)}\n`);
console.log(`\nresults written to ${out}`);

function required(name: string, what: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set: run the benchmarks with test/bench/run.sh, which starts ${what}`);
  return value;
}
