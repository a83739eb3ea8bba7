import { randomBytes } from 'node:crypto';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import kafkajs, { type Kafka } from 'kafkajs';
import { AvroCodec } from '../../schemas/index.js';
import { isRetriable, sleep, type Logger } from '../../services/shared/index.js';
import { KafkaProducer, topicConfigEntries, type TopicSpec } from '../../services/shared/kafka/index.js';
import { SecretBox } from '../../services/shared/secrets/index.js';
import { SubscriptionLog } from '../../services/shared/webhooks/index.js';
import { Dispatcher, type DispatcherStats, type DispatcherTopics } from '../../services/webhooks/index.js';
import { freshGroup, freshTopic, testKafka, testLogger } from '../helpers/index.js';
import { chatMessageEvent, freshWebhookTopics, produceConversation, subscribe } from '../helpers/webhookHarness.js';
import { percentile, type Figure } from './stats.js';
import { ReceiverThread } from './ReceiverThread.js';

export interface WebhooksBenchOptions {
  /** Accounts the events are spread over. */
  accounts: number;
  /** Chats of each account. */
  chats: number;
  /** `message.received` events of the backlog runs. */
  backlog: number;
  /** Events per second of the latency run, and for how many seconds. */
  rate: number;
  seconds: number;
  /** Requests in flight per endpoint (WEBHOOK_CONCURRENCY; the role's default is 10). */
  concurrency: number;
  /** A wider limit for one more backlog run with one subscription; 0 leaves that run out. */
  wideConcurrency: number;
  /**
   * `max.message.bytes` of the topics the dispatcher writes (delivery log, retries, dead
   * letters); 0 keeps the broker's 1 MB, as the topic catalog does. A batch's delivery log (a
   * record per delivery) goes out in its transaction as one record batch per partition, which
   * from a backlog comes to 1 to 3 MB; such a transaction has been refused (MESSAGE_TOO_LARGE),
   * and that stops the dispatcher. Until the writer splits a transaction's records, the bench
   * raises the limit so that a run measures throughput.
   */
  maxMessageBytes: number;
}

/** Partitions of every topic (the default KAFKA_PARTITIONS). */
const PARTITIONS = 12;
/** WEBHOOK_TIMEOUT_MS's default. */
const TIMEOUT_MS = 10_000;
/** Events per produce request of the backlog (well under the broker's 1 MB). */
const PRODUCE_CHUNK = 1_000;
/** Producing pace of the latency run. */
const TICK_MS = 10;
/** A run whose deliveries do not move for this long is stuck, not slow. */
const STALL_MS = 60_000;

/** One backlog run: its subscriptions (each its own endpoint) and their limit. */
interface BacklogRun {
  label: string;
  concurrency: number;
  log: SubscriptionLog;
  endpoints: number[];
}

/** What a dispatcher did with a run's deliveries, timed at the receiver. */
interface Drained {
  /** Dispatcher.start called → first request at the receiver (group join, subscriptions read). */
  startSeconds: number;
  /** First request → last request at the receiver. */
  seconds: number;
  /** Event loop utilization over that window: the dispatcher's thread and the receiver's. */
  dispatcherBusy: number;
  receiverBusy: number;
  stats: DispatcherStats;
}

/**
 * The webhooks dispatcher on the local broker, as the role runs it (10 s timeout, 10 requests in
 * flight per endpoint, 12 partitions), delivering to a real loopback HTTP endpoint on its own
 * thread that answers 200 at once:
 * - fan-out: a backlog of `message.received` events is on the topics before a dispatcher on a
 *   fresh group starts; deliveries per second from the first request to the last, with one
 *   subscription, three (three deliveries per event), and optionally one with a wider limit;
 * - latency: events produced at a steady rate, from the moment an event is produced to its
 *   request at the endpoint.
 * Every run checks that each event reached each subscription's endpoint exactly once, with no
 * retry or dead letter; otherwise it throws instead of reporting a figure.
 */
