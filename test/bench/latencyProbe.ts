// Latency probe: where an inbound message's time goes, stage by stage, and where a command's does.
// Runs the whole stack (test/helpers/stack.ts: every role its own process on its own broker),
// links the accounts, registers a webhook on a receiver thread, then:
// - inbound: messages posted to the simulator at a steady rate; for each one
//     sent      the probe posts it to the simulator (POST /sim/inbound/batch),
//     recorded  the connector translated it (envelope recordedAt = the record's timestamp),
//     appended  it is on the log, not yet committed (a read_uncommitted consumer sees it),
//     committed a read_committed consumer sees it (its transaction committed),
//     webhook   the endpoint received it,
//   and p50/p99 of each step and of the whole;
// - commands: `POST /messages/text` at a steady rate; for each one
//     posted    the probe sends the request,
//     issued    the API wrote the command (its issuedAt),
//     command   a read_committed consumer sees the command record,
//     started   the connector began running it (result completedAt - durationMs),
//     completed the connector finished it (completedAt),
//     result    a read_committed consumer sees the result record,
//     answered  the HTTP answer arrived.
// It also prints the connector's CPU per inbound event.
//
// Usage, after `npx tsc -p tsconfig.json --outDir <dir>`:
//
//   node <dir>/test/bench/latencyProbe.js [--accounts 100] [--rate 1000] [--seconds 20]
//     [--command-rate 50] [--command-seconds 20] [--warmup-seconds 30] [--partitions 12] [--parts inbound,commands]
//     [--roles simulator,connector,webhooks,api] [--log-dir <dir>]
//
// The stack starts its own broker (infra/kafka/start.sh).
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Consumer, Kafka } from 'kafkajs';
import { AvroCodec } from '../../schemas/index.js';
import { sleep } from '../../services/shared/index.js';
import { createKafka, TOPIC } from '../../services/shared/kafka/index.js';
import { Stack, STACK_ROLES, testLogger, waitFor, type StackRole, type Value } from '../helpers/index.js';
import { ReceiverThread } from './ReceiverThread.js';
import { cpuSeconds } from './ingestProbe.js';
import { atFixedRate, inParallel, isMainModule, percentile, printTable, type Figure } from './stats.js';

export interface LatencyProbeOptions {
  accounts: number;
  chats: number;
  rate: number;
  seconds: number;
  commandRate: number;
  commandSeconds: number;
  /** Seconds of the same commands, unmeasured, before the measured ones. */
  warmupSeconds: number;
  partitions: number;
  parts: readonly ('inbound' | 'commands')[];
  roles: readonly StackRole[];
  logDir?: string;
}

/** Pace of the inbound run, as the end-to-end bench posts it. */
const TICK_MS = 10;

/** When a consumer of the probe first saw each key (a message id, a command id). */
type Seen = Map<string, { at: number; timestamp: number; value: Value | null }>;

/** A consumer of its own group from the end of the topics, calling `onRecord` with the arrival time; resolves once it is assigned. */
async function follow(kafka: Kafka, topics: readonly string[], readUncommitted: boolean, onRecord: (topic: string, value: Buffer, timestamp: number, at: number) => void): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: `latency-probe-${readUncommitted ? 'u' : 'c'}-${Date.now()}`, readUncommitted, maxWaitTimeInMs: 100 });
  let joined!: () => void;
  const join = new Promise<void>((resolve) => (joined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: false });
  await consumer.run({
    partitionsConsumedConcurrently: 16,
    eachBatch: async ({ batch }) => {
      const at = Date.now();
      for (const message of batch.messages) if (message.value) onRecord(batch.topic, message.value, Number(message.timestamp), at);
    },
  });
  await join;
  // The first fetch resolves "latest" after the join: give it a moment before anything is written.
  await sleep(2_000);
  return consumer;
}

