import type { Kafka, Producer } from 'kafkajs';
import { CompressionTypes, Partitioners } from 'kafkajs';
import { sleep } from '../backoff.js';
import type { Logger } from '../logger.js';
import { WaError } from '../WaError.js';
import { BROKER_AWAY, brokerMayRecover, causes, kafkaError } from './kafkaClient.js';
import { recordKey, recordPartition, type TopicRecords } from './producer.js';

/** A consumer position to commit with the records: the next offset to read. */
export interface ConsumerPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** Records (of any topics) and the consumer positions that become visible together or not at all. */
export interface AtomicWrite {
  batches: readonly TopicRecords[];
  positions?: readonly ConsumerPosition[];
}

export interface TransactionalWriterOptions {
  kafka: Kafka;
  /** Stable per unit of ownership (e.g. per partition): a new writer with the same id fences the old one. */
  transactionalId: string;
  /** Group whose positions are committed inside the transactions. */
  consumerGroupId: string;
  logger: Logger;
}

/** Bytes of one partition's records per produce request of a transaction, well under the broker's 1 MB default. */
export const SEND_ROUND_BYTES = 512 * 1024;

interface OutgoingMessage {
  key: string | null;
  value: Buffer | null;
  partition: number;
  headers: Record<string, string>;
  timestamp: string;
}

/** A record's size on the wire, near enough: key, value, headers and a fixed overhead. */
function sizeOf(message: OutgoingMessage): number {
  let size = 70 + Buffer.byteLength(message.key ?? '') + (message.value?.length ?? 0);
  for (const [name, value] of Object.entries(message.headers)) size += Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
  return size;
}

/**
 * Splits a transaction's records into produce requests holding at most `limit` bytes per
 * partition (a record larger than that goes alone). Each partition's records keep their order
 * across the requests, which are sent one after another.
 */
export function sendRounds(topics: readonly { topic: string; messages: readonly OutgoingMessage[] }[], limit: number): { topic: string; messages: OutgoingMessage[] }[][] {
  const rounds: Map<string, OutgoingMessage[]>[] = [];
  for (const { topic, messages } of topics) {
    const filled = new Map<number, { round: number; bytes: number }>();
    for (const message of messages) {
      const size = sizeOf(message);
      let at = filled.get(message.partition) ?? { round: 0, bytes: 0 };
      if (at.bytes > 0 && at.bytes + size > limit) at = { round: at.round + 1, bytes: 0 };
      at.bytes += size;
      filled.set(message.partition, at);
      while (rounds.length <= at.round) rounds.push(new Map());
      const round = rounds[at.round]!;
      const list = round.get(topic);
      if (list) list.push(message);
      else round.set(topic, [message]);
    }
  }
  return rounds.map((round) => [...round].map(([topic, messages]) => ({ topic, messages })));
}

/** How long one group of writes is tried again while the broker is away (a restart) before the writer gives up (and its owner recovers). */
const RETRY_WINDOW_MS = 90_000;

/** A commit whose answer was lost: it may have happened, so its writes are not tried again. */
class CommitOutcomeUnknown extends WaError {}

interface Pending {
  write: AtomicWrite;
  resolve: () => void;
  reject: (error: WaError) => void;
}

/**
 * Transactional producers a writer takes turns with. A committed transaction's markers are
 * written after the commit answers; until they are, the coordinator refuses the same producer's
 * next transaction (CONCURRENT_TRANSACTIONS, retried with a backoff). Back to back on one
 * producer a one-record transaction took 30 ms on the 2-core machine, 12 ms taking turns with
 * two. One starts only once the other's commit answered, so records keep their order.
 */
const PRODUCERS = 2;

/** The transactional ids of a writer's producers: the writer's own, then `<id>.2`, `<id>.3` … */
export function producerIds(transactionalId: string): string[] {
  return Array.from({ length: PRODUCERS }, (_, i) => (i === 0 ? transactionalId : `${transactionalId}.${i + 1}`));
}

/**
 * Kafka transactions with group commit: writes queued while a transaction is in flight go
 * out together in the next one, on the next of the writer's producers in turn. Opening the
 * writer fences any earlier writer with the same transactional id (a connector that lost its
 * partitions cannot write after the new owner started) and aborts its unfinished transactions.
 * Consumer positions committed by later transactions win over earlier ones whichever
 * producer wrote them (the group coordinator keeps the commit appended last).
 */
export class TransactionalWriter {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private failure: WaError | undefined;
  private closed = false;
  /** The producer of the next transaction. */
  private turn = 0;
  /** Per producer: set when an abort failed (the broker away); kafkajs then refuses every new transaction of that producer. */
  private readonly stuck: boolean[];

  private constructor(
    private readonly producers: Producer[],
    private readonly options: TransactionalWriterOptions,
  ) {
    this.stuck = producers.map(() => false);
  }