export async function webhooksBench(options: WebhooksBenchOptions): Promise<Figure[]> {
  const kafka = testKafka();
  const codec = AvroCodec.load();
  const box = new SecretBox(randomBytes(32));
  const logger = testLogger('webhooks');
  const receiver = await ReceiverThread.start();
  const producer = await KafkaProducer.connect(kafka, logger);
  const logs: SubscriptionLog[] = [];
  const world: World = { kafka, codec, box, logger, producer, receiver, logs, nextEndpoint: 0 };
  try {
    const topics = await settled(() => freshWebhookTopics(kafka, PARTITIONS));
    if (options.maxMessageBytes > 0) await raiseMessageLimit(kafka, [...topics.retries, topics.dlq, topics.attempts], options.maxMessageBytes);
    const plans = [
      { label: `1 subscription, ${options.concurrency} per endpoint`, subscriptions: 1, concurrency: options.concurrency },
      { label: `3 subscriptions, ${options.concurrency} per endpoint`, subscriptions: 3, concurrency: options.concurrency },
      ...(options.wideConcurrency > 0 ? [{ label: `1 subscription, ${options.wideConcurrency} per endpoint`, subscriptions: 1, concurrency: options.wideConcurrency }] : []),
    ];
    // Subscriptions first: a subscription gets only the events recorded after it was created.
    const runs: BacklogRun[] = [];
    for (const plan of plans) runs.push({ label: plan.label, concurrency: plan.concurrency, ...(await subscribed(world, plan.subscriptions)) });

    const traffic = new Traffic('whb', options.accounts, options.chats);
    const backlog = traffic.take(options.backlog);
    const produceStarted = performance.now();
    for (let i = 0; i < backlog.length; i += PRODUCE_CHUNK) await produceConversation(producer, codec, topics.events[0]!, backlog.slice(i, i + PRODUCE_CHUNK));
    const produceSeconds = (performance.now() - produceStarted) / 1000;
    const backlogIds = backlog.map((event) => String(event.eventId));

    const figures: Figure[] = [
      { name: `backlog: produce ${count(options.backlog)} message.received of ${options.accounts} accounts × ${options.chats} chats`, value: Math.round(options.backlog / produceSeconds), unit: 'events/s' },
    ];
    for (const run of runs) {
      const deliveries = backlogIds.length * run.endpoints.length;
      const started = performance.now();
      const drained = await dispatch(world, { topics, log: run.log, concurrency: run.concurrency }, async (dispatcher) => {
        const timing = await drain(dispatcher, receiver, run.endpoints, deliveries);
        return { ...timing, startSeconds: (timing.firstAt - started) / 1000 };
      });
      await receiver.settle();
      verify(run.label, receiver, run.endpoints, backlogIds, drained.stats);
      figures.push(
        { name: `${run.label}: deliveries acknowledged, first to last`, value: Math.round(deliveries / drained.seconds), unit: 'deliveries/s' },
        { name: `${run.label}: events fanned out`, value: Math.round(backlogIds.length / drained.seconds), unit: 'events/s' },
        { name: `${run.label}: dispatcher start to first delivery (group join)`, value: round1(drained.startSeconds), unit: 's' },
        { name: `${run.label}: dispatcher thread busy (event loop)`, value: Math.round(drained.dispatcherBusy * 100), unit: '%' },
        { name: `${run.label}: dispatcher thread time per delivery`, value: Math.round((drained.dispatcherBusy * drained.seconds * 1e6) / deliveries), unit: 'µs' },
        { name: `${run.label}: receiver thread busy (event loop)`, value: Math.round(drained.receiverBusy * 100), unit: '%' },
      );
    }

    figures.push(...(await latencyRun(world, topics, options)));
    return figures;
  } finally {
    // Best effort, so a failure above is the one reported: the broker is thrown away anyway.
    await Promise.all(logs.map((log) => log.stop().catch(() => undefined)));
    await producer.disconnect().catch(() => undefined);
    await receiver.close();
  }
}

/**
 * Runs `setup` again (up to 5 times) while it fails with a retriable error: on a busy machine a
 * topic just created may not be served yet (UNKNOWN_TOPIC_OR_PARTITION from the creation's own
 * check, NOT_LEADER_FOR_PARTITION when reading its offsets), and a bench that dies there measures
 * nothing. Only for setup that leaves nothing behind when it fails, or only fresh names.
 */
async function settled<T>(setup: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await setup();
    } catch (error) {
      if (!isRetriable(error) || attempt >= 5) throw error;
      await sleep(500 * attempt);
    }
  }
}

