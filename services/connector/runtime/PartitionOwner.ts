import type { Kafka } from 'kafkajs';
import type { Logger } from '../../shared/index.js';
import { WaError } from '../../shared/index.js';
import { isFencedError, readPartitionsToEnd, recordHeaders, TransactionalWriter, type ConsumedRecord, type OutgoingRecord } from '../../shared/kafka/index.js';
import { parseSessionStateKey } from '../sessionState/index.js';
import type { CommandValue } from '../commands/index.js';
import { AccountRuntime, type AccountEnvironment, type CommandOutcome } from './AccountRuntime.js';
import { CONNECTOR_SOURCE } from './ConnectorTopics.js';
import { OffsetTracker } from './OffsetTracker.js';

/** Header on a result naming the offset of the command record it answers. */
export const COMMAND_OFFSET_HEADER = 'wa_command_offset';

/** Headers of a command's result: its id and type, and the offset of the command record it answers. */
function resultHeaders(command: CommandValue, time: number, offset: string): Record<string, string> {
  return { ...recordHeaders({ id: command.commandId, type: command.type, source: CONNECTOR_SOURCE, time }), [COMMAND_OFFSET_HEADER]: offset };
}

interface KnownResult {
  /** Offset of the command record that produced it. */
  offset: string;
  value: Buffer;
}

export interface PartitionOwnerOptions {
  kafka: Kafka;
  partition: number;
  groupId: string;
  logger: Logger;
  /** What every account of the partition shares; `write` and `epoch` are filled in here. */
  environment: Omit<AccountEnvironment, 'write' | 'epoch'>;
}

/**
 * Everything this connector runs for one partition of the account topics: a fenced
 * transactional writer, the accounts restored from wa.session-state.v1, the first result of
 * every command (restored from wa.command-results.v1), and command dispatch per account.
 */
export class PartitionOwner {
  private readonly accounts = new Map<string, AccountRuntime>();
  private readonly results = new Map<string, KnownResult>();
  private readonly tracker = new OffsetTracker();
  private writer!: TransactionalWriter;
  private environment!: AccountEnvironment;
  private released = false;

  private constructor(private readonly options: PartitionOwnerOptions) {}

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
    logger.info({ partition, records, accounts: this.accountIds().length, ms: Date.now() - started }, 'partition restored');
    for (const account of this.accounts.values()) {
      await account.resume().catch((error: unknown) => logger.error({ err: error, accountId: account.accountId }, 'reopening the session failed'));
    }
  }

  private restoreRecord(record: ConsumedRecord): void {
    if (record.key === null) return;
    if (record.topic === this.options.environment.topics.sessionState.name) {
      const { accountId } = parseSessionStateKey(record.key);
      this.account(accountId).restore({ key: record.key, value: record.value, headers: record.headers });
      return;
    }
    if (record.value === null) return;
    const commandId = record.headers['ce_id'];
    const offset = record.headers[COMMAND_OFFSET_HEADER];
    if (commandId && offset && !this.results.has(commandId)) this.results.set(commandId, { offset, value: record.value });
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
    let command: CommandValue;
    try {
      command = this.options.environment.codec.decode<CommandValue>(record.value ?? Buffer.alloc(0), 'wa.commands.Command').value;
    } catch (error) {
      // A record that is not a command cannot be answered (no id); skip it, loudly.
      this.options.logger.error({ err: error, partition: this.partition, offset: record.offset }, 'undecodable command skipped');
      this.complete(record.offset);
      return;
    }
    const known = this.results.get(command.commandId);
    if (known) {
      this.replay(command, known, record.offset);
      return;
    }
    const account = this.account(command.accountId);
    void account
      .enqueue(async () => {
        if (this.released) return;
        const started = this.now();
        const outcome = await account.runCommand(command);
        const result = this.resultRecord(command, outcome, record.offset, this.now() - started);
        this.tracker.completed(record.offset);
        await account.emit(outcome.events, {
          correlationId: command.correlationId,
          extra: [{ topic: this.options.environment.topics.commandResults, records: [result] }],
          positions: this.positions(),
        });
        this.results.set(command.commandId, { offset: record.offset, value: result.value! });
      })
      .catch((error: unknown) => this.fail(error));
  }

  /** A command id seen before: the same record again (after a crash) needs nothing; a new record gets the first result, marked replayed. */
  private replay(command: CommandValue, known: KnownResult, offset: string): void {
    const codec = this.options.environment.codec;
    const account = this.account(command.accountId);
    void account
      .enqueue(async () => {
        this.tracker.completed(offset);
        if (known.offset === offset) {
          await this.writer.write({ batches: [], positions: this.positions() });
          return;
        }
        const first = codec.decode<Record<string, unknown>>(known.value, 'wa.commands.CommandResult').value;
        const value = codec.encode('wa.commands.CommandResult', { ...first, replayed: true });
        const record: OutgoingRecord = { accountId: command.accountId, value, headers: resultHeaders(command, this.now(), offset) };
        await this.writer.write({ batches: [{ topic: this.options.environment.topics.commandResults, records: [record] }], positions: this.positions() });
      })
      .catch((error: unknown) => this.fail(error));
  }

  private complete(offset: string): void {
    this.tracker.completed(offset);
    void this.writer.write({ batches: [], positions: this.positions() }).catch((error: unknown) => this.fail(error));
  }

  private positions(): { topic: string; partition: number; offset: string }[] {
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
    await Promise.all([...this.accounts.values()].map((a) => a.release(reason)));
    await this.writer.close();
  }
}
