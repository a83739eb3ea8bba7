import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { projectorTopics } from '../../projections/runner/index.js';
import { ANALYTICS_MODEL, logEnds, runReplay } from '../../projections/replay/index.js';
import { AvroCodec } from '../../schemas/index.js';
import { loadConfig, sleep } from '../../services/shared/index.js';
import { createKafka } from '../../services/shared/kafka/index.js';
import { Stack, testLogger, waitFor, type Value } from '../helpers/index.js';
import { kafkaBench, type KafkaCeiling } from './kafkaBench.js';
import { produceEvents } from './projectionBench.js';
import { ReceiverThread } from './ReceiverThread.js';
import { atFixedRate, inParallel, percentile, printTable, type Figure } from './stats.js';

export interface EndToEndBenchOptions {
  /** Linked accounts the traffic is spread over. */
  accounts: number;
  /** Contacts writing to each account (its private chats). */
  chats: number;
  /** Inbound messages of the ingest run, posted as fast as the system takes them. */
  messages: number;
  /** Inbound messages per second of the latency run, and for how many seconds. */
  rate: number;
  seconds: number;
  /** Messages of the history one more account brings when it links. */
  history: number;
  /** `POST /messages/text` per second, and for how many seconds. */
  commandRate: number;
  commandSeconds: number;
  /** Events on the log the replay rebuilds from (what the runs above left, topped up with generated traffic). */
  replayEvents: number;
  /** KAFKA_PARTITIONS of the stack. */
  partitions: number;
  /** Records of the raw ceiling's bulk run. */
  ceilingRecords: number;
}

/** Messages per `POST /sim/inbound/batch` of the ingest run, and requests in flight. */
const BATCH = 500;
const BATCHES_IN_FLIGHT = 4;
/** Pace of the latency run. */
const TICK_MS = 10;
/** A run whose progress does not move for this long is stuck, not slow: the bench stops with what it saw. */
const STALL_MS = 120_000;
/** How often progress is read (the API's /health, the analytics overview, the receiver). */
const POLL_MS = 200;

/** What a run waits for, read together. */
interface Progress {
  /** Distinct messages of the run delivered to the webhook endpoint. */
  delivered: number;
  /** `receivedMessages` of the analytics overview (all accounts). */
  counted: number;
  /** Events the projector has not applied yet (/health). */
  lag: number | null;
}

/**
 * The whole system, every role its own process (test/helpers/Stack: simulator, connector,
 * projector into PGlite, analytics into chDB, webhooks, API) on its own local broker, with a
 * real HTTP webhook endpoint on its own thread:
 * - the raw ceiling first: kafkajs produce → consume of 256-byte records on the same broker;
 * - ingest: inbound messages across the accounts, posted to the simulator as fast as it takes
 *   them; events/s until every message is in the read model (projector lag 0), counted in
 *   analytics and delivered to the endpoint;
 * - latency: inbound messages at a steady rate, simulator send → webhook arrival;
 * - history sync: one more account links with a long history; time until the read model has
 *   it, and the connector's peak memory meanwhile;
 * - commands: `POST /messages/text` at a steady rate, round trip and errors;
 * - replay: the roles that own the stores stopped, the log topped up to `replayEvents` events,
 *   then every read model and the analytics tables rebuilt from it.
 * Every throughput is also given as a ratio to the ceiling's produce → consume rate, every
 * latency as a multiple of its p99.
 */
