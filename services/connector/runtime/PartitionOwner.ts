import type { Kafka } from 'kafkajs';
import type { Logger } from '../../shared/index.js';
import { WaError } from '../../shared/index.js';
import { metrics } from '../../shared/ops/index.js';
import { processRecord } from '../../shared/tracing/index.js';
import {
  COMMAND_OFFSET_HEADER,
  deadLetterRecord,
  followPartition,
  isFencedError,
  readPartitionsToEnd,
  recordHeaders,
  TransactionalWriter,
  type ConsumedRecord,
  type ConsumerPosition,
  type KafkaProducer,
  type OutgoingRecord,
} from '../../shared/kafka/index.js';
import { parseSessionStateKey } from '../sessionState/index.js';
import { settlesCommand, type ResultOutcome } from '../../shared/commands/index.js';
import type { CommandValue } from '../commands/index.js';
import { AccountRuntime, type AccountEnvironment, type CommandOutcome } from './AccountRuntime.js';
import { CommandResultIndex, type KnownResult } from './CommandResultIndex.js';
import { CONNECTOR_SOURCE } from './ConnectorTopics.js';
import { OffsetTracker } from './OffsetTracker.js';
import { isLeaseKey, PartitionLease } from './PartitionLease.js';

/** How long a new owner waits for the previous one, still in the group, to close the partition's sessions. */
const HANDOVER_TIMEOUT_MS = 30_000;

/**
 * A result carries the commands' consumer position at most this often; in between the position
 * waits for a later result or goes out on its own when this time is up. A command read again
 * after a crash (its result written, the position not yet) is answered from that result.
 */
const POSITION_EVERY_MS = 500;

/** Who gives up on a record, in the dead letters. */
const DEAD_LETTER_CONSUMER = 'connector';

/** Headers of a command's result: its id and type, and the offset of the command record it answers. */
function resultHeaders(command: CommandValue, time: number, offset: string): Record<string, string> {
  return { ...recordHeaders({ id: command.commandId, type: command.type, source: CONNECTOR_SOURCE, time }), [COMMAND_OFFSET_HEADER]: offset };
}

export interface PartitionOwnerOptions {
  kafka: Kafka;
  partition: number;
  groupId: string;
  logger: Logger;
  /** What every account of the partition shares; `write` and `epoch` are filled in here. */
  environment: Omit<AccountEnvironment, 'write' | 'epoch'>;
  /** Results kept whole in memory for duplicates; older ones are read back from the topic. */
  resultCacheSize?: number;
  /** This connector's consumer-group member id (the lease holder). */
  memberId: () => string;
  /** A plain producer for the lease's released marker, which must get out even after the writer was fenced. */
  markers: KafkaProducer;
}

/**
 * Everything this connector runs for one partition of the account topics: a fenced
 * transactional writer, the accounts restored from wa.session-state.v1, the first result of
 * every command (restored from wa.command-results.v1), and command dispatch per account.
 */