/** Sets `max.message.bytes` on topics, keeping the rest of their settings (the call replaces them all). */
async function raiseMessageLimit(kafka: Kafka, topics: readonly TopicSpec[], maxMessageBytes: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.alterConfigs({
      validateOnly: false,
      resources: topics.map((spec) => ({
        type: kafkajs.ConfigResourceTypes.TOPIC,
        name: spec.name,
        configEntries: Object.entries(topicConfigEntries({ ...spec, maxMessageBytes })).map(([name, value]) => ({ name, value })),
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** What every run shares. */
interface World {
  kafka: Kafka;
  codec: AvroCodec;
  box: SecretBox;
  logger: Logger;
  producer: KafkaProducer;
  receiver: ReceiverThread;
  logs: SubscriptionLog[];
  /** Endpoints are never reused, so a late request of one run cannot count in another. */
  nextEndpoint: number;
}

/** A fresh subscription table with `subscriptions` GLOBAL subscriptions to `message.received`, each to an endpoint of its own. */
async function subscribed(world: World, subscriptions: number): Promise<{ log: SubscriptionLog; endpoints: number[] }> {
  const topic = await settled(() => freshTopic(world.kafka, 'wh-bench-subscriptions', { partitions: PARTITIONS, cleanup: 'compact', key: 'entry', valueSchema: 'wa.webhooks.WebhookSubscription' }));
  const log = await settled(() => SubscriptionLog.start({ kafka: world.kafka, producer: world.producer, codec: world.codec, topic, groupId: freshGroup('wh-bench-subs'), source: 'bench', logger: world.logger }));
  world.logs.push(log);
  await log.ready();
  const endpoints: number[] = [];
  for (let i = 0; i < subscriptions; i += 1) {
    const endpoint = world.nextEndpoint++;
    await subscribe(log, world.box, { id: `global:bench-${endpoint}`, url: world.receiver.url(endpoint), eventTypes: ['message.received'] });
    endpoints.push(endpoint);
  }
  return { log, endpoints };
}

/** Runs `work` with a dispatcher on a fresh group; stops it (its batches in hand written) and returns its stats with the result. */
async function dispatch<T>(world: World, run: { topics: DispatcherTopics; log: SubscriptionLog; concurrency: number }, work: (dispatcher: Dispatcher) => Promise<T>): Promise<T & { stats: DispatcherStats }> {
  const dispatcher = await Dispatcher.start({
    kafka: world.kafka,
    codec: world.codec,
    box: world.box,
    subscriptions: run.log,
    topics: run.topics,
    groupId: freshGroup('wh-bench'),
    logger: world.logger,
    allowPrivate: true,
    timeoutMs: TIMEOUT_MS,
    concurrencyPerEndpoint: run.concurrency,
  });
  try {
    const result = await work(dispatcher);
    return { ...result, stats: { ...dispatcher.stats } };
  } finally {
    await dispatcher.stop();
  }
}

/**
 * Waits until the dispatcher has had `deliveries` acknowledged and the receiver has them all;
 * throws when the dispatcher stops, retries or gives up on one, or stalls. Times the window
 * from the first request to the last at the receiver.
 */
async function drain(dispatcher: Dispatcher, receiver: ReceiverThread, endpoints: readonly number[], deliveries: number): Promise<Omit<Drained, 'startSeconds' | 'stats'> & { firstAt: number }> {
  const stopped = dispatcher.done.then(
    () => new Error('the dispatcher stopped before delivering everything'),
    (error: unknown) => error,
  );
  let busyFrom: { main: EventLoopUtilization; receiver: EventLoopUtilization } | undefined;
  let moved = { delivered: -1, at: performance.now() };
  for (;;) {
    receiver.check();
    const { stats } = dispatcher;
    if (busyFrom === undefined && receiver.count(endpoints) > 0) busyFrom = { main: performance.eventLoopUtilization(), receiver: receiver.utilization() };
    if (stats.delivered >= deliveries && receiver.count(endpoints) >= deliveries) break;
    // The endpoint always answers 200: a retry or a dead letter means the figure would measure something else.
    if (stats.retried > 0 || stats.dead > 0) throw new Error(`the dispatcher retried ${stats.retried} and gave up on ${stats.dead} deliveries to an endpoint that always answers 200`);
    if (stats.delivered !== moved.delivered) moved = { delivered: stats.delivered, at: performance.now() };
    else if (performance.now() - moved.at > STALL_MS) throw new Error(`the dispatcher stalled at ${stats.delivered} of ${deliveries} deliveries`);
    const outcome = await Promise.race([stopped, sleep(10).then(() => 'tick' as const)]);
    if (outcome !== 'tick') throw outcome;
  }
  const { first, last } = receiver.window(endpoints);
  return {
    firstAt: first - performance.timeOrigin,
    seconds: (last - first) / 1000,
    dispatcherBusy: performance.eventLoopUtilization(busyFrom!.main).utilization,
    receiverBusy: receiver.utilization(busyFrom!.receiver).utilization,
  };
}

/** Throws unless each endpoint got each event exactly once and the dispatcher attempted each delivery once. */
function verify(label: string, receiver: ReceiverThread, endpoints: readonly number[], eventIds: readonly string[], stats: DispatcherStats): void {
  const expected = new Set(eventIds);
  const problems: string[] = [];
  for (const endpoint of endpoints) {
    const counts = new Map<string, number>();
    for (const id of receiver.ids(endpoint)) counts.set(id, (counts.get(id) ?? 0) + 1);
    const missing = eventIds.filter((id) => !counts.has(id)).length;
    const repeated = [...counts.values()].filter((n) => n > 1).length;
    const unknown = [...counts.keys()].filter((id) => !expected.has(id)).length;
    if (missing + repeated + unknown > 0) problems.push(`endpoint ${endpoint}: ${missing} events missing, ${repeated} delivered more than once, ${unknown} unknown`);
  }
  const deliveries = eventIds.length * endpoints.length;
  if (stats.attempts !== deliveries || stats.delivered !== deliveries || stats.retried + stats.dead + stats.parked > 0) {
    problems.push(`dispatcher stats ${JSON.stringify(stats)}, expected ${deliveries} attempts, all delivered`);
  }
  if (problems.length > 0) throw new Error(`webhooks bench, ${label}: each of ${eventIds.length} events should reach each of ${endpoints.length} endpoints exactly once: ${problems.join('; ')}`);
}

/**
 * Events produced at `rate` per second for `seconds` onto a topic of their own, one
 * subscription; latency from the moment an event's produce request starts to its request at the
 * endpoint. A warm-up event per account, delivered before the clock starts, makes sure the
 * dispatcher owns its partitions.
 */
async function latencyRun(world: World, topics: DispatcherTopics, options: WebhooksBenchOptions): Promise<Figure[]> {
  const { kafka, codec, producer, receiver } = world;
  const conversation: TopicSpec = await settled(() => freshTopic(kafka, 'wh-bench-latency', { partitions: PARTITIONS, valueSchema: 'wa.conversation.ConversationEvent' }));
  const { log, endpoints } = await subscribed(world, 1);
  const endpoint = endpoints[0]!;
  const traffic = new Traffic('whl', options.accounts, options.chats);
  const total = options.rate * options.seconds;
  const producedAt = new Map<string, number>();
  const warmUp = traffic.take(options.accounts);
  const steady: Record<string, unknown>[] = [];
  const perTick = Math.max(1, Math.round((options.rate * TICK_MS) / 1000));

  const result = await dispatch(world, { topics: { ...topics, events: [conversation, ...topics.events.slice(1)] }, log, concurrency: options.concurrency }, async (dispatcher) => {
    await produceConversation(producer, codec, conversation, warmUp);
    await drain(dispatcher, receiver, endpoints, warmUp.length);
    const started = performance.now();
    for (let tick = 0; steady.length < total; tick += 1) {
      const wait = started + tick * TICK_MS - performance.now();
      if (wait > 0) await sleep(wait);
      const events = traffic.take(Math.min(perTick, total - steady.length));
      const at = performance.timeOrigin + performance.now();
      for (const event of events) producedAt.set(String(event.eventId), at);
      await produceConversation(producer, codec, conversation, events);
      steady.push(...events);
    }
    const produceSeconds = (performance.now() - started) / 1000;
    const timing = await drain(dispatcher, receiver, endpoints, warmUp.length + total);
    return { ...timing, produceSeconds };
  });
  const label = `steady ${count(options.rate)}/s for ${options.seconds} s, 1 subscription, ${options.concurrency} per endpoint`;
  await receiver.settle();
  verify(label, receiver, endpoints, [...warmUp, ...steady].map((event) => String(event.eventId)), result.stats);

  const arrivedAt = receiver.arrivals(endpoint);
  const latencies = [...producedAt].map(([id, at]) => arrivedAt.get(id)! - at).sort((a, b) => a - b);
  const ms = (value: number): number => round1(value);
  return [
    { name: `${label}: produced at`, value: Math.round(total / result.produceSeconds), unit: 'events/s' },
    { name: `${label}: event produced → request at the endpoint, p50`, value: ms(percentile(latencies, 50)), unit: 'ms' },
    { name: `${label}: p99`, value: ms(percentile(latencies, 99)), unit: 'ms' },
    { name: `${label}: max`, value: ms(latencies.at(-1) ?? Number.NaN), unit: 'ms' },
    { name: `${label}: dispatcher thread busy (event loop)`, value: Math.round(result.dispatcherBusy * 100), unit: '%' },
  ];
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * `message.received` events of `accounts` accounts in turn, each account's spread over its
 * chats, with per-account sequences as the connector writes them.
 */
export class Traffic {
  private readonly sequences: number[];
  private turn = 0;

  constructor(
    private readonly prefix: string,
    private readonly accounts: number,
    private readonly chats: number,
  ) {
    this.sequences = Array.from({ length: accounts }, () => 0);
  }

  take(n: number): Record<string, unknown>[] {
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i += 1) {
      const account = this.turn++ % this.accounts;
      const sequence = ++this.sequences[account]!;
      const chatJid = `55${String(account).padStart(4, '0')}${String(sequence % this.chats).padStart(5, '0')}@s.whatsapp.net`;
      events.push(chatMessageEvent(`${this.prefix}-${account}`, chatJid, sequence));
    }
    return events;
  }
}