export async function endToEndBench(options: EndToEndBenchOptions): Promise<Figure[]> {
  const stack = await Stack.start({
    partitions: options.partitions,
    env: {
      // The API's per-key limit guards a deployment against a runaway client; the bench is one client on purpose.
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      API_RATE_LIMIT_BURST: '100000',
      // One endpoint takes the whole stream: 10 requests in flight (the default, gentle on small
      // endpoints) cap it at 10 / round trip; a deployment expecting this volume raises it the same way.
      WEBHOOK_CONCURRENCY: '64',
    },
  });
  const receiver = await ReceiverThread.start({ messageIds: true });
  const figures: Figure[] = [];
  try {
    const kafka = createKafka({ brokers: stack.brokers, clientId: 'bench-e2e', logger: testLogger() });
    const ceiling = await kafkaBench(kafka, { records: options.ceilingRecords, rate: options.rate, seconds: 10 });
    figures.push(...ceiling.figures.map((figure) => ({ ...figure, name: `raw ceiling: ${figure.name}` })));

    const hook = await stack.api('POST', '/webhooks', { url: receiver.url(0), events: ['message.received'] });
    if (hook.status !== 201) throw new Error(`POST /webhooks answered ${hook.status}: ${JSON.stringify(hook.body)}`);
    const accounts = Array.from({ length: options.accounts }, (_, i) => `e2e-${i}`);
    const linkStarted = performance.now();
    await inParallel(accounts, 10, (accountId, i) => stack.link(accountId, phoneOf(i)));
    figures.push({ name: `link ${accounts.length} accounts (create, QR, scan, connected)`, value: seconds(performance.now() - linkStarted), unit: 's' });

    // Each phase prints as it ends, so a long run shows where it is and what it found so far.
    const phase = async (title: string, run: () => Promise<Figure[]>): Promise<void> => {
      const started = performance.now();
      const found = await run();
      printTable(`${title} (${seconds(performance.now() - started)} s)`, found);
      figures.push(...found);
    };
    await phase('Ingest', () => ingest(stack, receiver, accounts, options, ceiling));
    await phase('Latency at a steady rate', () => latency(stack, receiver, accounts, options, ceiling));
    await phase('History sync', () => historySync(stack, options));
    await phase('Commands', () => commands(stack, accounts, options, ceiling));
    await phase('Replay', () => replay(stack, options, ceiling));
    return figures;
  } catch (error) {
    printTable('End to end: the figures measured before the failure', figures);
    throw new Error(`the end-to-end bench failed after ${figures.length} figures: ${error instanceof Error ? error.message : String(error)}\n${stack.report(15)}`, { cause: error });
  } finally {
    await receiver.close();
    await stack.stop();
  }
}

/** Posts every inbound message as fast as the simulator takes them; timed until all three views have them. */
async function ingest(stack: Stack, receiver: ReceiverThread, accounts: readonly string[], options: EndToEndBenchOptions, ceiling: KafkaCeiling): Promise<Figure[]> {
  const before = await progress(stack, receiver, 'ingest');
  const messages = Array.from({ length: options.messages }, (_, i) => inbound(accounts, options.chats, 'I', i));
  const started = performance.now();
  let next = 0;
  const posting = Promise.all(
    Array.from({ length: BATCHES_IN_FLIGHT }, async () => {
      while (next < messages.length) {
        const batch = messages.slice(next, (next += BATCH));
        await postBatch(stack, batch);
      }
    }),
  );
  let posted = 0;
  posting.then(
    () => (posted = performance.now()),
    () => undefined,
  );
  const reached = await milestones(stack, receiver, 'ingest', before, options.messages, posting);
  const all = Math.max(reached.delivered, reached.counted, reached.projected);
  const rate = (at: number): number => Math.round(options.messages / seconds(at - started));
  const n = options.messages.toLocaleString('en-US');
  return [
    { name: `ingest: ${n} inbound posted to the simulator (${accounts.length} accounts, ${BATCH} per request)`, value: rate(posted), unit: 'messages/s' },
    { name: 'ingest: delivered to the webhook endpoint', value: rate(reached.delivered), unit: 'events/s' },
    { name: 'ingest: counted in analytics (chDB)', value: rate(reached.counted), unit: 'events/s' },
    { name: 'ingest: in the read model (PGlite, projector lag 0)', value: rate(reached.projected), unit: 'events/s' },
    { name: 'ingest: end to end (all three)', value: rate(all), unit: 'events/s' },
    { name: 'ingest: end to end / raw ceiling', value: ratio(rate(all), ceiling.endToEnd), unit: '×' },
  ];
}