/** Sum of wa.conversation.v1's partitions' end offsets. */
async function conversationEnd(kafka: Kafka): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(TOPIC.conversation)).reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** p50 / p99 / max of the differences `to - from` over the keys that have both. */
function step(name: string, keys: readonly string[], from: (key: string) => number | undefined, to: (key: string) => number | undefined): Figure[] {
  const values: number[] = [];
  for (const key of keys) {
    const a = from(key);
    const b = to(key);
    if (a !== undefined && b !== undefined) values.push(b - a);
  }
  values.sort((x, y) => x - y);
  return [
    { name: `${name} p50`, value: Math.round(percentile(values, 50) * 10) / 10, unit: 'ms' },
    { name: `${name} p99`, value: Math.round(percentile(values, 99) * 10) / 10, unit: 'ms' },
    { name: `${name} max`, value: Math.round((values.at(-1) ?? Number.NaN) * 10) / 10, unit: 'ms' },
  ];
}

/** The message id of a MessageRecorded envelope, or null. */
function messageIdOf(event: Value): string | null {
  const recorded = event.data?.['wa.conversation.MessageRecorded'];
  return typeof recorded?.message?.key?.id === 'string' ? recorded.message.key.id : null;
}

async function inbound(stack: Stack, kafka: Kafka, codec: AvroCodec, accounts: readonly string[], options: LatencyProbeOptions): Promise<Figure[]> {
  // Without the webhooks role the run ends once every message is committed (the stages up to there).
  const withWebhooks = options.roles.includes('webhooks');
  const receiver = await ReceiverThread.start({ messageIds: true });
  if (withWebhooks) {
    const hook = await stack.api('POST', '/webhooks', { url: receiver.url(0), events: ['message.received'] });
    if (hook.status !== 201) throw new Error(`POST /webhooks answered ${hook.status}: ${JSON.stringify(hook.body)}`);
  }
  const appended: Seen = new Map();
  const committed: Seen = new Map();
  const note = (seen: Seen) => (_topic: string, value: Buffer, timestamp: number, at: number) => {
    const event = codec.decode<Value>(value).value;
    const id = messageIdOf(event);
    if (id !== null && !seen.has(id)) seen.set(id, { at, timestamp, value: event });
  };
  const consumers = [await follow(kafka, [TOPIC.conversation], true, note(appended)), await follow(kafka, [TOPIC.conversation], false, note(committed))];
  try {
    const total = options.rate * options.seconds;
    const perTick = Math.max(1, Math.round((options.rate * TICK_MS) / 1000));
    const sentAt = new Map<string, number>();
    const requests: Promise<void>[] = [];
    const endBefore = await conversationEnd(kafka);
    const connectorPid = stack.pidOf('connector');
    const cpuBefore = cpuSeconds(connectorPid);
    const started = performance.now();
    for (let sent = 0, tick = 0; sent < total; tick += 1) {
      const wait = started + tick * TICK_MS - performance.now();
      if (wait > 0) await sleep(wait);
      const batch = Array.from({ length: Math.min(perTick, total - sent) }, (_, j) => {
        const i = sent + j;
        const account = i % accounts.length;
        const chat = Math.floor(i / accounts.length) % options.chats;
        return { accountId: accounts[account]!, from: contactOf(account, chat), text: `probe ${i}`, messageId: `LATPROBE${i}` };
      });
      const now = Date.now();
      for (const message of batch) sentAt.set(message.messageId, now);
      requests.push(stack.sim('/sim/inbound/batch', { messages: batch }).then(() => undefined));
      sent += batch.length;
    }
    const achieved = total / ((performance.now() - started) / 1000);
    await Promise.all(requests);
    let arrivals = new Map<string, number>();
    await waitFor(
      async () => {
        if (!withWebhooks) return [...sentAt.keys()].every((id) => committed.has(id));
        await receiver.settle();
        arrivals = receiver.messageArrivals(0);
        return [...sentAt.keys()].every((id) => arrivals.has(id));
      },
      withWebhooks ? 'every message at the endpoint' : 'every message committed',
      { timeoutMs: 180_000, intervalMs: 200 },
    );
    const cpuAfter = cpuSeconds(connectorPid);
    // Every transaction leaves one commit marker in each partition it wrote.
    const markers = (await conversationEnd(kafka)) - endBefore - committed.size;
    const keys = [...sentAt.keys()];
    const sent = (id: string) => sentAt.get(id);
    const recorded = (id: string) => committed.get(id)?.timestamp;
    const onLog = (id: string) => appended.get(id)?.at;
    const visible = (id: string) => committed.get(id)?.at;
    const webhook = (id: string) => arrivals.get(id);
    return [
      { name: `inbound posted (${options.rate}/s for ${options.seconds} s, ${accounts.length} accounts)`, value: Math.round(achieved), unit: 'messages/s' },
      ...step('sent -> recorded (simulator, long poll, translation)', keys, sent, recorded),
      ...step('recorded -> on the log, uncommitted (group commit wait, produce)', keys, recorded, onLog),
      ...step('on the log -> committed, read_committed sees it (commit, markers, fetch)', keys, onLog, visible),
      ...step('recorded -> committed visible', keys, recorded, visible),
      ...step('committed visible -> webhook arrival (webhooks dispatcher)', keys, visible, webhook),
      ...step('sent -> committed visible', keys, sent, visible),
      ...step('sent -> webhook arrival (whole)', keys, sent, webhook),
      { name: 'message.received per commit marker on wa.conversation.v1', value: Math.round((committed.size / Math.max(1, markers)) * 10) / 10, unit: 'events' },
      ...(cpuBefore !== null && cpuAfter !== null ? [{ name: 'connector CPU per inbound event (whole run)', value: Math.round(((cpuAfter - cpuBefore) / total) * 1e6), unit: 'µs' }] : []),
    ];
  } finally {
    await Promise.all(consumers.map((c) => c.disconnect()));
    await receiver.close();
  }
}

