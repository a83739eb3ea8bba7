import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { isRetriable, type Logger } from '../../shared/index.js';
import { consumedRecord, isFencedError, KafkaProducer, runConsumer } from '../../shared/kafka/index.js';
import type { AccountEnvironment } from './AccountRuntime.js';
import { PartitionOwner } from './PartitionOwner.js';

/** How long a fenced partition waits for the rebalance that moves it before it is taken back. */
const FENCED_RETAKE_MS = 20_000;
/** How long a partition whose takeover the broker refused (a retriable error) waits before the next try. */
const TAKE_RETRY_MS = 2_000;

export interface ConnectorOptions {
  kafka: Kafka;
  groupId: string;
  logger: Logger;
  environment: Omit<AccountEnvironment, 'write' | 'epoch'>;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Command results kept whole in memory per partition (older duplicates are answered from the topic). */
  resultCacheSize?: number;
  /** Called when the connector cannot go on (a partition's writer failed): the process should exit and restart. */
  onFatal: (error: unknown) => void;
}

/**
 * A member of the connector group: the partitions of wa.commands.v1 it is assigned are the
 * accounts it runs. A partition is taken over (fence, restore, reopen sessions) before its
 * commands are handled, and let go (sessions closed) when the assignment moves it away.
 */
export class Connector {
  private readonly owners = new Map<number, Promise<PartitionOwner>>();
  private assignment = Promise.resolve();
  private wanted = new Set<number>();
  private stopped = false;
  private memberId = '';

  private constructor(
    private readonly consumer: Consumer,
    private readonly markers: KafkaProducer,
    private readonly options: ConnectorOptions,
  ) {}

