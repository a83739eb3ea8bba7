import { Kafka, logLevel as KafkaLogLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../logger.js';
import { WaError } from '../WaError.js';
import { patchKafkaEncoder } from './encoderPatch.js';

export interface KafkaClientOptions {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
  /** Time allowed for one broker request before it counts as failed. */
  requestTimeoutMs?: number;
  /**
   * First retry delay (ms, default 200). kafkajs' transaction steps retry with it: a
   * transaction begun right after the previous commit meets CONCURRENT_TRANSACTIONS for a
   * few milliseconds, so transactional writers want it short.
   */
  initialRetryTimeMs?: number;
}

// kafkajs logs through this so its lines are structured like ours. It logs every failed
// request at ERROR even when it retries it; failures that survive its retries are thrown to
// our code and logged there, so its own lines are warnings at most.
function logCreator(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry): void => {
      const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
      const kafkaLogger = logger.child({ component: 'kafkajs' });
      if (level === KafkaLogLevel.ERROR || level === KafkaLogLevel.WARN) kafkaLogger.warn(fields, message);
      else kafkaLogger.debug(fields, message);
    };
}

/** The single place a kafkajs client is constructed. */
export function createKafka(options: KafkaClientOptions): Kafka {
  // Before any producer of this client encodes a record (applying it again changes nothing).
  patchKafkaEncoder();
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: 3_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    retry: { initialRetryTime: options.initialRetryTimeMs ?? 200, maxRetryTime: 10_000, retries: options.initialRetryTimeMs !== undefined && options.initialRetryTimeMs < 200 ? 16 : 10 },
    logLevel: KafkaLogLevel.WARN,
    logCreator: logCreator(options.logger),
  });
}

/** Turns a kafkajs error into a WaError that keeps kafkajs' own retriable verdict. */
export function kafkaError(error: unknown, action: string): WaError {
  if (error instanceof WaError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const retriable = typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
  return new WaError('KAFKA', `${action}: ${message}`, { cause: error, retriable });
}

/** kafkajs errors that are not marked retriable but only say the broker was away: no coordinator found, retries used up. */
export const BROKER_AWAY: ReadonlySet<string> = new Set(['KafkaJSGroupCoordinatorNotFound', 'KafkaJSNumberOfRetriesExceeded', 'KafkaJSBrokerNotFound', 'KafkaJSNoBrokerAvailableError']);

/** The errors of an error's cause chain (kafkaError and kafkajs' retrier wrap the original). */
export function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current: unknown = error; current && chain.length < 5; current = (current as { cause?: unknown }).cause) chain.push(current);
  return chain;
}

/** True when a failed step may succeed once the broker is back (kafkajs' retriable verdict, or the broker was away). */
export function brokerMayRecover(error: unknown): boolean {
  return causes(error).some((e) => (e as { retriable?: unknown }).retriable === true || BROKER_AWAY.has((e as { name?: unknown }).name as string));
}