async function commands(stack: Stack, kafka: Kafka, codec: AvroCodec, accounts: readonly string[], options: LatencyProbeOptions): Promise<Figure[]> {
  const commandSeen: Seen = new Map();
  const resultSeen: Seen = new Map();
  const issued = new Map<string, number>();
  const byIndex = new Map<number, string>();
  const consumer = await follow(kafka, [TOPIC.commands, TOPIC.commandResults], false, (topic, value, timestamp, at) => {
    const decoded = codec.decode<Value>(value).value;
    if (topic === TOPIC.commands) {
      const index = /probe command (\d+)/.exec(JSON.stringify(decoded.payload ?? {}))?.[1];
      if (index === undefined) return;
      byIndex.set(Number(index), decoded.commandId);
      issued.set(decoded.commandId, Number(decoded.issuedAt));
      if (!commandSeen.has(decoded.commandId)) commandSeen.set(decoded.commandId, { at, timestamp, value: null });
    } else if (!resultSeen.has(decoded.commandId)) {
      resultSeen.set(decoded.commandId, { at, timestamp, value: decoded });
    }
  });
  const sendText = async (i: number, body: string): Promise<boolean> =>
    (await stack.api('POST', '/messages/text', { channelId: accounts[i % accounts.length], to: contactOf(i % accounts.length, i % options.chats), body })).status === 200;
  try {
    // The same traffic first, unmeasured: a fresh broker and fresh processes spend their first minute compiling (the broker's C2 JIT alone took a third of a core).
    if (options.warmupSeconds > 0) await atFixedRate(options.commandRate, options.warmupSeconds, (i) => sendText(i, `warm-up ${i}`));
    const posted = new Map<number, number>();
    const answered = new Map<number, number>();
    const send = await atFixedRate(options.commandRate, options.commandSeconds, async (i) => {
      posted.set(i, Date.now());
      const ok = await sendText(i, `probe command ${i}`);
      answered.set(i, Date.now());
      return ok;
    });
    await waitFor(() => [...posted.keys()].every((i) => byIndex.has(i)), 'every command seen on the log', { timeoutMs: 30_000 });
    const keys = [...posted.keys()].map(String);
    const id = (i: string) => byIndex.get(Number(i))!;
    const result = (i: string) => resultSeen.get(id(i))?.value;
    const completedAt = (i: string) => (result(i) ? Number(result(i)!.completedAt) : undefined);
    const startedAt = (i: string) => (result(i) ? Number(result(i)!.completedAt) - Number(result(i)!.durationMs ?? 0) : undefined);
    return [
      { name: `commands: POST /messages/text (${options.commandRate}/s for ${options.commandSeconds} s) errors`, value: send.errors, unit: 'requests' },
      ...step('posted -> issued (HTTP in, API)', keys, (i) => posted.get(Number(i)), (i) => issued.get(id(i))),
      ...step('issued -> command on the log (produce, probe fetch)', keys, (i) => issued.get(id(i)), (i) => commandSeen.get(id(i))?.at),
      ...step('issued -> connector starts it (produce, connector fetch, queue)', keys, (i) => issued.get(id(i)), startedAt),
      ...step('started -> completed (decide, send to the simulator)', keys, startedAt, completedAt),
      ...step('completed -> result visible (transaction, probe fetch)', keys, completedAt, (i) => resultSeen.get(id(i))?.at),
      ...step('result visible -> answered (API result reader, HTTP out)', keys, (i) => resultSeen.get(id(i))?.at, (i) => answered.get(Number(i))),
      ...step('posted -> answered (whole)', keys, (i) => posted.get(Number(i)), (i) => answered.get(Number(i))),
    ];
  } finally {
    await consumer.disconnect();
  }
}

