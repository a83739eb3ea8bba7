import type { Kafka } from 'kafkajs';
import type { AvroCodec } from '../../../schemas/index.js';
import type { CommandRow, ReadModels } from '../../../projections/readModels/index.js';
import { settlesCommand, type CommandValue } from '../../shared/commands/index.js';
import { WaError, type Logger } from '../../shared/index.js';
import { metrics } from '../../shared/ops/index.js';
import { sendRecords } from '../../shared/tracing/index.js';
import { COMMAND_OFFSET_HEADER, KafkaProducer, recordHeaders, type ConsumedRecord, type DeadLetterWriter, type TopicSpec } from '../../shared/kafka/index.js';
import type { CommandAnswer, CommandBus, CommandRequest, CommandResultValue } from '../ApiServices.js';
import { TailConsumer } from '../../shared/kafka/index.js';
import { commandIdFor } from './commandId.js';
import { LruMap } from './LruMap.js';

/** `ce_source` of the commands the API writes. */
export const API_SOURCE = 'wa-backbone/api';

export interface CommandBusTopics {
  commands: TopicSpec;
  commandResults: TopicSpec;
}

export interface KafkaCommandBusOptions {
  kafka: Kafka;
  /** The process's producer; when absent the bus connects its own and disconnects it on stop(). */
  producer?: KafkaProducer;
  codec: AvroCodec;
  topics: CommandBusTopics;
  /** This API process, unique per process; names the results group `wa-api.<instanceId>` unless `groupId` is given. */
  instanceId: string;
  groupId?: string;
  logger: Logger;
  /** Where results this process did not see are found (`GET /commands/:id` after a restart, or from another instance). */
  reads: Pick<ReadModels, 'command'>;
  /** How long a request waits for its result before answering `pending` (default 25 s). */
  waitMs?: number;
  /** A command's lifetime: deadline = issuedAt + ttlMs; later it is not executed but EXPIRED (default 5 min). */
  ttlMs?: number;
  now?: () => number;
  /** How many results are kept for status() (default 10 000). */
  resultCacheSize?: number;
  /** Where results that cannot be read go (their command answers pending, as when no result comes). */
  deadLetters?: DeadLetterWriter;
  /** A reader stopped for good (not by a broker outage, which it rides out); by default only logged. The roles fail, so a supervisor restarts them. */
  onFatal?: (error: WaError) => void;
}

/** Hears every result of its command id, with the offset of the command record each answers; null when the bus stops. */
type Waiter = (result: CommandResultValue | null, commandOffset?: string) => void;

/**
 * The API's side of request-reply over Kafka. Commands go to wa.commands.v1 (key and partition
 * from the accountId, CloudEvents headers, traceparent); results come back on
 * wa.command-results.v1, which this process reads in a group of its own from the end it had
 * at start, so the reader is in place before the first command is written and no result is
 * missed. Every result seen is remembered (bounded) for status(); results of other instances'
 * commands answer no request here.
 */