/** Inbound messages at a steady rate (open loop); latency from the post to the simulator to the webhook's arrival. */
async function latency(stack: Stack, receiver: ReceiverThread, accounts: readonly string[], options: EndToEndBenchOptions, ceiling: KafkaCeiling): Promise<Figure[]> {
  const before = await progress(stack, receiver, 'latency');
  const total = options.rate * options.seconds;
  const perTick = Math.max(1, Math.round((options.rate * TICK_MS) / 1000));
  const sentAt = new Map<string, number>();
  const requests: Promise<void>[] = [];
  const started = performance.now();
  for (let sent = 0, tick = 0; sent < total; tick += 1) {
    const wait = started + tick * TICK_MS - performance.now();
    if (wait > 0) await sleep(wait);
    const batch = Array.from({ length: Math.min(perTick, total - sent) }, (_, j) => inbound(accounts, options.chats, 'L', sent + j));
    const now = performance.timeOrigin + performance.now();
    for (const message of batch) sentAt.set(message.messageId, now);
    requests.push(postBatch(stack, batch));
    sent += batch.length;
  }
  const achieved = total / seconds(performance.now() - started);
  const reached = await milestones(stack, receiver, 'latency', before, total, Promise.all(requests));
  // The count above takes a redelivered request twice: wait for each message itself.
  let arrivals = new Map<string, number>();
  await until(async () => {
    await receiver.settle();
    arrivals = receiver.messageArrivals(0);
    return [...sentAt.keys()].every((messageId) => arrivals.has(messageId));
  }, 'every message of the latency run at the endpoint');
  const latencies = [...sentAt].map(([messageId, at]) => arrivals.get(messageId)! - at).sort((a, b) => a - b);
  const label = `${options.rate}/s for ${options.seconds} s`;
  return [
    { name: `latency run: inbound posted (${label})`, value: Math.round(achieved), unit: 'messages/s' },
    { name: 'latency: simulator send -> webhook p50', value: round(percentile(latencies, 50)), unit: 'ms' },
    { name: 'latency: simulator send -> webhook p99', value: round(percentile(latencies, 99)), unit: 'ms' },
    { name: 'latency: simulator send -> webhook max', value: round(latencies.at(-1) ?? Number.NaN), unit: 'ms' },
    { name: 'latency: p99 / raw produce -> consume p99', value: ratio(percentile(latencies, 99), ceiling.p99), unit: '×' },
    { name: 'latency run: all in the read model and analytics after the last post', value: seconds(Math.max(reached.counted, reached.projected) - started) - options.seconds, unit: 's' },
  ];
}

/** One more account links with a long history: until the simulator has no delivery left and the projector has applied it all. */
async function historySync(stack: Stack, options: EndToEndBenchOptions): Promise<Figure[]> {
  const accountId = 'e2e-history';
  const created = await stack.api('POST', '/accounts', { id: accountId, name: accountId });
  if (created.status !== 201) throw new Error(`POST /accounts answered ${created.status}: ${JSON.stringify(created.body)}`);
  await until(async () => (await stack.api('GET', `/channels/${accountId}/qr`)).status === 200, `a QR for ${accountId}`);
  const pid = stack.pidOf('connector');
  if (pid === undefined) throw new Error('the connector is not running');
  const rssBefore = memoryOf(pid, 'VmRSS');
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid, 'VmRSS'))), 50);
  const started = performance.now();
  try {
    await stack.sim('/sim/link', { accountId, phone: '16669990000', historyMessages: options.history });
    let acknowledged = 0;
    await until(async () => {
      const account = await stack.sim(`/sim/accounts/${accountId}`);
      if (account.pendingDeliveries !== 0) return false;
      acknowledged ||= performance.now();
      return (await lagOf(stack)) === 0;
    }, `the history of ${accountId} in the read model`);
    const done = performance.now();
    const n = options.history.toLocaleString('en-US');
    return [
      { name: `history sync: ${n} messages on Kafka (connector acknowledged them all)`, value: seconds(acknowledged - started), unit: 's' },
      { name: 'history sync: all in the read model', value: seconds(done - started), unit: 's' },
      { name: 'history sync: rate into the read model', value: Math.round(options.history / seconds(done - started)), unit: 'messages/s' },
      { name: 'history sync: connector resident memory before', value: mb(rssBefore), unit: 'MB' },
      { name: 'history sync: connector peak resident memory', value: mb(peak), unit: 'MB' },
    ];
  } finally {
    clearInterval(sampler);
  }
}

