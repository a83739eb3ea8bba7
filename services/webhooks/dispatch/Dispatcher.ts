import { SpanKind, SpanStatusCode, type Context } from '@opentelemetry/api';
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { AvroCodec } from '../../../schemas/index.js';
import type { AttemptOutcome, WebhookDelivery } from '../../../projections/events/avroTypes.js';
import { injectTraceHeaders, toWaError, WaError, type Logger } from '../../shared/index.js';
import { metrics } from '../../shared/ops/index.js';
import { inSpan, processRecord } from '../../shared/tracing/index.js';
import {
  TransactionalWriter,
  WEBHOOK_RETRY_TIERS,
  isFencedError,
  consumedRecord,
  deadLetterRecord,
  kafkaError,
  readRanges,
  recordHeaders,
  runConsumer,
  type ConsumedRecord,
  type ConsumerPosition,
  type PartitionRange,
  type OutgoingRecord,
  type TopicRecords,
  type TopicSpec,
} from '../../shared/kafka/index.js';
import type { SecretBox } from '../../shared/secrets/index.js';
import type { SubscriptionLog, WebhookSubscriptionValue } from '../../shared/webhooks/index.js';
import { attemptDelivery, deliveryAgents, destroyDeliveryAgents, type DeliveryOutcome } from '../http/index.js';
import type { WebhookEvent } from '../payloads/index.js';
import { renderWebhookPayload } from '../payloads/index.js';
import { classifyResponse, nextAttempt, shouldDisable } from '../retry/index.js';
import { signWebhook } from '../signature/index.js';
import { CoPartitionedAssigner } from './coPartitionedAssigner.js';
import { attemptRecord, firstDelivery, orderingKey, wantsEvent } from './deliveries.js';
import { EndpointLimiter } from './EndpointLimiter.js';
import { PendingIndex } from './PendingIndex.js';

const DELIVERY_SCHEMA = 'wa.webhooks.WebhookDelivery';
const ATTEMPT_SCHEMA = 'wa.webhooks.WebhookAttempt';
const SOURCE = 'wa-backbone/webhooks';
/** Who gives up on a record, in the dead letters. */
const DEAD_LETTER_CONSUMER = 'webhooks';

/** The topics the dispatcher reads and writes. */
export interface DispatcherTopics {
  /** wa.conversation.v1, wa.account.v1, wa.presence.v1. */
  events: readonly TopicSpec[];
  /** One per retry tier, in WEBHOOK_RETRY_TIERS order. */
  retries: readonly TopicSpec[];
  dlq: TopicSpec;
  attempts: TopicSpec;
  /** Where event and delivery records that cannot be read go, with their bytes (not the webhook DLQ: no delivery died). */
  deadLetters: TopicSpec;
}

export interface DispatcherOptions {
  kafka: Kafka;
  codec: AvroCodec;
  /** Opens the subscriptions' signing secrets (SESSION_ENCRYPTION_KEY). */
  box: SecretBox;
  /** The subscription table, followed by this process. */
  subscriptions: SubscriptionLog;
  topics: DispatcherTopics;
  /** `wa-webhooks`; its members share the partitions. */
  groupId: string;
  /** Transactional ids are `<prefix>.<partition>` (default: the group id): one writer per partition, fencing the previous owner's. */
  transactionalIdPrefix?: string;
  logger: Logger;
  /** WEBHOOK_ALLOW_PRIVATE. */
  allowPrivate: boolean;
  /** One attempt's time limit, connect to last byte. */
  timeoutMs: number;
  /** Requests in flight per endpoint. */
  concurrencyPerEndpoint: number;
  /** How long the group waits for a silent member before moving its partitions (default 30 s). */
  sessionTimeoutMs?: number;
  /** Multiplies the retry delays (tests shrink the 5 s ... 10 h schedule); default 1. */
  retryDelayScale?: number;
  now?: () => number;
  random?: () => number;
  /** Called once when the dispatcher stops for good (it then stops itself). */
  onFatal?: (error: WaError) => void;
}

/** What the dispatcher has done since it started (tests and the benchmark read it). */
export interface DispatcherStats {
  attempts: number;
  delivered: number;
  retried: number;
  dead: number;
  parked: number;
}