export class KafkaCommandBus implements CommandBus {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly results: LruMap<string, CommandResultValue>;
  /** Commands this process wrote whose result it has not seen yet. */
  private readonly unanswered: LruMap<string, true>;
  private readonly now: () => number;
  private tail: TailConsumer | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly options: KafkaCommandBusOptions,
    private readonly producer: KafkaProducer,
    private readonly ownsProducer: boolean,
  ) {
    const capacity = options.resultCacheSize ?? 10_000;
    this.results = new LruMap(capacity);
    this.unanswered = new LruMap(capacity);
    this.now = options.now ?? Date.now;
  }

  /** Connects the producer (unless given) and the results reader; resolves once the reader is assigned. */
  static async start(options: KafkaCommandBusOptions): Promise<KafkaCommandBus> {
    const producer = options.producer ?? (await KafkaProducer.connect(options.kafka, options.logger));
    const bus = new KafkaCommandBus(options, producer, options.producer === undefined);
    try {
      bus.tail = await TailConsumer.start({
        kafka: options.kafka,
        groupId: options.groupId ?? `wa-api.${options.instanceId}`,
        topics: [options.topics.commandResults],
        from: 'end',
        logger: options.logger,
        onRecords: (records) => bus.onResults(records),
        onFatal: options.onFatal ?? ((error) => options.logger.error({ err: error }, 'command results reader stopped; requests will answer pending')),
      });
    } catch (error) {
      if (bus.ownsProducer) await producer.disconnect().catch(() => undefined);
      throw error;
    }
    return bus;
  }

  /** Writes the command and waits for its result, at most `waitMs` and only while the client is there. */
  async send(request: CommandRequest): Promise<CommandAnswer> {
    if (this.stopping) throw new WaError('SHUTTING_DOWN', 'the API is shutting down');
    const commandId = commandIdFor(request.requestedBy, request.accountId, request.idempotencyKey);
    const issuedAt = this.now();
    const command: CommandValue = {
      commandId,
      accountId: request.accountId,
      type: request.type,
      issuedAt,
      deadline: issuedAt + (this.options.ttlMs ?? 300_000),
      correlationId: request.requestId,
      idempotencyKey: request.idempotencyKey,
      requestedBy: request.requestedBy,
      payload: request.payload,
    };
    const value = this.options.codec.encode('wa.commands.Command', command);
    const started = performance.now();
    // Waiting starts before the write: a result can never arrive ahead of its waiter.
    const wait = this.waitFor(commandId, request.signal);
    if (!this.results.has(commandId)) this.unanswered.set(commandId, true);
    try {
      // A PRODUCER span under the request's: the command record carries it to the connector.
      const [written] = await sendRecords(this.options.topics.commands.name, 1, () =>
        this.producer.send(this.options.topics.commands, [
          { accountId: request.accountId, value, headers: recordHeaders({ id: commandId, type: request.type, source: API_SOURCE, time: issuedAt }), timestamp: issuedAt },
        ]),
      );
      wait.answers(written?.baseOffset);
    } catch (error) {
      wait.cancel();
      this.unanswered.delete(commandId);
      throw error;
    }
    this.options.logger.debug({ commandId, accountId: request.accountId, type: request.type, requestedBy: request.requestedBy, requestId: request.requestId }, 'command sent');
    const result = await wait.result;
    // The round trip as the client sees it: written, run by a connector, result read back (or the wait ran out).
    const outcome = result === null ? 'pending' : result.status.toLowerCase();
    metrics.commandDuration.observe({ type: request.type, outcome }, (performance.now() - started) / 1000);
    if (result === null) return { kind: 'pending', commandId };
    if (result.type !== request.type) {
      throw new WaError('CONFLICT', `this Idempotency-Key was already used for a ${result.type} command`, { field: 'Idempotency-Key', details: { commandId } });
    }
    return { kind: 'completed', result };
  }

  /** The result when known here or in the read model; `pending` for this process's unanswered commands; else null. */
  async status(commandId: string): Promise<CommandResultValue | 'pending' | null> {
    const seen = this.results.get(commandId);
    if (seen) return seen;
    const row = await this.options.reads.command(commandId);
    if (row) return resultOfRow(row);
    return this.unanswered.has(commandId) ? 'pending' : null;
  }

  /** Stops reading results (waiting requests answer pending) and disconnects an own producer. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const waiters of [...this.waiters.values()]) for (const waiter of [...waiters]) waiter(null);
      await this.tail?.stop();
      if (this.ownsProducer) await this.producer.disconnect().catch(() => undefined);
    })();
    return this.stopping;
  }

  private onResults(records: readonly ConsumedRecord[]): void {
    for (const record of records) {
      if (record.value === null) continue;
      let result: CommandResultValue;
      try {
        result = this.options.codec.decode<CommandResultValue>(record.value, 'wa.commands.CommandResult').value;
      } catch (error) {
        this.options.logger.warn({ err: error, partition: record.partition, offset: record.offset }, 'command result not decodable; moved to the dead letters');
        this.options.deadLetters?.report(record, error);
        continue;
      }
      // The first settling result is the answer; a replay of it (same command sent again) is not
      // remembered over it, but a result that did not settle the command (expired, refused for now) is.
      const known = this.results.get(result.commandId);
      if (known === undefined || !settlesCommand(known)) this.results.set(result.commandId, result);
      this.unanswered.delete(result.commandId);
      const commandOffset = record.headers[COMMAND_OFFSET_HEADER];
      for (const waiter of [...(this.waiters.get(result.commandId) ?? [])]) waiter(result, commandOffset);
    }
  }

  /**
   * A wait for one command's result: null when `waitMs` passes, the client aborts, or the bus
   * stops. Once `answers` names the offset of the command record written, only the result of
   * that record counts: the same command id may still have an earlier copy's result on its way
   * (a retry with the same Idempotency-Key), which may not be this copy's answer.
   */
  private waitFor(commandId: string, signal: AbortSignal | undefined): { result: Promise<CommandResultValue | null>; answers: (offset: string | undefined) => void; cancel: () => void } {
    let settle!: (result: CommandResultValue | null) => void;
    const result = new Promise<CommandResultValue | null>((resolve) => (settle = resolve));
    const waiters = this.waiters.get(commandId) ?? new Set<Waiter>();
    this.waiters.set(commandId, waiters);
    const finish = (value: CommandResultValue | null): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      waiters.delete(waiter);
      if (waiters.size === 0 && this.waiters.get(commandId) === waiters) this.waiters.delete(commandId);
      settle(value);
    };
    // Results heard before the write is acknowledged, kept until its offset says which is ours.
    const early: Array<{ value: CommandResultValue; offset: string | undefined }> = [];
    // null: not acknowledged yet; undefined: acknowledged without an offset, so any result of the id counts.
    let own: string | null | undefined = null;
    const ours = (offset: string | undefined): boolean => own === undefined || offset === undefined || offset === own;
    const waiter: Waiter = (value, offset) => {
      if (value === null) finish(null);
      else if (own === null) early.push({ value, offset });
      else if (ours(offset)) finish(value);
    };
    const answers = (offset: string | undefined): void => {
      own = offset;
      const match = early.find((heard) => ours(heard.offset));
      if (match) finish(match.value);
    };
    const onAbort = (): void => finish(null);
    const timer = setTimeout(() => finish(null), this.options.waitMs ?? 25_000);
    waiters.add(waiter);
    if (signal?.aborted) finish(null);
    else signal?.addEventListener('abort', onAbort, { once: true });
    return { result, answers, cancel: () => finish(null) };
  }
}

/** A read-model row as a result value (what the row does not keep is empty). */
export function resultOfRow(row: CommandRow): CommandResultValue {
  return {
    commandId: row.commandId,
    accountId: row.accountId,
    type: row.type,
    status: row.status,
    completedAt: row.completedAt,
    error: row.error === null ? null : { ...row.error, statusCode: null },
    result: row.result,
    eventIds: [],
    durationMs: null,
    correlationId: '',
    replayed: false,
  };
}