/** `POST /messages/text` at a steady rate through the whole stack. */
async function commands(stack: Stack, accounts: readonly string[], options: EndToEndBenchOptions, ceiling: KafkaCeiling): Promise<Figure[]> {
  // The history sync before ends when the read model has it; analytics may still be counting it, and would share the cores with the commands.
  await waitFor(() => caughtUp(stack), 'every consumer group caught up before the commands', { timeoutMs: STALL_MS, intervalMs: POLL_MS });
  const send = await atFixedRate(options.commandRate, options.commandSeconds, async (i) => {
    const answer = await stack.api('POST', '/messages/text', { channelId: accounts[i % accounts.length], to: contactOf(i % accounts.length, i % options.chats), body: `bench command ${i}` });
    return answer.status === 200;
  });
  const label = `${options.commandRate}/s for ${options.commandSeconds} s`;
  return [
    { name: `commands: POST /messages/text (${label}) achieved`, value: Math.round(send.achieved), unit: 'req/s' },
    { name: 'commands: round trip p50', value: round(percentile(send.latencies, 50)), unit: 'ms' },
    { name: 'commands: round trip p99', value: round(percentile(send.latencies, 99)), unit: 'ms' },
    { name: 'commands: round trip max', value: round(send.latencies.at(-1) ?? Number.NaN), unit: 'ms' },
    { name: 'commands: errors (anything but 200)', value: send.errors, unit: 'requests' },
    { name: 'commands: p99 / raw produce -> consume p99', value: ratio(percentile(send.latencies, 99), ceiling.p99), unit: '×' },
  ];
}

/** Stops the projector and analytics, tops the log up to `replayEvents`, then rebuilds every read model and the analytics tables from it. */
async function replay(stack: Stack, options: EndToEndBenchOptions, ceiling: KafkaCeiling): Promise<Figure[]> {
  await stack.kill('projector', 'SIGTERM');
  await stack.kill('analytics', 'SIGTERM');
  const kafka = createKafka({ brokers: stack.brokers, clientId: 'bench-e2e-replay', logger: testLogger() });
  const topics = projectorTopics(stack.partitions);
  // The runs above left events on the log: add what brings it to `replayEvents`.
  const { low, high } = await logEnds(kafka, Object.values(topics).map((spec) => spec.name));
  const onLog = [...high].reduce((sum, [partition, end]) => sum + end - (low.get(partition) ?? 0), 0);
  await produceEvents(kafka, AvroCodec.load(), topics, options.accounts, Math.max(0, options.replayEvents - onLog));
  const config = loadConfig(stack.roleEnv({ LOG_LEVEL: 'warn' }));
  const logger = testLogger('replay');
  const write = (): void => undefined;
  const readModels = await runReplay({ config, logger, write });
  const analytics = await runReplay({ config, logger, write, model: ANALYTICS_MODEL });
  const rate = (result: { events: number; durationMs: number }): number => Math.round(result.events / seconds(result.durationMs));
  const n = (events: number): string => events.toLocaleString('en-US');
  return [
    { name: `replay: ${n(readModels.events)} events into every read model (PGlite)`, value: seconds(readModels.durationMs), unit: 's' },
    { name: 'replay: read models', value: rate(readModels), unit: 'events/s' },
    { name: 'replay: read models / raw ceiling', value: ratio(rate(readModels), ceiling.endToEnd), unit: '×' },
    { name: `replay: ${n(analytics.events)} events into the analytics tables (chDB)`, value: seconds(analytics.durationMs), unit: 's' },
    { name: 'replay: analytics', value: rate(analytics), unit: 'events/s' },
    { name: 'replay: analytics / raw ceiling', value: ratio(rate(analytics), ceiling.endToEnd), unit: '×' },
  ];
}

interface InboundMessage {
  accountId: string;
  from: string;
  text: string;
  messageId: string;
}

/** The `i`-th message of a run: accounts in turn, each account's contacts in turn. */
function inbound(accounts: readonly string[], chats: number, run: string, i: number): InboundMessage {
  const account = i % accounts.length;
  const chat = Math.floor(i / accounts.length) % chats;
  return { accountId: accounts[account]!, from: contactOf(account, chat), text: `bench ${run} ${i}`, messageId: `E2E${run}${i}` };
}

