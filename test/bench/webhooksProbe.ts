// Webhooks dispatcher probe: the webhooks role as its own process (`start webhooks`, the catalog's
// topics, KAFKA_PARTITIONS=12) delivering `message.received` events to one GLOBAL subscription
// whose endpoint is a real HTTP server on its own thread (ReceiverThread, answers 200 at once).
// - backlog: N events are on wa.conversation.v1 before the role starts; deliveries per second
//   from the first request at the endpoint to the last, and the role's CPU per delivery.
// - steady: events produced at a fixed rate; the delay from each record's Kafka timestamp (set
//   when its produce request starts) and from its produce acknowledgement (the append is before
//   it) to its request at the endpoint, p50/p99/max; the role's CPU per delivery.
// Each event must reach the endpoint exactly once (same webhook-id), else the probe throws.
//
// Usage, after `npx tsc -p tsconfig.json --outDir <dir>`:
//
//   bash test/with-broker.sh 19870 .data/webhooks/kafka node <dir>/test/bench/webhooksProbe.js \
//     [--backlog 20000] [--rate 1000] [--seconds 20] [--accounts 100] [--chats 20] \
//     [--concurrency 10] [--profile <dir>]
//
//   --backlog 0 or --rate 0 leaves that part out; --profile D writes D/webhooks.cpuprofile.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AvroCodec } from '../../schemas/index.js';
import { KafkaProducer, TOPIC, ensureTopics, recordHeaders, topicCatalog, type TopicSpec } from '../../services/shared/kafka/index.js';
import { SecretBox } from '../../services/shared/secrets/index.js';
import { SubscriptionLog } from '../../services/shared/webhooks/index.js';
import { freshGroup, testKafka, testLogger, waitFor } from '../helpers/index.js';
import { subscribe } from '../helpers/webhookHarness.js';
import { cpuSeconds, startRole, stopRole } from './ingestProbe.js';
import { ReceiverThread } from './ReceiverThread.js';
import { isMainModule, percentile, printTable, type Figure } from './stats.js';
import { Traffic } from './webhooksBench.js';

export interface WebhooksProbeOptions {
  /** Events already on the topic when the role starts; 0 for none. */
  backlog: number;
  /** Events per second of the steady run, and for how many seconds; rate 0 for none. */
  rate: number;
  seconds: number;
  accounts: number;
  chats: number;
  /** WEBHOOK_CONCURRENCY of the role. */
  concurrency: number;
  /** Folder for the role's CPU profile (node --cpu-prof). */
  profileDir?: string;
}

const PARTITIONS = 12;
/** Events per produce request of the backlog. */
const PRODUCE_CHUNK = 1_000;
/** Pace of the steady run: what fell due since the last produce request goes in the next. */
const TICK_MS = 5;

/** The role process and what the probe needs to feed and watch it. */
interface Probe {
  codec: AvroCodec;
  producer: KafkaProducer;
  conversation: TopicSpec;
  receiver: ReceiverThread;
  pid: () => number | undefined;
}

/** Produces events with an explicit timestamp (now); resolves with the acknowledgement time. */
async function produce(probe: Probe, events: readonly Record<string, unknown>[]): Promise<{ at: number; acked: number }> {
  const at = Date.now();
  await probe.producer.send(
    probe.conversation,
    events.map((event) => ({
      accountId: String(event.accountId),
      value: probe.codec.encode('wa.conversation.ConversationEvent', event),
      headers: recordHeaders({ id: String(event.eventId), type: String(event.type), source: 'probe', time: at }),
      timestamp: at,
    })),
  );
  return { at, acked: Date.now() };
}