  /** Joins the group and starts handling commands. */
  static async start(options: ConnectorOptions): Promise<Connector> {
    const consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 1_000,
      rebalanceTimeout: 30_000,
      // Fetches wait at most 1 s, so a rebalance (sessions moving) is noticed quickly.
      maxWaitTimeInMs: 1_000,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    const markers = await KafkaProducer.connect(options.kafka, options.logger);
    const connector = new Connector(consumer, markers, options);
    const topic = options.environment.topics.commands.name;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      connector.memberId = event.payload.memberId;
      connector.assign(event.payload.memberAssignment[topic] ?? []);
    });
    try {
      await runConsumer(consumer, {
        name: 'the connector consumer',
        topics: [topic],
        fromBeginning: true,
        run: {
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: options.environment.topics.commands.partitions,
          eachBatch: (payload) => connector.handleBatch(payload),
        },
        logger: options.logger,
        stopped: () => connector.stopped,
        onFatal: options.onFatal,
      });
    } catch (error) {
      await markers.disconnect().catch(() => undefined);
      throw error;
    }
    return connector;
  }

  /** Partitions currently owned. */
  ownedPartitions(): number[] {
    return [...this.owners.keys()].sort((a, b) => a - b);
  }

  /** Accounts currently owned (restored partitions only). */
  async ownedAccounts(): Promise<string[]> {
    return (await this.takenOwners()).flatMap((o) => o.accountIds()).sort();
  }

  /** The state of every session this connector runs (restored partitions only), for the sessions metric. */
  async sessionStates(): Promise<string[]> {
    return (await this.takenOwners()).flatMap((o) => o.sessionStates());
  }

  /** The owners whose takeover succeeded. */
  private async takenOwners(): Promise<PartitionOwner[]> {
    const owners = await Promise.all([...this.owners.values()].map((o) => o.catch(() => null)));
    return owners.filter((o): o is PartitionOwner => o !== null);
  }

  /** Resolves once the latest assignment has been applied (partitions taken over or let go). */
  settled(): Promise<void> {
    return this.assignment;
  }

  private assign(partitions: number[]): void {
    this.wanted = new Set(partitions);
    this.assignment = this.assignment.then(async () => {
      const lost = [...this.owners.keys()].filter((p) => !this.wanted.has(p));
      await Promise.all(lost.map((p) => this.letGo(p, 'rebalanced')));
      for (const partition of this.wanted) if (!this.owners.has(partition)) this.take(partition);
      await Promise.allSettled(this.owners.values());
      this.options.logger.info({ partitions: this.ownedPartitions() }, 'connector assignment applied');
    });
  }

  private take(partition: number): void {
    const owner = PartitionOwner.take({
      kafka: this.options.kafka,
      partition,
      groupId: this.options.groupId,
      logger: this.options.logger,
      environment: this.options.environment,
      ...(this.options.resultCacheSize === undefined ? {} : { resultCacheSize: this.options.resultCacheSize }),
      memberId: () => this.memberId,
      markers: this.markers,
    });
    owner.then(
      (o) => (o.onFailure = (error) => (isFencedError(error) ? this.fenced(partition) : this.recover(partition))),
      (error: unknown) => {
        // A broker still loading its coordinators (just started, or busy) refuses for a while: try again, do not die.
        if (this.stopped || !isRetriable(error)) {
          this.options.onFatal(error);
          return;
        }
        this.options.logger.warn({ err: error, partition }, 'taking the partition over failed; trying again');
        const timer = setTimeout(() => {
          if (!this.stopped && this.wanted.has(partition) && this.owners.get(partition) === owner) this.recover(partition);
        }, TAKE_RETRY_MS);
        timer.unref();
      },
    );
    this.owners.set(partition, owner);
  }

  /**
   * Another connector took the partition over (it fenced our writer): a rebalance is under
   * way, so let the partition go and wait for the new assignment instead of fighting back.
   */
  private fenced(partition: number): void {
    this.assignment = this.assignment.then(() => this.letGo(partition, 'rebalanced'));
    // Should no new assignment come (the fencer was a stale member), take it back later.
    const timer = setTimeout(() => {
      if (!this.stopped && this.wanted.has(partition) && !this.owners.has(partition)) this.recover(partition);
    }, FENCED_RETAKE_MS);
    timer.unref();
  }

  /**
   * A partition's writer failed: fenced by a new owner during a rebalance, or the broker
   * refused a transaction. Let the partition go; if it is still ours, take it over again and
   * read its commands again from the last committed position (finished ones answer from
   * their recorded results).
   */
  private recover(partition: number): void {
    this.assignment = this.assignment.then(async () => {
      await this.letGo(partition, 'rebalanced');
      if (this.stopped || !this.wanted.has(partition)) return;
      this.take(partition);
      // A take that fails is handled by take's own handler (tried again later, or fatal).
      if ((await this.owners.get(partition)!.catch(() => null)) === null) return;
      const topic = this.options.environment.topics.commands.name;
      const admin = this.options.kafka.admin();
      try {
        await admin.connect();
        const [offsets] = await admin.fetchOffsets({ groupId: this.options.groupId, topics: [topic] });
        const committed = offsets?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        this.consumer.seek({ topic, partition, offset: committed === '-1' ? '0' : committed });
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      this.options.logger.warn({ partition }, 'partition taken over again after a writer failure');
    }).catch((error: unknown) => this.options.onFatal(error));
  }

  private async letGo(partition: number, reason: 'rebalanced' | 'shutdown'): Promise<void> {
    const owner = this.owners.get(partition);
    this.owners.delete(partition);
    if (!owner) return;
    try {
      await (await owner).release(reason);
    } catch (error) {
      this.options.logger.warn({ err: error, partition }, 'letting a partition go failed');
    }
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    // Taking partitions over can take longer than the session timeout (a big restore, a handover wait).
    await heartbeatUntil(this.assignment, heartbeat);
    const pending = this.owners.get(batch.partition);
    // Not ours (any more): leave the offsets unresolved so the owner reads them.
    if (!pending) return;
    // A takeover the broker refused is tried again (take's handler): leave the offsets for that owner.
    const owner = await pending.catch(() => null);
    if (owner === null) return;
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || this.stopped) return;
      owner.dispatch(consumedRecord(batch, message));
      resolveOffset(message.offset);
    }
    await heartbeat();
  }

  /** Stops consuming, finishes running commands, closes every session and leaves the group. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.consumer.stop().catch(() => undefined);
    await this.assignment.catch(() => undefined);
    await Promise.all([...this.owners.keys()].map((p) => this.letGo(p, 'shutdown')));
    await this.consumer.disconnect().catch(() => undefined);
    await this.markers.disconnect().catch(() => undefined);
  }
}

/** Awaits `work`, heartbeating the group every second meanwhile so a long wait does not cost the membership. */
async function heartbeatUntil(work: Promise<unknown>, heartbeat: () => Promise<void>): Promise<void> {
  let done = false;
  const finished = work.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000)))]);
    clearTimeout(timer);
    if (!done) await heartbeat();
  }
}