function phoneOf(account: number): string {
  return `1666000${String(account).padStart(4, '0')}`;
}

function contactOf(account: number, chat: number): string {
  return `1777${String(account).padStart(3, '0')}${String(chat).padStart(4, '0')}`;
}

/** Starts the stack, links the accounts, and measures the parts asked for. */
export async function latencyProbe(options: LatencyProbeOptions): Promise<Figure[]> {
  const stack = await Stack.start({
    partitions: options.partitions,
    roles: options.roles,
    env: { API_RATE_LIMIT_PER_MINUTE: '1000000', API_RATE_LIMIT_BURST: '100000' },
    ...(options.logDir ? { logDir: options.logDir } : {}),
  });
  const figures: Figure[] = [];
  try {
    const kafka = createKafka({ brokers: stack.brokers, clientId: 'latency-probe', logger: testLogger() });
    const codec = AvroCodec.load();
    const accounts = Array.from({ length: options.accounts }, (_, i) => `lat-${i}`);
    await inParallel(accounts, 10, (accountId, i) => stack.link(accountId, phoneOf(i)));
    if (options.parts.includes('inbound')) figures.push(...(await inbound(stack, kafka, codec, accounts, options)));
    if (options.parts.includes('commands')) figures.push(...(await commands(stack, kafka, codec, accounts, options)));
    return figures;
  } catch (error) {
    printTable('Latency probe: the figures measured before the failure', figures);
    throw new Error(`the latency probe failed: ${error instanceof Error ? error.message : String(error)}\n${stack.report(15)}`, { cause: error });
  } finally {
    await stack.stop();
  }
}

if (isMainModule(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '100' },
      chats: { type: 'string', default: '5' },
      rate: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '20' },
      'command-rate': { type: 'string', default: '50' },
      'command-seconds': { type: 'string', default: '20' },
      'warmup-seconds': { type: 'string', default: '30' },
      partitions: { type: 'string', default: '12' },
      parts: { type: 'string', default: 'inbound,commands' },
      roles: { type: 'string', default: STACK_ROLES.join(',') },
      'log-dir': { type: 'string' },
    },
  });
  const figures = await latencyProbe({
    accounts: Number(values.accounts),
    chats: Number(values.chats),
    rate: Number(values.rate),
    seconds: Number(values.seconds),
    commandRate: Number(values['command-rate']),
    commandSeconds: Number(values['command-seconds']),
    warmupSeconds: Number(values['warmup-seconds']),
    partitions: Number(values.partitions),
    parts: values.parts.split(',') as LatencyProbeOptions['parts'],
    roles: values.roles.split(',') as StackRole[],
    ...(values['log-dir'] ? { logDir: path.resolve(values['log-dir']) } : {}),
  });
  printTable('Latency probe: stage by stage', figures);
  process.exit(0);
}