/** Waits until every id arrived at endpoint 0; throws on a missing, repeated or unknown one. */
async function arrived(probe: Probe, ids: readonly string[], before: number, label: string): Promise<Map<string, number>> {
  await waitFor(
    () => {
      probe.receiver.check();
      return probe.receiver.ids(0).length >= before + ids.length;
    },
    `${ids.length} deliveries (${label})`,
    { timeoutMs: 600_000, intervalMs: 10 },
  );
  await probe.receiver.settle();
  const got = probe.receiver.ids(0).slice(before);
  const expected = new Set(ids);
  const seen = new Set<string>();
  let repeated = 0;
  let unknown = 0;
  for (const id of got) {
    if (!expected.has(id)) unknown += 1;
    else if (seen.has(id)) repeated += 1;
    seen.add(id);
  }
  if (repeated + unknown > 0 || seen.size < ids.length) throw new Error(`${label}: ${ids.length - seen.size} missing, ${repeated} repeated, ${unknown} unknown deliveries`);
  return probe.receiver.arrivals(0);
}

/** CPU figures of the role over a window. */
function cpuFigures(label: string, cpu: number, seconds: number, deliveries: number): Figure[] {
  return [
    { name: `${label}: webhooks process CPU (of one core)`, value: Math.round((cpu / seconds) * 100), unit: '%' },
    { name: `${label}: webhooks process CPU per delivery`, value: Math.round((cpu / deliveries) * 1e6), unit: 'µs' },
  ];
}

async function backlogRun(probe: Probe, traffic: Traffic, options: WebhooksProbeOptions, start: () => void): Promise<Figure[]> {
  const events = traffic.take(options.backlog);
  for (let i = 0; i < events.length; i += PRODUCE_CHUNK) await produce(probe, events.slice(i, i + PRODUCE_CHUNK));
  start();
  const ids = events.map((event) => String(event.eventId));
  await waitFor(() => probe.receiver.ids(0).length > 0, 'the first delivery', { timeoutMs: 180_000, intervalMs: 5 });
  const cpuFrom = cpuSeconds(probe.pid()) ?? 0;
  await arrived(probe, ids, 0, 'backlog');
  const cpu = (cpuSeconds(probe.pid()) ?? 0) - cpuFrom;
  const { first, last } = probe.receiver.window([0]);
  const seconds = (last - first) / 1000;
  return [{ name: `backlog of ${options.backlog}: deliveries, first to last`, value: Math.round(options.backlog / seconds), unit: 'deliveries/s' }, ...cpuFigures('backlog', cpu, seconds, options.backlog)];
}

async function steadyRun(probe: Probe, traffic: Traffic, options: WebhooksProbeOptions): Promise<Figure[]> {
  const before = probe.receiver.ids(0).length;
  // One event per account first, so every partition is owned and warm before the clock starts.
  const warmUp = traffic.take(options.accounts);
  await produce(probe, warmUp);
  await arrived(probe, warmUp.map((event) => String(event.eventId)), before, 'warm-up');
  const total = options.rate * options.seconds;
  const times = new Map<string, { at: number; acked: number }>();
  const cpuFrom = cpuSeconds(probe.pid()) ?? 0;
  const started = performance.now();
  // One produce request at a time with whatever is due by then, so a record's timestamp is when its request left (not when it was queued).
  for (let sent = 0; sent < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * options.rate) / 1000)) - sent;
    if (due <= 0) {
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
      continue;
    }
    const events = traffic.take(due);
    sent += due;
    const time = await produce(probe, events);
    for (const event of events) times.set(String(event.eventId), time);
  }
  const arrivals = await arrived(probe, [...times.keys()], before + warmUp.length, 'steady');
  const seconds = (performance.now() - started) / 1000;
  const cpu = (cpuSeconds(probe.pid()) ?? 0) - cpuFrom;
  const fromTimestamp: number[] = [];
  const fromAck: number[] = [];
  for (const [id, time] of times) {
    const at = arrivals.get(id)!;
    fromTimestamp.push(at - time.at);
    fromAck.push(at - time.acked);
  }
  fromTimestamp.sort((a, b) => a - b);
  fromAck.sort((a, b) => a - b);
  const label = `steady ${options.rate}/s for ${options.seconds} s`;
  const ms = (value: number): number => Math.round(value * 10) / 10;
  return [
    { name: `${label}: record timestamp → request at the endpoint, p50`, value: ms(percentile(fromTimestamp, 50)), unit: 'ms' },
    { name: `${label}: record timestamp → request at the endpoint, p99`, value: ms(percentile(fromTimestamp, 99)), unit: 'ms' },
    { name: `${label}: record timestamp → request at the endpoint, max`, value: ms(fromTimestamp.at(-1) ?? Number.NaN), unit: 'ms' },
    { name: `${label}: produce acknowledged → request at the endpoint, p50`, value: ms(percentile(fromAck, 50)), unit: 'ms' },
    { name: `${label}: produce acknowledged → request at the endpoint, p99`, value: ms(percentile(fromAck, 99)), unit: 'ms' },
    ...cpuFigures('steady', cpu, seconds, total),
  ];
}

