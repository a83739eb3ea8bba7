import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { READ_MODEL_MIGRATIONS, type PartitionEnds } from '../../projections/readModels/index.js';
import { replayReadModels, type ReplayResult } from '../../projections/replay/index.js';
import { kafkaLogEnds, ProjectionRunner, readPositions, type ProjectorTopics } from '../../projections/runner/index.js';
import { migrate, PgliteStore, PostgresStore, READ_MODEL_SCHEMA, type SqlStore } from '../../projections/store/index.js';
import { AvroCodec } from '../../schemas/index.js';
import { ENVELOPE_SCHEMA, eventId, messageKeyParts, type AvroValue, type DraftEvent, type EventSource } from '../../services/connector/events/index.js';
import { CONNECTOR_SOURCE } from '../../services/connector/index.js';
import { sleep } from '../../services/shared/index.js';
import { KafkaProducer, recordHeaders, type OutgoingRecord } from '../../services/shared/kafka/index.js';
import { freshGroup, freshTopic, testKafka, testLogger } from '../helpers/index.js';
import type { Figure } from './stats.js';

export interface ProjectionBenchOptions {
  accounts: number;
  /** Events on the topics of the live projection. */
  events: number;
  /** Events on the topics of the replay (written once, rebuilt into each engine). */
  replayEvents: number;
  /** A PostgreSQL server; the bench works in schemas of its own and drops them afterwards. */
  databaseUrl: string;
}

/** Partitions of the projected topics (the default KAFKA_PARTITIONS). */
const PARTITIONS = 12;
/** Partitions applied at once on PostgreSQL, as the projector role does; PGlite takes one at a time. */
const POSTGRES_CONCURRENCY = 4;
/** Events per produce request. */
const CHUNK = 10_000;

/**
 * The projector on the local broker: events as the connector writes them, projected live by a
 * ProjectionRunner from the start of the topics until its stored positions reach the ends of
 * the log, then rebuilt by `replayReadModels`; each into PGlite (files) and PostgreSQL.
 */