  /** Connects and initialises the transactional producers (fencing earlier incarnations). */
  static async open(options: TransactionalWriterOptions): Promise<TransactionalWriter> {
    const opened = await Promise.allSettled(producerIds(options.transactionalId).map((id) => TransactionalWriter.connect(options, id)));
    const producers = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) {
      await Promise.all(producers.map((p) => p.disconnect().catch(() => undefined)));
      throw failed.reason;
    }
    return new TransactionalWriter(producers, options);
  }

  /** A connected transactional producer whose id is registered (fencing earlier incarnations). */
  private static async connect(options: TransactionalWriterOptions, transactionalId: string): Promise<Producer> {
    const producer = options.kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      transactionTimeout: 30_000,
      createPartitioner: Partitioners.JavaCompatiblePartitioner,
      // Short first retries: CONCURRENT_TRANSACTIONS right after a commit clears within milliseconds.
      retry: { retries: 10, initialRetryTime: 10, maxRetryTime: 2_000 },
    });
    try {
      await producer.connect();
      // kafkajs registers the transactional id (InitProducerId: fences the previous holder and
      // aborts its open transaction) only when the first transaction begins; do it now.
      const first = await producer.transaction();
      await first.commit();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw kafkaError(error, `opening transactional writer ${transactionalId}`);
    }
    return producer;
  }

  /** Queues a write; resolves once its transaction committed. After one failed transaction every write rejects. */
  write(write: AtomicWrite): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new WaError('SHUTTING_DOWN', `writer ${this.options.transactionalId} is closed`));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  /** The error that broke this writer, if any. */
  get failed(): WaError | undefined {
    return this.failure;
  }

  /** Waits for queued writes, then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await Promise.all(
      this.producers.map((producer) => producer.disconnect().catch((error: unknown) => this.options.logger.warn({ err: error }, 'transactional producer did not disconnect cleanly'))),
    );
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue;
        this.queue = [];
        try {
          await this.commitWithRetries(group.map((p) => p.write));
          for (const pending of group) pending.resolve();
        } catch (error) {
          this.failure = kafkaError(error, `transaction of ${this.options.transactionalId}`);
          this.options.logger.error({ err: this.failure, transactionalId: this.options.transactionalId }, 'transaction failed');
          for (const pending of [...group, ...this.queue]) pending.reject(this.failure);
          this.queue = [];
          return;
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /**
   * An aborted transaction leaves nothing visible, so after a failure the broker may get over
   * (a coordinator moving or still loading, the broker restarting) the same writes are simply
   * tried again in a new one.
   */
  private async commitWithRetries(writes: readonly AtomicWrite[]): Promise<void> {
    const started = Date.now();
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.commit(writes);
        return;
      } catch (error) {
        const final = error instanceof CommitOutcomeUnknown || isFencedError(error) || !brokerMayRecover(error);
        if (final || Date.now() - started > RETRY_WINDOW_MS) throw error;
        this.options.logger.warn({ err: error, transactionalId: this.options.transactionalId, attempt }, 'transaction aborted; trying again');
        await sleep(Math.min(50 * attempt, 1_000));
      }
    }
  }

  private async commit(writes: readonly AtomicWrite[]): Promise<void> {
    const byTopic = new Map<string, { topic: string; messages: OutgoingMessage[] }>();
    const positions = new Map<string, ConsumerPosition>();
    for (const write of writes) {
      for (const { topic, records } of write.batches) {
        let entry = byTopic.get(topic.name);
        if (!entry) byTopic.set(topic.name, (entry = { topic: topic.name, messages: [] }));
        for (const record of records) {
          entry.messages.push({
            key: recordKey(record),
            value: record.value,
            partition: recordPartition(record, topic),
            headers: record.headers,
            timestamp: String(record.timestamp ?? Date.now()),
          });
        }
      }
      for (const position of write.positions ?? []) {
        const key = `${position.topic}:${position.partition}`;
        const known = positions.get(key);
        if (!known || BigInt(position.offset) > BigInt(known.offset)) positions.set(key, position);
      }
    }
    if (this.stuck.includes(true)) await this.unstick();
    const turn = this.turn;
    this.turn = (turn + 1) % this.producers.length;
    const transaction = await this.producers[turn]!.transaction();
    let committing = false;
    try {
      // One transaction, several requests: a partition's records go out in slices the broker's
      // 1 MB record-batch limit accepts, in their order.
      for (const topicMessages of sendRounds([...byTopic.values()], SEND_ROUND_BYTES)) {
        await transaction.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
      }
      if (positions.size > 0) {
        const topics = new Map<string, { partition: number; offset: string }[]>();
        for (const position of positions.values()) {
          const list = topics.get(position.topic) ?? [];
          list.push({ partition: position.partition, offset: position.offset });
          topics.set(position.topic, list);
        }
        await transaction.sendOffsets({
          consumerGroupId: this.options.consumerGroupId,
          topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
        });
      }
      committing = true;
      await transaction.commit();
    } catch (error) {
      if (committing) {
        // A commit sent whose answer was lost may have happened: trying its writes again could write them twice.
        if (!commitNotSent(error)) throw new CommitOutcomeUnknown('KAFKA', `transaction of ${this.options.transactionalId}: commit outcome unknown`, { cause: error, retriable: false });
        this.stuck[turn] = true;
      } else {
        this.stuck[turn] = await transaction.abort().then(
          () => false,
          () => true,
        );
      }
      throw error;
    }
  }

  /**
   * Replaces each producer whose abort failed: a new producer with the same id aborts the
   * transaction the old one could not, before any later transaction is tried (its open
   * records would hold back every read_committed consumer of their partitions).
   */
  private async unstick(): Promise<void> {
    const ids = producerIds(this.options.transactionalId);
    for (const [i, stuck] of this.stuck.entries()) {
      if (!stuck) continue;
      await this.producers[i]!.disconnect().catch(() => undefined);
      this.producers[i] = await TransactionalWriter.connect(this.options, ids[i]!);
      this.stuck[i] = false;
    }
  }
}

const FENCING_ERRORS = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);

/** True when a failed commit never reached the coordinator, or the coordinator answered it with an error: nothing was committed. */
function commitNotSent(error: unknown): boolean {
  const name = (error as { name?: unknown }).name;
  return name === 'KafkaJSProtocolError' || BROKER_AWAY.has(name as string) || /ECONNREFUSED/.test(String((error as { message?: unknown }).message));
}

/** True when a write failed because a newer writer with the same transactional id took over. */
export function isFencedError(error: unknown): boolean {
  return causes(error).some((e) => FENCING_ERRORS.has((e as { type?: unknown }).type as string));
}