/** Runs the role against a backlog and/or a steady stream and reports rates, delays and CPU per delivery. */
export async function webhooksProbe(options: WebhooksProbeOptions): Promise<Figure[]> {
  const kafka = testKafka();
  const logger = testLogger('webhooks-probe');
  const codec = AvroCodec.load();
  const sessionKey = randomBytes(32);
  const catalog = topicCatalog(PARTITIONS);
  const spec = (name: string): TopicSpec => catalog.find((topic) => topic.name === name)!;
  await ensureTopics(kafka, catalog, logger);
  const producer = await KafkaProducer.connect(kafka, logger);
  const receiver = await ReceiverThread.start();
  const subscriptions = await SubscriptionLog.start({ kafka, producer, codec, topic: spec(TOPIC.webhooks), groupId: freshGroup('wh-probe-subs'), source: 'probe', logger });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'webhooks-probe-'));
  let role: ReturnType<typeof startRole> | undefined;
  const start = (): void => {
    const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, '--cpu-prof-name=webhooks.cpuprofile'] : [];
    role = startRole(
      'webhooks',
      {
        SESSION_ENCRYPTION_KEY: sessionKey.toString('hex'),
        DATA_DIR: dataDir,
        KAFKA_PARTITIONS: String(PARTITIONS),
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_CONCURRENCY: String(options.concurrency),
      },
      profile,
    );
  };
  try {
    await subscriptions.ready();
    // A subscription gets only the events recorded after it was created: it comes first.
    await subscribe(subscriptions, new SecretBox(sessionKey), { id: 'global:probe', url: receiver.url(0), eventTypes: ['message.received'] });
    const probe: Probe = { codec, producer, conversation: spec(TOPIC.conversation), receiver, pid: () => role?.child.pid };
    const traffic = new Traffic(`whp-${randomUUID().slice(0, 8)}`, options.accounts, options.chats);
    const figures: Figure[] = [];
    if (options.backlog > 0) figures.push(...(await backlogRun(probe, traffic, options, start)));
    else start();
    if (options.rate > 0) figures.push(...(await steadyRun(probe, traffic, options)));
    return figures;
  } catch (error) {
    if (role) process.stderr.write(`webhooks process output:\n${role.output()}\n`);
    throw error;
  } finally {
    if (role) await stopRole(role, 'webhooks');
    await subscriptions.stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (isMainModule(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      backlog: { type: 'string', default: '20000' },
      rate: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '20' },
      accounts: { type: 'string', default: '100' },
      chats: { type: 'string', default: '20' },
      concurrency: { type: 'string', default: '10' },
      profile: { type: 'string' },
    },
  });
  const figures = await webhooksProbe({
    backlog: Number(values.backlog),
    rate: Number(values.rate),
    seconds: Number(values.seconds),
    accounts: Number(values.accounts),
    chats: Number(values.chats),
    concurrency: Number(values.concurrency),
    ...(values.profile ? { profileDir: path.resolve(values.profile) } : {}),
  });
  printTable('Webhooks dispatcher: its own process, one subscription, a real HTTP endpoint', figures);
  process.exit(0);
}