async function postBatch(stack: Stack, messages: readonly InboundMessage[]): Promise<void> {
  const answer = await stack.sim('/sim/inbound/batch', { messages });
  const refused = (answer.messages as Value[]).find((outcome) => outcome.error !== undefined);
  if (refused !== undefined) throw new Error(`the simulator refused an inbound message: ${JSON.stringify(refused.error)}`);
}

/** When each view first had every message of a run (performance.now() times). */
interface Reached {
  delivered: number;
  counted: number;
  projected: number;
}

/** Waits for a condition; one that never comes within STALL_MS stops the bench (the failure carries the stack's report). */
function until(condition: () => Promise<boolean>, what: string): Promise<boolean> {
  return waitFor(condition, what, { timeoutMs: STALL_MS, intervalMs: POLL_MS });
}

/** Polls the three views until each has `expected` more messages than `before` (and the projector no lag). */
async function milestones(stack: Stack, receiver: ReceiverThread, run: string, before: Progress, expected: number, posting: Promise<unknown>): Promise<Reached> {
  let failure: unknown;
  posting.catch((error: unknown) => (failure = error));
  const reached: Partial<Reached> = {};
  let last = '';
  let movedAt = performance.now();
  for (;;) {
    if (failure !== undefined) throw failure;
    const now = await progress(stack, receiver, run);
    const at = performance.now();
    if (reached.delivered === undefined && now.delivered - before.delivered >= expected) reached.delivered = at;
    if (reached.counted === undefined && now.counted - before.counted >= expected) reached.counted = at;
    // Lag 0 only counts once every event is on Kafka: the endpoint has them all.
    if (reached.projected === undefined && reached.delivered !== undefined && now.lag === 0) reached.projected = at;
    if (reached.delivered !== undefined && reached.counted !== undefined && reached.projected !== undefined) return reached as Reached;
    const seen = JSON.stringify(now);
    if (seen !== last) [last, movedAt] = [seen, at];
    if (at - movedAt > STALL_MS) throw new Error(`the ${run} run stalled for ${STALL_MS / 1000} s: expected ${expected} more than ${JSON.stringify(before)}, at ${seen}`);
    await sleep(POLL_MS);
  }
}

async function progress(stack: Stack, receiver: ReceiverThread, run: string): Promise<Progress> {
  const overview = await stack.api('GET', '/analytics/overview');
  if (overview.status !== 200) throw new Error(`${run}: GET /analytics/overview answered ${overview.status}: ${JSON.stringify(overview.body)}`);
  const counts = (overview.body.data ?? overview.body) as Value;
  return { delivered: receiver.count([0]), counted: Number(counts.receivedMessages), lag: await lagOf(stack) };
}

/** The projector's lag as the API's /health reports it (null while it cannot tell). */
/** True when every consumer group a role reports (`wa_consumer_lag_records` on its ops port) has nothing left to read. */
async function caughtUp(stack: Stack): Promise<boolean> {
  for (const role of ['connector', 'projector', 'analytics', 'webhooks'] as const) {
    const { samples } = await stack.metrics(role);
    const lags = [...samples].filter(([key]) => key.startsWith('wa_consumer_lag_records{'));
    if (lags.length === 0 || lags.some(([, lag]) => lag !== 0)) return false;
  }
  return true;
}

async function lagOf(stack: Stack): Promise<number | null> {
  const health = await stack.api('GET', '/health');
  const lag = (health.body.database as Value | undefined)?.lagEvents;
  return typeof lag === 'number' ? lag : null;
}

function phoneOf(account: number): string {
  return `1666000${String(account).padStart(4, '0')}`;
}

function contactOf(account: number, chat: number): string {
  return `1777${String(account).padStart(3, '0')}${String(chat).padStart(4, '0')}`;
}

/** A memory figure of /proc/<pid>/status (`VmRSS`, `VmHWM`), in bytes. */
function memoryOf(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return line === undefined ? 0 : Number(line.split(/\s+/)[1]) * 1024;
}

const seconds = (ms: number): number => Math.round(ms / 100) / 10;
const round = (ms: number): number => Math.round(ms * 10) / 10;
const mb = (bytes: number): number => Math.round(bytes / 1_048_576);
const ratio = (value: number, base: number): number => Math.round((value / base) * 100) / 100;