interface PartitionState {
  partition: number;
  ready: Promise<void>;
  writer: TransactionalWriter | undefined;
  index: PendingIndex;
  /** Per topic, the next offset this process has not handled: a record before it is in a write already (committed or on its way). */
  handledTo: Map<string, bigint>;
  /** The last write queued; batches return before their transaction commits. */
  written: Promise<void>;
  /** Records queued in writes not yet committed. */
  unwritten: number;
  /** Set when a newer owner's writer fenced this one: the partition is no longer this process's to handle. */
  fenced: boolean;
}

/** Records a partition may have in writes not yet committed before its next batch waits for them. */
const MAX_UNWRITTEN = 10_000;

/** One delivery to handle, with its event decoded. */
interface Task {
  delivery: WebhookDelivery;
  event: WebhookEvent;
  key: string;
  /** The retry tier it was read from; null for a fresh event. */
  tier: number | null;
  /** The record it came from (the event's, or the retry topic's), for its span. */
  source: Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>;
}

/** Records one batch writes, in one transaction with its position. */
class Output {
  readonly retries = new Map<number, OutgoingRecord[]>();
  readonly dead: OutgoingRecord[] = [];
  readonly log: OutgoingRecord[] = [];
  /** Dead letters of the records that cannot be read. */
  readonly letters: OutgoingRecord[] = [];
}

/** Failure streak per endpoint, for disabling one that fails for days. */
interface Streak {
  firstFailureAt: number | null;
  consecutiveFailures: number;
}

/**
 * The webhooks role's engine. One consumer in the `wa-webhooks` group reads the event topics
 * and every retry topic; the co-partitioned assignment gives one member all of partition p, so
 * it alone decides about the deliveries of p's accounts.
 *
 * - A fresh event is attempted at once for each subscription that wants it. A failure goes to
 *   the retry topic of the next tier (5 s ... 10 h), then to the dead-letter topic.
 * - Order per chat per endpoint: while a delivery of a (subscription, chat) waits on a retry
 *   topic, later ones of that chat are parked behind it on the same topic with the same due
 *   time, and each is attempted only when it is the earliest still pending (PendingIndex).
 * - Each batch's retry, dead-letter and delivery-log records are written in one Kafka
 *   transaction together with the batch's position, so a crash repeats attempts (same
 *   `webhook-id`) but never loses or doubles a pending delivery. The batch does not wait for
 *   its transaction: the next fetch (and its POSTs) overlaps it, and the partition's writer
 *   commits what queued meanwhile in one transaction, in order.
 * - A retry topic's partition is paused until its next record is due; other partitions and
 *   endpoints go on.
 */
export class Dispatcher {
  readonly stats: DispatcherStats = { attempts: 0, delivered: 0, retried: 0, dead: 0, parked: 0 };
  /** Settles when the dispatcher stops: resolves on stop(), rejects with a fatal error. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private rejectDone!: (error: WaError) => void;
  private readonly states = new Map<number, PartitionState>();
  // One connection pool for every endpoint: a busy endpoint keeps its connections instead of a new one (and TLS handshake) per delivery.
  private readonly agents = deliveryAgents();
  private readonly tierOf: Map<string, number>;
  private readonly eventSchemaOf: Map<string, string>;
  private readonly limiter: EndpointLimiter;
  private readonly streaks = new Map<string, Streak>();
  private readonly secrets = new Map<string, { version: number; secret: string }>();
  private readonly resumeTimers = new Map<string, NodeJS.Timeout>();
  /** Subscriptions whose disabling is being written, so concurrent failures write it once. */
  private readonly disabling = new Set<string>();
  private readonly now: () => number;
  private readonly random: () => number;
  private consumer!: Consumer;
  private admin!: Admin;
  private fatal: WaError | undefined;
  private stopping: Promise<void> | undefined;
  /** Set by stop(): batches handed over from then on are left for the next owner. */
  private draining = false;
  /** Batches being handled, so stop() can let them finish before leaving the group. */
  private readonly active = new Set<Promise<void>>();