export async function projectionBench(options: ProjectionBenchOptions): Promise<Figure[]> {
  const kafka = testKafka();
  const codec = AvroCodec.load();
  const dir = await mkdtemp(join(tmpdir(), 'wa-bench-projection-'));
  const prefix = `bench_${randomBytes(4).toString('hex')}`;
  const postgres = (schema: string): Promise<SqlStore> =>
    PostgresStore.open({ url: options.databaseUrl, schema, logger: testLogger(), maxConnections: POSTGRES_CONCURRENCY + 2 });
  try {
    const live = await produceTraffic(kafka, codec, options.accounts, options.events);
    const liveIntoPglite = await projectLive(kafka, codec, live.topics, options.events, await PgliteStore.open({ dataDir: join(dir, 'live'), schema: READ_MODEL_SCHEMA }));
    const liveIntoPostgres = await projectLive(kafka, codec, live.topics, options.events, await postgres(`${prefix}_live`));

    const { topics } = await produceTraffic(kafka, codec, options.accounts, options.replayEvents);
    const replay = (openStore: (schema: string) => Promise<SqlStore>, liveSchema: string): Promise<ReplayResult> =>
      replayReadModels({ kafka, topics, codec, logger: testLogger('replay'), openStore, liveSchema });
    const replayIntoPostgres = await replay(postgres, `${prefix}_replay`);
    const replayIntoPglite = await replay((schema) => PgliteStore.open({ dataDir: join(dir, 'replay'), schema }), READ_MODEL_SCHEMA);

    const count = (n: number): string => n.toLocaleString('en-US');
    const seconds = (result: ReplayResult): number => Math.round(result.durationMs / 100) / 10;
    const rate = (result: ReplayResult): number => Math.round(result.events / (result.durationMs / 1000));
    return [
      { name: `produce ${count(options.events)} events of ${options.accounts} accounts (generate, encode, send)`, value: Math.round(options.events / live.seconds), unit: 'events/s' },
      { name: 'live projection into PGlite (files, one partition at a time)', value: liveIntoPglite, unit: 'events/s' },
      { name: `live projection into PostgreSQL (${POSTGRES_CONCURRENCY} partitions at once)`, value: liveIntoPostgres, unit: 'events/s' },
      { name: `replay of ${count(replayIntoPostgres.events)} events into PostgreSQL`, value: seconds(replayIntoPostgres), unit: 's' },
      { name: 'replay into PostgreSQL', value: rate(replayIntoPostgres), unit: 'events/s' },
      { name: `replay of ${count(replayIntoPglite.events)} events into PGlite`, value: seconds(replayIntoPglite), unit: 's' },
      { name: 'replay into PGlite', value: rate(replayIntoPglite), unit: 'events/s' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
    // Best effort, so a failure above is the one reported: the server run.sh starts is thrown away anyway.
    await postgres('public')
      .then((admin) => dropSchemas(admin, [`${prefix}_live`, `${prefix}_replay`, `${prefix}_replay_next`]))
      .catch(() => undefined);
  }
}

async function dropSchemas(store: SqlStore, schemas: readonly string[]): Promise<void> {
  try {
    for (const schema of schemas) await store.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await store.close();
  }
}

/**
 * Writes `events` events of `accounts` accounts, in turn, onto fresh projector topics; returns
 * the topics and how long writing took (generating and encoding included).
 */
async function produceTraffic(kafka: Kafka, codec: AvroCodec, accounts: number, events: number): Promise<{ topics: ProjectorTopics; seconds: number }> {
  const fresh = (role: string) => freshTopic(kafka, `bench-projection-${role}`, { partitions: PARTITIONS });
  const topics: ProjectorTopics = { conversation: await fresh('conversation'), account: await fresh('account'), commandResults: await fresh('results'), webhookAttempts: await fresh('attempts') };
  return { topics, seconds: await produceEvents(kafka, codec, topics, accounts, events) };
}

/**
 * Writes `events` events of `accounts` simulated accounts (`bench-<n>`), in turn, onto the
 * projector's conversation and account topics, as their connectors would; returns how long
 * writing took in seconds (generating and encoding included).
 */
export async function produceEvents(kafka: Kafka, codec: AvroCodec, topics: Pick<ProjectorTopics, 'conversation' | 'account'>, accounts: number, events: number): Promise<number> {
  const simulated = Array.from({ length: accounts }, (_, i) => new SimulatedAccount(i, codec));
  const producer = await KafkaProducer.connect(kafka, testLogger());
  // Few accounts fill few partitions: a chunk's records of one partition must stay well under the broker's 1 MB.
  const chunkSize = Math.min(CHUNK, accounts * 100);
  const started = performance.now();
  try {
    let sending: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < events; ) {
      const chunk: Record<SimulatedTopic, OutgoingRecord[]> = { conversation: [], account: [] };
      for (const end = Math.min(events, i + chunkSize); i < end; i += 1) {
        const { topic, record } = simulated[i % accounts]!.next();
        chunk[topic].push(record);
      }
      // The next chunk is encoded while this one is on the wire; chunks still go out in order.
      await sending;
      sending = producer.sendMany([
        { topic: topics.conversation, records: chunk.conversation },
        { topic: topics.account, records: chunk.account },
      ]);
    }
    await sending;
  } finally {
    await producer.disconnect();
  }
  return (performance.now() - started) / 1000;
}

/**
 * A projector on a fresh group, from the start of the topics until the store's positions reach
 * the ends of the log; returns events applied per second. Timed from the first batch applied:
 * joining the group (seconds, on a broker whose coordinator is still loading) is not throughput.
 * Closes the store.
 */
async function projectLive(kafka: Kafka, codec: AvroCodec, topics: ProjectorTopics, events: number, store: SqlStore): Promise<number> {
  const logEnds = kafkaLogEnds(kafka);
  try {
    await migrate(store, READ_MODEL_MIGRATIONS);
    const ends = await logEnds(Object.values(topics).map((spec) => spec.name));
    const onTopics = ends.reduce((sum, end) => sum + end.high - end.low, 0);
    if (onTopics !== events) throw new Error(`the topics hold ${onTopics} events, not ${events}`);
    let applied = 0;
    let first: { at: number; applied: number } | undefined;
    const runner = await ProjectionRunner.start({
      kafka,
      groupId: freshGroup('bench-projector'),
      topics,
      store,
      codec,
      logger: testLogger('projector'),
      partitionsConcurrently: store.engine === 'postgres' ? POSTGRES_CONCURRENCY : 1,
      onBatch: (_batch, outcome) => {
        applied += outcome.applied;
        first ??= { at: performance.now(), applied };
      },
    });
    try {
      await caughtUp(store, ends, runner);
    } finally {
      await runner.stop();
    }
    const seconds = (performance.now() - first!.at) / 1000;
    // A projection that set events aside measured something else than applying them.
    if (applied !== events) throw new Error(`the ${store.engine} projection applied ${applied} of ${events} events`);
    return Math.round((events - first!.applied) / seconds);
  } finally {
    await logEnds.close();
    await store.close();
  }
}

/** Resolves once the stored positions reach `ends` on every partition; rejects when the runner stops first. */
async function caughtUp(store: SqlStore, ends: readonly PartitionEnds[], runner: ProjectionRunner): Promise<void> {
  const stopped = runner.done.then(
    () => new Error('the projector stopped before catching up'),
    (error: unknown) => error,
  );
  const topics = [...new Set(ends.map((end) => end.topic))];
  for (;;) {
    const stored = new Map((await readPositions(store, topics)).map((p) => [`${p.topic}:${p.partition}`, p.nextOffset]));
    if (ends.every((end) => end.high === end.low || (stored.get(`${end.topic}:${end.partition}`) ?? 0) >= end.high)) return;
    const outcome = await Promise.race([stopped, sleep(50).then(() => 'tick' as const)]);
    if (outcome !== 'tick') throw outcome;
  }
}

type SimulatedTopic = Extract<DraftEvent['topic'], 'conversation' | 'account'>;

interface EventSpec {
  topic: SimulatedTopic;
  type: string;
  /** The event id's family when not the type (`message` for every recorded message). */
  family?: string;
  branch: string;
  data: AvroValue;
  chatJid: string | null;
  at: number;
  /** Natural key parts after the account id. */
  key: readonly (string | number)[];
  source?: EventSource;
}

/**
 * Milliseconds between two events of an account. Its clock starts when producing does, and
 * record timestamps must stay near the broker's: older than the topics' retention and they are
 * deleted, too far ahead and they are refused.
 */
const TICK_MS = 10;
/** Private chats of an account. */
const CHATS = 200;
/** Events of an account between two reconnections. */
const RECONNECT_EVERY = 2_500;
const OPENING = ['created', 'connecting', 'connected'] as const;
/** One turn of an account's traffic: 20 events, 13 of them inbound messages. */
const CYCLE = [
  'inbound', 'inbound', 'inbound', 'outbound', 'delivered', 'inbound', 'inbound', 'inbound', 'inbound', 'read',
  'inbound', 'inbound', 'outbound', 'delivered', 'inbound', 'inbound', 'chatRead', 'inbound', 'inbound', 'contact',
] as const;
const TEXTS = [
  'Hi! Is my order on its way?',
  'Thanks, see you tomorrow at 10',
  'Can you send me the invoice for last month, please?',
  'ok 👍',
  'The delivery address changed, it is now 14 Rue des Lilas, second floor, the door on the left',
  'What time do you open on Saturdays?',
];

/**
 * One account's connector: its events in the order it would write them (the account created,
 * connecting, connected; then mostly inbound texts, replies with their delivery and read
 * receipts, a chat read on the phone, a contact learnt, and a reconnection now and then), each
 * envelope encoded and headed as AccountRuntime.emit does.
 */
class SimulatedAccount {
  private readonly accountId: string;
  private readonly meJid: string;
  private readonly sequences: Record<SimulatedTopic, number> = { conversation: 0, account: 0 };
  private readonly startedAt = Date.now();
  private step = 0;
  private messages = 0;
  private connection = 0;
  private lastInbound = '';
  private lastOutbound: AvroValue | null = null;

  constructor(
    private readonly index: number,
    private readonly codec: AvroCodec,
  ) {
    this.accountId = `bench-${index}`;
    this.meJid = `1555${String(index).padStart(7, '0')}@s.whatsapp.net`;
  }

  next(): { topic: SimulatedTopic; record: OutgoingRecord } {
    const step = this.step++;
    const at = this.startedAt + step * TICK_MS;
    // One correlation id per emit; a Baileys batch brings a few events at once.
    return this.encode(this.draft(step, at), `batch-${this.accountId}-${Math.floor(step / 8)}`);
  }

  private draft(step: number, at: number): DraftEvent {
    if (step < OPENING.length) return this.lifecycle(OPENING[step]!, at);
    const turn = step - OPENING.length;
    if (turn % RECONNECT_EVERY === RECONNECT_EVERY - 2) return this.lifecycle('reconnecting', at);
    if (turn % RECONNECT_EVERY === RECONNECT_EVERY - 1) return this.lifecycle('connected', at);
    const kind = CYCLE[turn % CYCLE.length]!;
    switch (kind) {
      case 'inbound':
      case 'outbound':
        return this.message(kind, at);
      case 'delivered':
      case 'read':
        return this.status(kind === 'delivered' ? 'DELIVERY_ACK' : 'READ', at);
      case 'chatRead':
        return this.event({ topic: 'conversation', type: 'chat.updated', branch: 'wa.conversation.ChatChanged', data: { chatJid: this.lastInbound, unreadCount: 0, markedAsUnread: false }, chatJid: this.lastInbound, at, key: [this.lastInbound, at] });
      case 'contact': {
        const n = (step * 13) % CHATS;
        const jid = this.chat(n);
        return this.event({ topic: 'account', type: 'contact.upserted', branch: 'wa.account.Contact', data: { jid, phoneNumber: jid.split('@')[0], name: `Customer ${n}`, notify: `C${n}` }, chatJid: jid, at, key: [jid, at] });
      }
      default: {
        const never: never = kind;
        throw new Error(`unknown traffic ${String(never)}`);
      }
    }
  }

  private lifecycle(kind: (typeof OPENING)[number] | 'reconnecting', at: number): DraftEvent {
    if (kind === 'created') {
      return this.event({ topic: 'account', type: 'account.created', branch: 'wa.account.AccountCreated', data: { name: `Bench ${this.index}`, autoConnect: true, createdBy: 'admin' }, chatJid: null, at, key: [], source: 'COMMAND' });
    }
    if (kind === 'connecting') this.connection += 1;
    const state = { connecting: 'CONNECTING', connected: 'CONNECTED', reconnecting: 'RECONNECTING' }[kind];
    const connected = kind === 'connected';
    const data = {
      state,
      reason: kind === 'reconnecting' ? 'CONNECTION_LOST' : null,
      meJid: connected ? this.meJid : null,
      mePhone: connected ? this.meJid.split('@')[0] : null,
      connectionId: `conn-${this.accountId}-${this.connection}`,
    };
    if (kind === 'reconnecting') this.connection += 1;
    return this.event({ topic: 'account', type: 'connection.state', branch: 'wa.account.ConnectionStateChanged', data, chatJid: null, at, key: [data.connectionId, state], source: 'SYSTEM' });
  }

  private message(direction: 'inbound' | 'outbound', at: number): DraftEvent {
    const n = this.messages++;
    const chatJid = this.chat((n * 37) % CHATS);
    const fromMe = direction === 'outbound';
    const id = `${fromMe ? '3EB0' : '3A'}${n.toString(16).toUpperCase().padStart(16, '0')}`;
    const key = { remoteJid: chatJid, id, fromMe, participant: null };
    if (fromMe) this.lastOutbound = key;
    else this.lastInbound = chatJid;
    const message = {
      key,
      senderJid: fromMe ? this.meJid : chatJid,
      pushName: fromMe ? null : `Customer ${(n * 37) % CHATS}`,
      timestamp: at,
      status: fromMe ? 'SERVER_ACK' : 'DELIVERY_ACK',
      kind: 'TEXT',
      content: { 'wa.conversation.TextContent': { text: TEXTS[n % TEXTS.length] } },
    };
    const type = fromMe ? 'message.sent' : 'message.received';
    const data = { message, direction: fromMe ? 'OUTBOUND' : 'INBOUND', upsertType: 'NOTIFY' };
    return this.event({ topic: 'conversation', type, family: 'message', branch: 'wa.conversation.MessageRecorded', data, chatJid, at, key: messageKeyParts(chatJid, id, fromMe) });
  }

  private status(status: 'DELIVERY_ACK' | 'READ', at: number): DraftEvent {
    const key = this.lastOutbound!;
    const chatJid = String(key.remoteJid);
    return this.event({ topic: 'conversation', type: 'message.status', branch: 'wa.conversation.MessageStatusChanged', data: { key, status, statusAt: at }, chatJid, at, key: [...messageKeyParts(chatJid, String(key.id), true), status] });
  }

  private chat(n: number): string {
    return `9199${String(this.index).padStart(4, '0')}${String(n).padStart(4, '0')}@s.whatsapp.net`;
  }

  /** A DraftEvent as translation builds one (translate/draft.ts): the id from the natural key. */
  private event(spec: EventSpec): DraftEvent {
    return {
      topic: spec.topic,
      eventId: eventId(spec.family ?? spec.type, this.accountId, spec.key),
      type: spec.type,
      chatJid: spec.chatJid,
      occurredAt: spec.at,
      source: spec.source ?? 'LIVE',
      causationId: null,
      data: { [spec.branch]: spec.data },
    };
  }

  private encode(event: DraftEvent, correlationId: string): { topic: SimulatedTopic; record: OutgoingRecord } {
    const topic = event.topic as SimulatedTopic;
    const recordedAt = event.occurredAt + 40;
    const envelope = {
      eventId: event.eventId,
      type: event.type,
      accountId: this.accountId,
      chatJid: event.chatJid,
      sequence: ++this.sequences[topic],
      occurredAt: event.occurredAt,
      recordedAt,
      correlationId,
      causationId: event.causationId,
      source: event.source,
      driver: 'baileys',
      data: event.data,
    };
    return {
      topic,
      record: {
        accountId: this.accountId,
        value: this.codec.encode(ENVELOPE_SCHEMA[topic], envelope),
        // CONNECTOR_SOURCE of services/connector/runtime (not exported by the connector's index).
        headers: recordHeaders({ id: event.eventId, type: event.type, source: CONNECTOR_SOURCE, time: event.occurredAt }),
        timestamp: recordedAt,
      },
    };
  }
}