export class PartitionOwner {
  private readonly accounts = new Map<string, AccountRuntime>();
  private readonly results: CommandResultIndex;
  private readonly tracker = new OffsetTracker();
  private writer!: TransactionalWriter;
  private environment!: AccountEnvironment;
  private released = false;
  private lease!: PartitionLease;
  /** The member id under which this owner marked the lease held, once it did. */
  private holder: string | null = null;
  /** The offset after the last session-state record read during the restore. */
  private sessionStateNext = 0n;
  /** Letters of the session-state entries the restore could not read; written with the lease. */
  private unreadable: OutgoingRecord[] = [];
  /** When (Date.now()) a result may carry the consumer position again. */
  private positionDueAt = 0;
  /** Commits the position on its own when no result carried it in time. */
  private positionTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly options: PartitionOwnerOptions) {
    this.results = new CommandResultIndex({
      retentionMs: options.environment.topics.commandResults.retentionMs,
      ...(options.resultCacheSize === undefined ? {} : { cacheSize: options.resultCacheSize }),
    });
  }

  /** Takes the partition over: fences the previous owner, restores state, reopens sessions. */
  static async take(options: PartitionOwnerOptions): Promise<PartitionOwner> {
    const owner = new PartitionOwner(options);
    await owner.restore();
    return owner;
  }

  get partition(): number {
    return this.options.partition;
  }

  /** Accounts with a record of existence in this partition. */
  accountIds(): string[] {
    return [...this.accounts.values()].filter((a) => a.meta.exists).map((a) => a.accountId);
  }

  /** The state of each account's session (accounts that exist), for the sessions metric. */
  sessionStates(): string[] {
    return [...this.accounts.values()].filter((a) => a.meta.exists).map((a) => a.view().state.toLowerCase());
  }

  private async restore(): Promise<void> {
    const { kafka, partition, environment, logger } = this.options;
    const topics = environment.topics;
    const started = Date.now();
    this.writer = await TransactionalWriter.open({
      kafka,
      transactionalId: `${topics.commands.name}.connector.p${partition}`,
      consumerGroupId: this.options.groupId,
      logger,
    });
    const epoch = Date.now();
    this.environment = { ...environment, epoch, write: (write) => this.writer.write(write) };
    this.lease = new PartitionLease({ partition, partitions: topics.sessionState.partitions, box: environment.box, codec: environment.codec, epoch: () => epoch, now: environment.now });
    const records = await readPartitionsToEnd({
      kafka,
      partitions: new Map([
        [topics.sessionState.name, [partition]],
        [topics.commandResults.name, [partition]],
      ]),
      onRecord: (record) => this.restoreRecord(record),
      logger,
    });
    for (const account of this.accounts.values()) account.finishRestore();
    await this.awaitHandover();
    const holder = this.options.memberId();
    const letters = this.unreadable.length > 0 ? [{ topic: topics.deadLetters, records: this.unreadable }] : [];
    await this.writer.write({ batches: [{ topic: topics.sessionState, records: [this.lease.record(holder, 'held')] }, ...letters] });
    this.unreadable = [];
    this.holder = holder;
    logger.info({ partition, records, accounts: this.accountIds().length, ms: Date.now() - started }, 'partition restored');
    for (const account of this.accounts.values()) {
      await account.resume().catch((error: unknown) => logger.error({ err: error, accountId: account.accountId }, 'reopening the session failed'));
    }
  }

  private restoreRecord(record: ConsumedRecord): void {
    if (record.key === null) return;
    if (record.topic === this.options.environment.topics.sessionState.name) {
      this.sessionStateNext = BigInt(record.offset) + 1n;
      try {
        if (isLeaseKey(record.key)) {
          this.lease.restore({ key: record.key, value: record.value, headers: record.headers });
          return;
        }
        const { accountId } = parseSessionStateKey(record.key);
        this.account(accountId).restore({ key: record.key, value: record.value, headers: record.headers });
      } catch (error) {
        // An entry sealed with another key (INVALID_CONFIG) stops the takeover: every entry would fail alike.
        if (!(error instanceof WaError) || error.code !== 'CODEC') throw error;
        this.options.logger.error({ err: error, partition: this.partition, offset: record.offset }, 'unreadable session-state entry moved to the dead letters');
        this.unreadable.push(deadLetterRecord(this.options.environment.codec, record, DEAD_LETTER_CONSUMER, error, this.now()));
      }
      return;
    }
    if (record.value === null) return;
    const commandId = record.headers['ce_id'];
    const offset = record.headers[COMMAND_OFFSET_HEADER];
    if (commandId && offset && this.settles(record.value, record.offset)) this.results.remember(commandId, offset, record.value, record.timestamp);
  }

  /** Whether a result record answers its command for good; one that cannot be read does not (the command may run again). */
  private settles(value: Buffer, offset: string): boolean {
    try {
      return settlesCommand(this.options.environment.codec.decode<ResultOutcome>(value, 'wa.commands.CommandResult').value);
    } catch (error) {
      this.options.logger.warn({ err: error, partition: this.partition, offset }, 'unreadable command result skipped');
      return false;
    }
  }

  /**
   * Waits until the previous owner, when it is still a member of the group, has closed the
   * partition's sessions and marked the lease released (bounded: a stuck owner is given up on,
   * its writer is fenced already). A previous owner that left the group (stopped, crashed) has
   * no open socket to wait for.
   */
  private async awaitHandover(): Promise<void> {
    const lease = this.lease.current();
    const me = this.options.memberId();
    if (lease === null || lease.state === 'released' || lease.holder === me) return;
    if (!(await this.isGroupMember(lease.holder))) return;
    const { kafka, partition, logger, environment } = this.options;
    const started = Date.now();
    const released = await followPartition({
      kafka,
      topic: environment.topics.sessionState.name,
      partition,
      from: this.sessionStateNext.toString(),
      timeoutMs: HANDOVER_TIMEOUT_MS,
      logger,
      onRecord: (record) => {
        if (record.key === null || !isLeaseKey(record.key)) return false;
        this.lease.restore({ key: record.key, value: record.value, headers: record.headers });
        const now = this.lease.current();
        return now !== null && (now.state === 'released' || now.holder !== lease.holder);
      },
    });
    if (released) logger.info({ partition, previous: lease.holder, ms: Date.now() - started }, 'previous owner closed its sessions');
    else logger.warn({ partition, previous: lease.holder, ms: Date.now() - started }, 'previous owner did not release the partition in time; taking it over');
  }

  private async isGroupMember(memberId: string): Promise<boolean> {
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      const { groups } = await admin.describeGroups([this.options.groupId]);
      return groups[0]?.members.some((m) => m.memberId === memberId) ?? false;
    } catch (error) {
      // Unknown membership: waiting (bounded) is the safe side.
      this.options.logger.warn({ err: error, partition: this.partition }, 'describing the connector group failed');
      return true;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private account(accountId: string): AccountRuntime {
    let account = this.accounts.get(accountId);
    if (!account) {
      account = new AccountRuntime(accountId, this.environment);
      this.accounts.set(accountId, account);
    }
    return account;
  }

  /**
   * Takes one command record into work: it runs after the account's earlier commands, and its
   * result is written together with the consumer position. Returns at once.
   */
  dispatch(record: ConsumedRecord): void {
    if (this.released) throw new WaError('SHUTTING_DOWN', `partition ${this.partition} was released`);
    if (this.tracker.seen(record.offset)) return;
    this.tracker.dispatched(record.offset);
    metrics.recordsProcessed.inc({ consumer: DEAD_LETTER_CONSUMER, topic: record.topic });
    let command: CommandValue;
    try {
      command = this.options.environment.codec.decode<CommandValue>(record.value ?? Buffer.alloc(0), 'wa.commands.Command').value;
      if (command.commandId === '' || command.accountId === '') throw new WaError('INVALID_ARGUMENT', 'a command needs a commandId and an accountId');
    } catch (error) {
      // A record that is not a command cannot be answered (no id): its letter goes out with the position past it.
      this.options.logger.error({ err: error, partition: this.partition, offset: record.offset }, 'unreadable command moved to the dead letters');
      this.complete(record.offset, deadLetterRecord(this.options.environment.codec, record, DEAD_LETTER_CONSUMER, error, this.now()));
      return;
    }
    const known = this.results.find(command.commandId);
    if (known) {
      this.replay(command, known, record.offset, record);
      return;
    }
    this.run(command, record.offset, record);
  }

  /**
   * Executes a command after the account's earlier ones and writes its result with the consumer
   * position, in a CONSUMER span under the trace the command record carries (the API request's):
   * the events and the result it writes continue that trace.
   */
  private run(command: CommandValue, offset: string, record: Pick<ConsumedRecord, 'topic' | 'partition' | 'offset' | 'headers'>): void {
    const account = this.account(command.accountId);
    const traced = { ...record, messageId: command.commandId };
    void account
      .enqueue(() => processRecord(traced, this.options.groupId, async () => {
        if (this.released) return;
        // Another copy of the command (a client's retry) may have run while this one waited in the account's queue.
        const known = this.results.find(command.commandId);
        if (known && (await this.answerAgain(command, known, offset))) return;
        const started = this.now();
        const outcome = await account.runCommand(command);
        metrics.commandsExecuted.inc({ type: command.type, outcome: outcome.status.toLowerCase() });
        const result = this.resultRecord(command, outcome, offset, this.now() - started);
        this.tracker.completed(offset);
        await account.emit(outcome.events, {
          correlationId: command.correlationId,
          extra: [{ topic: this.options.environment.topics.commandResults, records: [result] }],
          positions: this.duePositions(),
        });
        // A command that never started (expired, or refused for now) runs again when a copy comes.
        if (settlesCommand(outcome)) this.results.remember(command.commandId, offset, result.value!, result.timestamp ?? this.now());
        this.results.expire(this.now());
      }))
      .catch((error: unknown) => this.fail(error));
  }

  /**
   * A command id seen before: the same record again (after a crash) needs nothing; a new record
   * gets the first result, marked replayed. A result no longer cached is read back from the
   * topic; one that is gone (past retention) lets the command run as new.
   */
  private replay(command: CommandValue, known: KnownResult, offset: string, record: Pick<ConsumedRecord, 'topic' | 'partition' | 'offset' | 'headers'>): void {
    void this.account(command.accountId)
      .enqueue(() => this.answerAgain(command, known, offset))
      .then((answered) => {
        if (!answered) this.run(command, offset, record);
      })
      .catch((error: unknown) => this.fail(error));
  }

  /** Answers a command seen before with its first result (run in the account's queue); false when that result is gone. */
  private async answerAgain(command: CommandValue, known: KnownResult, offset: string): Promise<boolean> {
    if (known.offset === offset) {
      this.tracker.completed(offset);
      await this.writer.write({ batches: [], positions: this.positions() });
      return true;
    }
    const codec = this.options.environment.codec;
    const value = known.value ?? (await this.readResult(command.commandId));
    if (value === null) return false;
    this.tracker.completed(offset);
    const first = codec.decode<Record<string, unknown>>(value, 'wa.commands.CommandResult').value;
    const replayed = codec.encode('wa.commands.CommandResult', { ...first, replayed: true });
    const record: OutgoingRecord = { accountId: command.accountId, value: replayed, headers: resultHeaders(command, this.now(), offset) };
    await this.writer.write({ batches: [{ topic: this.options.environment.topics.commandResults, records: [record] }], positions: this.positions() });
    return true;
  }

  /** Reads a command's first settling result back from this partition of wa.command-results.v1, or null. */
  private async readResult(commandId: string): Promise<Buffer | null> {
    let found: Buffer | null = null;
    await readPartitionsToEnd({
      kafka: this.options.kafka,
      partitions: new Map([[this.options.environment.topics.commandResults.name, [this.partition]]]),
      onRecord: (record) => {
        if (found === null && record.value !== null && record.headers['ce_id'] === commandId && record.headers[COMMAND_OFFSET_HEADER] && this.settles(record.value, record.offset)) found = record.value;
      },
      logger: this.options.logger,
    });
    return found;
  }

  /** Moves past a record that runs nothing, writing its dead letter in the same transaction. */
  private complete(offset: string, letter: OutgoingRecord): void {
    this.tracker.completed(offset);
    const batches = [{ topic: this.options.environment.topics.deadLetters, records: [letter] }];
    void this.writer.write({ batches, positions: this.positions() }).catch((error: unknown) => this.fail(error));
  }

  /**
   * The position for a result's transaction: the current one when due, else none and a timer
   * that commits it on its own (two requests fewer in most results' transactions).
   */
  private duePositions(): ConsumerPosition[] {
    const now = Date.now();
    if (now >= this.positionDueAt) {
      this.positionDueAt = now + POSITION_EVERY_MS;
      return this.positions();
    }
    this.positionTimer ??= setTimeout(() => {
      this.positionTimer = undefined;
      if (this.released) return;
      this.positionDueAt = Date.now() + POSITION_EVERY_MS;
      void this.writer.write({ batches: [], positions: this.positions() }).catch((error: unknown) => this.fail(error));
    }, this.positionDueAt - now).unref();
    return [];
  }

  private positions(): ConsumerPosition[] {
    const position = this.tracker.position();
    return position === null ? [] : [{ topic: this.options.environment.topics.commands.name, partition: this.partition, offset: position }];
  }

  private resultRecord(command: CommandValue, outcome: CommandOutcome, offset: string, durationMs: number): OutgoingRecord {
    const completedAt = this.now();
    const value = this.options.environment.codec.encode('wa.commands.CommandResult', {
      commandId: command.commandId,
      accountId: command.accountId,
      type: command.type,
      status: outcome.status,
      completedAt,
      error: outcome.error,
      result: outcome.status === 'SUCCEEDED' ? outcome.result : null,
      eventIds: [...outcome.written, ...outcome.events].map((e) => e.eventId),
      durationMs,
      correlationId: command.correlationId,
      replayed: false,
    });
    return {
      accountId: command.accountId,
      value,
      headers: resultHeaders(command, completedAt, offset),
      timestamp: completedAt,
    };
  }

  private now(): number {
    return this.options.environment.now();
  }

  private fail(error: unknown): void {
    if (this.released) return;
    if (isFencedError(error)) this.options.logger.info({ partition: this.partition }, 'partition fenced by its new owner');
    else this.options.logger.error({ err: error, partition: this.partition }, 'partition writer failed; giving the partition up');
    this.onFailure?.(error);
  }

  /** Called when a write failed (fenced, or the broker refused): the connector must let the partition go. */
  onFailure: ((error: unknown) => void) | undefined;

  /** Lets the partition go: finishes running commands, closes sessions, closes the writer. */
  async release(reason: 'rebalanced' | 'shutdown', drainMs = 5_000): Promise<void> {
    if (this.released) return;
    const drained = Promise.all([...this.accounts.values()].map((a) => a.drained()));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)))]);
    clearTimeout(timer);
    this.released = true;
    clearTimeout(this.positionTimer);
    // The position no result carried yet, so the next owner does not read those commands again.
    const positions = this.positions();
    if (positions.length > 0) await this.writer.write({ batches: [], positions }).catch(() => undefined);
    await Promise.all([...this.accounts.values()].map((a) => a.release(reason)));
    if (this.holder !== null) {
      // Every socket is closed: tell a waiting new owner. Plain produce, since our writer may be fenced.
      await this.options.markers
        .send(this.options.environment.topics.sessionState, [this.lease.record(this.holder, 'released')])
        .catch((error: unknown) => this.options.logger.warn({ err: error, partition: this.partition }, 'marking the partition released failed'));
    }
    await this.writer.close();
  }
}
