import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';
import { WaError } from '../WaError.js';
import { consumedRecord, type ConsumedRecord } from './consumerRunner.js';
import { kafkaError } from './kafkaClient.js';
import { pauseOthers } from './readPartitionsToEnd.js';

/** The map key of a topic-partition. */
function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** Offsets `from` (inclusive) to `to` (exclusive) of one partition. */
export interface PartitionRange {
  topic: string;
  partition: number;
  from: bigint;
  to: bigint;
}

export interface ReadRangesOptions {
  kafka: Kafka;
  ranges: readonly PartitionRange[];
  logger: Logger;
  /** Stops the read early (the generator then just ends). */
  signal: AbortSignal;
  /** Throwaway group ids start with this. */
  groupPrefix?: string;
  /** Longest time the whole read may take. */
  timeoutMs?: number;
}

/**
 * Reads offset ranges once (a stream's catch-up): yields the committed records of each range
 * in offset order, one partition's batch at a time, and ends when every range is read.
 * kafkajs cannot assign partitions by hand, so a throwaway group is used: the wanted
 * partitions are sought to their `from`, the others paused. Backpressure: the next batch is
 * fetched only once the previous one was taken.
 */
export async function* readRanges(options: ReadRangesOptions): AsyncGenerator<ConsumedRecord[]> {
  const ranges = new Map(options.ranges.filter((r) => r.from < r.to).map((r) => [partitionKey(r.topic, r.partition), r]));
  if (ranges.size === 0 || options.signal.aborted) return;

  const remaining = new Set(ranges.keys());
  const ready: ConsumedRecord[][] = [];
  let failure: WaError | undefined;
  let wake: (() => void) | undefined;
  let taken: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const progress = (key: string, nextOffset: bigint): void => {
    const range = ranges.get(key);
    if (range && nextOffset >= range.to && remaining.delete(key)) notify();
  };

  const consumer = options.kafka.consumer({
    groupId: `${options.groupPrefix ?? 'wa-api-catchup'}.${randomUUID()}`,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 500,
    allowAutoTopicCreation: false,
  });
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assignment = event.payload.memberAssignment;
    pauseOthers(consumer, assignment, (topic, partition) => ranges.has(partitionKey(topic, partition)));
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const range = ranges.get(partitionKey(topic, partition));
        if (range) consumer.seek({ topic, partition, offset: range.from.toString() });
      }
    }
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
    if (event.payload.firstOffset !== null) progress(partitionKey(event.payload.topic, event.payload.partition), BigInt(event.payload.lastOffset) + 1n);
  });
  consumer.on(consumer.events.CRASH, (event) => {
    if (event.payload.restart) return;
    failure ??= kafkaError(event.payload.error, 'catch-up reader crashed');
    notify();
  });
  const onAbort = (): void => notify();
  options.signal.addEventListener('abort', onAbort);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const timer = setTimeout(() => {
    failure ??= new WaError('TIMEOUT', `catch-up did not reach the end of ${[...remaining].join(', ')} within ${timeoutMs} ms`, { retriable: true });
    notify();
  }, timeoutMs);

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set(options.ranges.map((r) => r.topic))], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const key = partitionKey(batch.topic, batch.partition);
        const range = ranges.get(key);
        if (!range || !remaining.has(key)) return;
        const records = batch.messages
          .filter((message) => {
            const offset = BigInt(message.offset);
            return offset >= range.from && offset < range.to;
          })
          .map((message) => consumedRecord(batch, message));
        if (records.length > 0) {
          const wasTaken = new Promise<void>((resolve) => (taken = resolve));
          ready.push(records);
          notify();
          await wasTaken;
        }
        progress(key, BigInt(batch.lastOffset()) + 1n);
      },
    });
    for (;;) {
      const batch = ready.shift();
      if (batch !== undefined) {
        taken?.();
        taken = undefined;
        yield batch;
        continue;
      }
      if (failure) throw failure;
      if (remaining.size === 0 || options.signal.aborted) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } catch (error) {
    throw kafkaError(error, 'catching up');
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    // eachBatch may be waiting for its batch to be taken; disconnect() waits for eachBatch.
    taken?.();
    await consumer.disconnect().catch((error: unknown) => options.logger.warn({ err: error }, 'catch-up reader did not disconnect cleanly'));
  }
}