  private constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    if (options.topics.retries.length !== WEBHOOK_RETRY_TIERS.length) {
      throw new WaError('INVALID_ARGUMENT', `expected ${WEBHOOK_RETRY_TIERS.length} retry topics, got ${options.topics.retries.length}`);
    }
    this.tierOf = new Map(options.topics.retries.map((topic, tier) => [topic.name, tier]));
    this.eventSchemaOf = new Map(options.topics.events.map((topic) => [topic.name, topic.valueSchema ?? '']));
    this.limiter = new EndpointLimiter(options.concurrencyPerEndpoint);
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => undefined);
  }

  /** Waits for the subscription table, joins the group and starts delivering. */
  static async start(options: DispatcherOptions): Promise<Dispatcher> {
    const dispatcher = new Dispatcher(options);
    await options.subscriptions.caughtUp();
    const { kafka, topics } = options;
    const partitions = topics.events[0]?.partitions ?? 1;
    dispatcher.admin = kafka.admin();
    dispatcher.consumer = kafka.consumer({
      groupId: options.groupId,
      partitionAssigners: [CoPartitionedAssigner],
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 3)),
      // A resumed retry partition joins the next fetch: a short long-poll keeps that wait short.
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    dispatcher.consumer.on(dispatcher.consumer.events.GROUP_JOIN, (event) => dispatcher.assigned(event.payload.memberAssignment));
    try {
      await dispatcher.admin.connect();
      await runConsumer(dispatcher.consumer, {
        name: `webhooks group ${options.groupId}`,
        topics: [...topics.events, ...topics.retries].map((t) => t.name),
        fromBeginning: true,
        run: {
          autoCommit: false,
          eachBatchAutoResolve: false,
          // Every partition of every topic may be in hand at once: a slow endpoint holds only its own batches.
          partitionsConsumedConcurrently: partitions * (topics.events.length + topics.retries.length),
          eachBatch: (payload) => dispatcher.tracked(payload),
        },
        logger: options.logger,
        stopped: () => dispatcher.stopping !== undefined,
        onFatal: (error) => dispatcher.failWith(error),
      });
    } catch (error) {
      await dispatcher.admin.disconnect().catch(() => undefined);
      throw kafkaError(error, `starting webhooks group ${options.groupId}`);
    }
    return dispatcher;
  }

  /** Deliveries waiting on retry topics in the partitions this member owns. */
  pendingCount(): number {
    let count = 0;
    for (const state of this.states.values()) count += state.index.size;
    return count;
  }

  /** Leaves the group after the batches in hand are written; closes the writers. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const timer of this.resumeTimers.values()) clearTimeout(timer);
      this.resumeTimers.clear();
      try {
        // Written before leaving the group, so the next owner starts where this one ended instead of being fenced mid-write.
        this.draining = true;
        await Promise.allSettled([...this.active]);
        await Promise.allSettled([...this.states.values()].map((state) => state.written));
        await this.consumer.stop();
        await this.consumer.disconnect();
        for (const state of this.states.values()) await this.closeState(state);
        this.states.clear();
        destroyDeliveryAgents(this.agents);
        await this.admin.disconnect().catch(() => undefined);
      } finally {
        if (this.fatal) this.rejectDone(this.fatal);
        else this.resolveDone();
      }
    })();
    return this.stopping;
  }

  private failWith(error: WaError): void {
    if (this.fatal) return;
    this.fatal = error;
    this.options.logger.error({ err: error }, 'webhooks dispatcher stopping');
    this.options.onFatal?.(error);
    setImmediate(() => void this.stop());
  }

  // ---- ownership -------------------------------------------------------------------------

  private assigned(assignment: Record<string, number[]>): void {
    const owned = new Set(Object.values(assignment).flat());
    for (const [partition, state] of this.states) {
      // A fenced partition that is still (or again) ours is taken over afresh: its index and writer are stale.
      if (owned.has(partition) && !state.fenced) continue;
      this.states.delete(partition);
      void this.closeState(state);
    }
    const taken = [...owned]
      .filter((partition) => !this.states.has(partition))
      .map((partition): PartitionState => ({ partition, writer: undefined, index: new PendingIndex(), ready: Promise.resolve(), handledTo: new Map(), written: Promise.resolve(), unwritten: 0, fenced: false }));
    if (taken.length === 0) return;
    const ready = this.takeOver(taken);
    ready.catch((error: unknown) => this.failWith(toWaError(error)));
    for (const state of taken) {
      state.ready = ready;
      this.states.set(state.partition, state);
    }
  }

  /**
   * Takes over partitions: the transactional writers first (each fences the previous owner and
   * aborts its open transaction), then the pending deliveries, read in one pass from each retry
   * topic between the group's position and the end.
   */
  private async takeOver(states: readonly PartitionState[]): Promise<void> {
    const { kafka, groupId, logger, topics } = this.options;
    await Promise.all(
      states.map(async (state) => {
        state.writer = await TransactionalWriter.open({ kafka, transactionalId: `${this.options.transactionalIdPrefix ?? groupId}.${state.partition}`, consumerGroupId: groupId, logger });
      }),
    );
    const byPartition = new Map(states.map((state) => [state.partition, state]));
    const committed = await this.admin.fetchOffsets({ groupId, topics: [...topics.events, ...topics.retries].map((t) => t.name) });
    // The consumer read its positions when the group was formed, maybe before the previous
    // owner's last transaction committed; read now, after fencing it, they are final.
    for (const { topic, partitions } of committed) {
      for (const { partition, offset } of partitions) {
        if (byPartition.has(partition) && BigInt(offset) >= 0n) this.consumer.seek({ topic, partition, offset });
      }
    }
    const ranges: PartitionRange[] = [];
    for (const topic of topics.retries) {
      const positions = committed.find((c) => c.topic === topic.name)?.partitions ?? [];
      for (const end of await this.admin.fetchTopicOffsets(topic.name)) {
        if (!byPartition.has(end.partition)) continue;
        const position = positions.find((p) => p.partition === end.partition)?.offset;
        const from = position !== undefined && BigInt(position) >= 0n ? BigInt(position) : BigInt(end.low);
        ranges.push({ topic: topic.name, partition: end.partition, from, to: BigInt(end.high) });
      }
    }
    const controller = new AbortController();
    for await (const records of readRanges({ kafka, ranges, logger, signal: controller.signal, groupPrefix: `${groupId}-restore` })) {
      for (const record of records) {
        const task = this.retryTask(record);
        if (task === null) continue;
        byPartition.get(record.partition)!.index.put(task.key, { deliveryId: task.delivery.deliveryId, order: task.event.sequence, tier: task.tier!, notBefore: task.delivery.notBefore });
      }
    }
    for (const state of states) logger.info({ partition: state.partition, pending: state.index.size }, 'webhooks partition taken over');
  }

  private async closeState(state: PartitionState): Promise<void> {
    await state.ready.catch(() => undefined);
    await state.writer?.close();
    state.writer = undefined;
  }

  // ---- batches ---------------------------------------------------------------------------

  /** eachBatch: the batch, tracked for stop(); then a heartbeat, which also tells of a rebalance (it rejects, and the consumer rejoins). */
  private async tracked(payload: EachBatchPayload): Promise<void> {
    const work = this.batch(payload);
    this.active.add(work);
    try {
      await work;
    } finally {
      this.active.delete(work);
    }
    if (!this.fatal && !this.draining && payload.isRunning()) await payload.heartbeat();
  }

  private async batch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    const state = this.states.get(batch.partition);
    if (state === undefined || batch.messages.length === 0 || this.fatal || this.draining) return;
    await state.ready;
    if (!isRunning() || isStale() || this.draining || this.states.get(batch.partition) !== state || state.fenced) return;
    // After a rebalance that left the partition here, the group reads again from the last commit: what this process handled since is in a write already.
    const from = state.handledTo.get(batch.topic);
    const messages = from === undefined ? batch.messages : batch.messages.filter((message) => BigInt(message.offset) >= from);
    if (messages.length === 0) {
      resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
      return;
    }
    if (state.unwritten > MAX_UNWRITTEN) await state.written.catch(() => undefined);
    const ticker = setInterval(() => void heartbeat().catch(() => undefined), 2_000);
    try {
      const tier = this.tierOf.get(batch.topic);
      const records = messages.map((message) => consumedRecord(batch, message));
      const now = this.now();
      let handled = records;
      let dueAt: number | null = null;
      let tasks: Task[];
      const out = new Output();
      if (tier === undefined) {
        tasks = this.eventTasks(records, now, out.letters);
      } else {
        tasks = [];
        handled = [];
        for (const record of records) {
          const task = this.retryTask(record, out.letters);
          if (task !== null && task.delivery.notBefore > now) {
            dueAt = task.delivery.notBefore;
            break;
          }
          handled.push(record);
          if (task !== null) tasks.push(task);
        }
      }
      if (handled.length > 0) {
        await this.handleTasks(tasks, state, out);
        metrics.recordsProcessed.inc({ consumer: DEAD_LETTER_CONSUMER, topic: batch.topic }, handled.length);
        const last = handled[handled.length - 1]!.offset;
        // A batch handled whole moves the position past its trailing transaction markers too, so the group's lag reads 0 when caught up.
        const through = dueAt === null && handled.length === records.length ? batch.lastOffset() : last;
        state.handledTo.set(batch.topic, BigInt(through) + 1n);
        this.queueWrite(state, out, { topic: batch.topic, partition: batch.partition, offset: (BigInt(through) + 1n).toString() });
        resolveOffset(last);
      }
      if (dueAt !== null) this.pauseUntil(payload, dueAt);
    } catch (error) {
      // The index may now be ahead of what was written: only a fresh start is right.
      this.failWith(toWaError(error));
    } finally {
      clearInterval(ticker);
    }
  }

  /**
   * Queues a batch's records with its position in the partition's writer without waiting: the
   * writer commits them in order (with whatever queued meanwhile), so a committed position
   * always comes with every record handled before it.
   */
  private queueWrite(state: PartitionState, out: Output, position: ConsumerPosition): void {
    const batches = this.batchesOf(out);
    const count = batches.reduce((sum, batch) => sum + batch.records.length, 0);
    state.unwritten += count;
    state.written = state.writer!.write({ batches, positions: [position] }).then(
      () => {
        state.unwritten -= count;
      },
      (error: unknown) => this.writeFailed(state, error),
    );
  }

  /**
   * A transaction failed. Fenced means another member's writer for the partition took over (a
   * rebalance moved it): that owner repeats from the last commit, so this one only lets go.
   * A partition already handed over is let go whatever the error: its last writes may race the
   * new owner's fencing, which the broker can answer with an unexpected error instead of a
   * fencing one (seen on Kafka 4: "transition to ONGOING while it already a pending state
   * PREPARE_EPOCH_FENCE"). The new owner read the committed positions after fencing this
   * writer, and repeats whatever was not committed.
   * Anything else, or a fencing the group never explains, stops the dispatcher (the index may
   * be ahead of what was written).
   */
  private writeFailed(state: PartitionState, error: unknown): void {
    if (this.states.get(state.partition) !== state) {
      this.options.logger.warn({ err: error, partition: state.partition }, 'a write of a partition handed over failed: its new owner repeats it');
      return;
    }
    if (!isFencedError(error)) {
      this.failWith(toWaError(error));
      return;
    }
    if (state.fenced) return;
    state.fenced = true;
    this.options.logger.warn({ partition: state.partition }, 'webhooks writer fenced: another member took the partition over');
    const timer = setTimeout(() => {
      if (this.states.get(state.partition) === state) this.failWith(toWaError(error));
    }, this.options.sessionTimeoutMs ?? 30_000);
    timer.unref();
  }

  /** Stops fetching a retry partition until its next record is due. */
  private pauseUntil(payload: EachBatchPayload, dueAt: number): void {
    const { topic, partition } = payload.batch;
    const key = `${topic}:${partition}`;
    const resume = payload.pause();
    clearTimeout(this.resumeTimers.get(key));
    const timer = setTimeout(() => {
      this.resumeTimers.delete(key);
      resume();
    }, Math.max(0, dueAt - this.now()));
    this.resumeTimers.set(key, timer);
  }

  /** A fresh event's deliveries, one per subscription that wants it. */
  private eventTasks(records: readonly ConsumedRecord[], now: number, letters: OutgoingRecord[]): Task[] {
    const tasks: Task[] = [];
    const subscriptions = [...this.options.subscriptions.values()];
    for (const record of records) {
      if (record.value === null) continue;
      const event = this.decodeEvent(record.topic, record.value, record, letters);
      if (event === null) continue;
      for (const subscription of subscriptions) {
        if (!wantsEvent(subscription, event, record.timestamp)) continue;
        const delivery = firstDelivery({ ...record, value: record.value }, event, subscription.id, now);
        tasks.push({ delivery, event, key: orderingKey(subscription.id, delivery.accountId, delivery.chatJid), tier: null, source: record });
      }
    }
    return tasks;
  }

  /** A retry topic's record as a task; null (logged, and its dead letter added to `letters` when given) when it cannot be read. */
  private retryTask(record: ConsumedRecord, letters?: OutgoingRecord[]): Task | null {
    const tier = this.tierOf.get(record.topic);
    if (record.value === null || tier === undefined) return null;
    let delivery: WebhookDelivery;
    try {
      delivery = this.options.codec.decode<WebhookDelivery>(record.value, DELIVERY_SCHEMA).value;
    } catch (error) {
      this.options.logger.warn({ err: error, topic: record.topic, partition: record.partition, offset: record.offset }, 'webhook delivery record not decodable; skipped');
      letters?.push(deadLetterRecord(this.options.codec, record, DEAD_LETTER_CONSUMER, error, this.now()));
      return null;
    }
    const event = this.decodeEvent(delivery.sourceTopic, delivery.eventBytes, record, letters);
    if (event === null) return null;
    return { delivery, event, key: orderingKey(delivery.subscriptionId, delivery.accountId, delivery.chatJid), tier, source: record };
  }

  /** The event a record carries (itself, or a delivery's copy); null (logged, its letter added to `letters` when given) when it cannot be read. */
  private decodeEvent(sourceTopic: string, bytes: Buffer, record: ConsumedRecord, letters?: OutgoingRecord[]): WebhookEvent | null {
    const schema = this.eventSchemaOf.get(sourceTopic);
    try {
      if (!schema) throw new WaError('CODEC', `no event schema for topic ${sourceTopic}`);
      return this.options.codec.decode<WebhookEvent>(bytes, schema).value;
    } catch (error) {
      this.options.logger.warn({ err: error, topic: record.topic, partition: record.partition, offset: record.offset }, 'event not decodable; no delivery');
      letters?.push(deadLetterRecord(this.options.codec, record, DEAD_LETTER_CONSUMER, error, this.now()));
      return null;
    }
  }

  /** Handles tasks key by key: in order within a key, keys side by side. */
  private async handleTasks(tasks: readonly Task[], state: PartitionState, out: Output): Promise<void> {
    const byKey = new Map<string, Task[]>();
    for (const task of tasks) {
      const list = byKey.get(task.key);
      if (list) list.push(task);
      else byKey.set(task.key, [task]);
    }
    // An endpoint that failed in this batch is not called again in it: its remaining deliveries count a skipped attempt.
    const failing = new Set<string>();
    await Promise.all(
      [...byKey.values()].map(async (list) => {
        for (const task of list) await this.traced(task, (trace) => this.handle(task, state, out, failing, trace));
      }),
    );
  }

  /** A delivery's work in its own CONSUMER span, child of the trace its event carries; `work` gets the span's context to pass on. */
  private traced(task: Task, work: (trace: Context) => Promise<void>): Promise<void> {
    const { source, delivery } = task;
    const headers = delivery.traceparent ? { traceparent: delivery.traceparent } : {};
    return processRecord({ ...source, headers, messageId: delivery.eventId }, this.options.groupId, (_span, ctx) => work(ctx));
  }

  private async handle(task: Task, state: PartitionState, out: Output, failing: Set<string>, trace: Context): Promise<void> {
    const { delivery, key } = task;
    const { index } = state;
    const order = task.event.sequence;
    if (task.tier !== null && !index.has(delivery.deliveryId)) {
      // A delivery the index does not know: a redelivery queued by the API.
      index.put(key, { deliveryId: delivery.deliveryId, order, tier: task.tier, notBefore: delivery.notBefore });
    }
    const head = index.head(key);
    if (head !== undefined && head.deliveryId !== delivery.deliveryId) {
      this.stats.parked += 1;
      this.retry(out, head.tier, { ...delivery, notBefore: head.notBefore });
      index.put(key, { deliveryId: delivery.deliveryId, order, tier: head.tier, notBefore: head.notBefore });
      return;
    }
    const subscription = this.options.subscriptions.get(delivery.subscriptionId);
    const now = this.now();
    if (subscription === undefined) {
      index.remove(delivery.deliveryId);
      this.log(out, delivery, { outcome: 'CANCELLED', statusCode: null, latencyMs: 0, error: 'subscription deleted', at: now, nextAttemptAt: null });
      return;
    }
    if (!subscription.enabled) {
      this.dead(out, index, delivery, 'DEAD', { status: null, latencyMs: 0, error: `subscription disabled${subscription.disabledReason ? `: ${subscription.disabledReason}` : ''}` }, now);
      return;
    }

    let outcome: Pick<DeliveryOutcome, 'status' | 'latencyMs' | 'retryAfterSeconds' | 'error' | 'errorKind'>;
    if (failing.has(subscription.id)) {
      outcome = { status: null, latencyMs: 0, retryAfterSeconds: null, error: 'not attempted: the endpoint failed moments ago', errorKind: null };
    } else {
      outcome = await this.attempt(delivery, task.event, subscription, trace);
      this.stats.attempts += 1;
    }
    const at = this.now();
    const verdict = classifyResponse(outcome.status, outcome.errorKind);
    const error = outcome.error ?? (outcome.status !== null && verdict !== 'delivered' ? `HTTP ${outcome.status}` : null);
    switch (verdict) {
      case 'delivered':
        this.streaks.delete(subscription.id);
        index.remove(delivery.deliveryId);
        this.stats.delivered += 1;
        this.log(out, delivery, { outcome: 'DELIVERED', statusCode: outcome.status, latencyMs: outcome.latencyMs, error: null, at, nextAttemptAt: null });
        return;
      case 'gone':
        await this.disable(subscription, `410 Gone from endpoint`);
        this.dead(out, index, delivery, 'GONE', { status: outcome.status, latencyMs: outcome.latencyMs, error }, at);
        return;
      case 'retry': {
        failing.add(subscription.id);
        const streak = this.streaks.get(subscription.id) ?? { firstFailureAt: at, consecutiveFailures: 0 };
        streak.consecutiveFailures += 1;
        this.streaks.set(subscription.id, streak);
        if (shouldDisable({ firstFailureAt: streak.firstFailureAt, now: at, consecutiveFailures: streak.consecutiveFailures })) {
          const reason = `failing since ${new Date(streak.firstFailureAt ?? at).toISOString()} (${streak.consecutiveFailures} failures in a row)`;
          // Attempts in flight together fail together: the one that disables says so, the others die with it.
          const disabledNow = await this.disable(subscription, reason);
          const dropped = disabledNow ? error : `subscription disabled: ${this.options.subscriptions.get(subscription.id)?.disabledReason ?? reason}`;
          this.dead(out, index, delivery, disabledNow ? 'DISABLED' : 'DEAD', { status: outcome.status, latencyMs: outcome.latencyMs, error: dropped }, at);
          return;
        }
        const next = nextAttempt({ attempt: delivery.attempt, now: at, random: this.random(), retryAfterSeconds: outcome.retryAfterSeconds, status: outcome.status });
        if (next.kind === 'dead') {
          this.dead(out, index, delivery, 'DEAD', { status: outcome.status, latencyMs: outcome.latencyMs, error }, at);
          return;
        }
        const tier = WEBHOOK_RETRY_TIERS.findIndex((t) => t.label === next.tier);
        const notBefore = at + Math.round((next.notBefore - at) * (this.options.retryDelayScale ?? 1));
        this.stats.retried += 1;
        this.retry(out, tier, { ...delivery, attempt: delivery.attempt + 1, lastAttemptAt: at, notBefore, lastStatusCode: outcome.status, lastError: error });
        index.put(key, { deliveryId: delivery.deliveryId, order, tier, notBefore });
        this.log(out, delivery, { outcome: 'RETRYING', statusCode: outcome.status, latencyMs: outcome.latencyMs, error, at, nextAttemptAt: notBefore });
        return;
      }
      default: {
        const unknown: never = verdict;
        throw new WaError('INTERNAL', `unknown response class ${String(unknown)}`);
      }
    }
  }

  /** One signed POST, within the endpoint's concurrency limit; signed when its turn comes. */
  private async attempt(delivery: WebhookDelivery, event: WebhookEvent, subscription: WebhookSubscriptionValue, trace: Context): Promise<DeliveryOutcome> {
    let body: string;
    let secret: string;
    try {
      body = renderWebhookPayload(event, subscription.payloadFormat);
      secret = this.secretOf(subscription);
    } catch (error) {
      // Nothing an endpoint can change: retrying would fail the same way until the schedule ends.
      return { status: null, latencyMs: 0, retryAfterSeconds: null, error: `not sent: ${toWaError(error).message}`.slice(0, 200), errorKind: null, responseExcerpt: null };
    }
    return this.limiter.run(subscription.id, () =>
      // A CLIENT span per POST (HTTP conventions); the endpoint gets its traceparent, so its own work joins the trace.
      inSpan('POST', SpanKind.CLIENT, { 'http.request.method': 'POST' }, trace, async (span, ctx) => {
        // Parsing the URL for the span's attributes is only worth it when the span is exported.
        if (span.isRecording()) span.setAttributes(endpointAttributes(subscription.url));
        const signature = signWebhook({ id: delivery.eventId, timestamp: Math.floor(this.now() / 1000), body, secret });
        const headers: Record<string, string> = { ...signature, ...injectTraceHeaders(ctx) };
        const outcome = await attemptDelivery({ url: subscription.url, body, headers, timeoutMs: this.options.timeoutMs, allowPrivate: this.options.allowPrivate, agents: this.agents });
        if (outcome.status !== null) span.setAttribute('http.response.status_code', outcome.status);
        if (outcome.status === null || outcome.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, ...(outcome.error ? { message: outcome.error } : {}) });
        return outcome;
      }),
    );
  }

  private secretOf(subscription: WebhookSubscriptionValue): string {
    const cached = this.secrets.get(subscription.id);
    if (cached && cached.version === subscription.version) return cached.secret;
    const secret = this.options.box.open(subscription.secret, subscription.id).toString('utf8');
    this.secrets.set(subscription.id, { version: subscription.version, secret });
    return secret;
  }

  /** Disables a subscription (410, or failing for days); the subscription record says why. False when it already was. */
  private async disable(subscription: WebhookSubscriptionValue, reason: string): Promise<boolean> {
    const current = this.options.subscriptions.get(subscription.id);
    if (current === undefined || !current.enabled || this.disabling.has(subscription.id)) return false;
    this.disabling.add(subscription.id);
    try {
      const now = this.now();
      await this.options.subscriptions.write(
        { ...current, enabled: false, disabledReason: reason, updatedAt: now, version: current.version + 1 },
        'webhook.subscription.disabled',
      );
    } finally {
      this.disabling.delete(subscription.id);
    }
    this.streaks.delete(subscription.id);
    this.options.logger.warn({ subscriptionId: subscription.id, accountId: subscription.accountId, reason }, 'webhook subscription disabled');
    return true;
  }

  private dead(
    out: Output,
    index: PendingIndex,
    delivery: WebhookDelivery,
    outcome: Extract<AttemptOutcome, 'DEAD' | 'GONE' | 'DISABLED'>,
    result: { status: number | null; latencyMs: number; error: string | null },
    at: number,
  ): void {
    index.remove(delivery.deliveryId);
    this.stats.dead += 1;
    const value = { ...delivery, lastAttemptAt: at, lastStatusCode: result.status, lastError: result.error };
    out.dead.push(this.deliveryRecord(value, 'webhook.dead', at));
    this.log(out, delivery, { outcome, statusCode: result.status, latencyMs: result.latencyMs, error: result.error, at, nextAttemptAt: null });
  }

  private retry(out: Output, tier: number, delivery: WebhookDelivery): void {
    const list = out.retries.get(tier) ?? [];
    list.push(this.deliveryRecord(delivery, 'webhook.retry', this.now()));
    out.retries.set(tier, list);
  }

  private log(out: Output, delivery: WebhookDelivery, fields: Parameters<typeof attemptRecord>[1]): void {
    const value = attemptRecord(delivery, fields);
    // Every attempt's outcome passes here once: the delivery metrics count them.
    const outcome = fields.outcome.toLowerCase();
    metrics.webhookDeliveries.inc({ outcome });
    if (fields.statusCode !== null || fields.latencyMs > 0) metrics.webhookDuration.observe({ outcome }, fields.latencyMs / 1000);
    out.log.push({
      accountId: delivery.accountId,
      value: this.options.codec.encode(ATTEMPT_SCHEMA, value),
      headers: recordHeaders({ id: value.attemptId, type: 'webhook.attempt', source: SOURCE, time: fields.at, traceparent: delivery.traceparent }),
    });
  }

  private deliveryRecord(delivery: WebhookDelivery, type: string, at: number): OutgoingRecord {
    const headers = recordHeaders({ id: delivery.deliveryId, type, source: SOURCE, time: at, traceparent: delivery.traceparent });
    // The record's own timestamp is the broker's wall clock (the writer's default), whatever clock decides due times.
    return { accountId: delivery.accountId, value: this.options.codec.encode(DELIVERY_SCHEMA, delivery), headers };
  }

  private batchesOf(out: Output): TopicRecords[] {
    const { topics } = this.options;
    const batches: TopicRecords[] = [];
    for (const [tier, records] of [...out.retries].sort((a, b) => a[0] - b[0])) batches.push({ topic: topics.retries[tier]!, records });
    if (out.dead.length > 0) batches.push({ topic: topics.dlq, records: out.dead });
    if (out.log.length > 0) batches.push({ topic: topics.attempts, records: out.log });
    if (out.letters.length > 0) batches.push({ topic: topics.deadLetters, records: out.letters });
    return batches;
  }
}

/** Where a delivery goes, for its span: scheme, host and port only (a path or query may hold a token). */
function endpointAttributes(url: string): Record<string, string | number> {
  try {
    const parsed = new URL(url);
    const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
    return { 'url.scheme': parsed.protocol.replace(':', ''), 'server.address': parsed.hostname, 'server.port': port };
  } catch {
    return {};
  }
}
