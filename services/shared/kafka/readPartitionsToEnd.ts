import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';
import { WaError } from '../WaError.js';
import { kafkaError } from './kafkaClient.js';
import { consumedRecord, type ConsumedRecord } from './consumerRunner.js';

export interface ReadToEndOptions {
  kafka: Kafka;
  /** Topic → the partitions to read; each is read from its beginning to the end it had when the read started. */
  partitions: ReadonlyMap<string, readonly number[]>;
  /** Called for every committed record, in offset order per partition. */
  onRecord: (record: ConsumedRecord) => void;
  logger: Logger;
  timeoutMs?: number;
}

/**
 * Pauses every assigned partition `wanted` does not keep: a throwaway group stands in for
 * manual assignment, which kafkajs lacks.
 */
export function pauseOthers(consumer: Consumer, assignment: Record<string, number[]>, wanted: (topic: string, partition: number) => boolean): void {
  const pause = Object.entries(assignment)
    .map(([topic, partitions]) => ({ topic, partitions: partitions.filter((p) => !wanted(topic, p)) }))
    .filter((entry) => entry.partitions.length > 0);
  if (pause.length > 0) consumer.pause(pause);
}

/**
 * Reads whole partitions once (a changelog restore): committed records only, from the first
 * offset to the end offset taken at the start. kafkajs cannot assign partitions by hand, so a
 * throwaway group is used and partitions that are not asked for are paused.
 */
export async function readPartitionsToEnd(options: ReadToEndOptions): Promise<number> {
  const { kafka, logger } = options;
  const targets = new Map<string, bigint>();
  const admin = kafka.admin();
  try {
    await admin.connect();
    for (const [topic, partitions] of options.partitions) {
      if (partitions.length === 0) continue;
      const offsets = await admin.fetchTopicOffsets(topic);
      for (const partition of partitions) {
        const entry = offsets.find((o) => o.partition === partition);
        if (!entry) throw new WaError('KAFKA', `topic ${topic} has no partition ${partition}`);
        if (BigInt(entry.high) > BigInt(entry.low)) targets.set(`${topic}:${partition}`, BigInt(entry.high));
      }
    }
  } catch (error) {
    throw kafkaError(error, 'reading end offsets');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  if (targets.size === 0) return 0;

  const consumer = kafka.consumer({
    groupId: `wa-restore.${randomUUID()}`,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxBytesPerPartition: 4 * 1_048_576,
    allowAutoTopicCreation: false,
  });
  let records = 0;
  const remaining = new Set(targets.keys());
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const progress = (topic: string, partition: number, lastOffset: string): void => {
    const key = `${topic}:${partition}`;
    const target = targets.get(key);
    if (target !== undefined && BigInt(lastOffset) + 1n >= target) {
      remaining.delete(key);
      if (remaining.size === 0) finish();
    }
  };
  // Batches holding only transaction markers never reach eachBatch; this event still reports them.
  consumer.on(consumer.events.END_BATCH_PROCESS, (event) => progress(event.payload.topic, event.payload.partition, event.payload.lastOffset));
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) fail(kafkaError(event.payload.error, 'restore consumer crashed'));
  });
  consumer.on(consumer.events.GROUP_JOIN, (event) => pauseOthers(consumer, event.payload.memberAssignment, (topic, p) => targets.has(`${topic}:${p}`)));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const timer = setTimeout(() => fail(new WaError('TIMEOUT', `restore did not reach the end of ${[...remaining].join(', ')} within ${timeoutMs} ms`, { retriable: true })), timeoutMs);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.partitions.keys()], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch }) => {
        const target = targets.get(`${batch.topic}:${batch.partition}`);
        if (target === undefined) return;
        for (const message of batch.messages) {
          if (BigInt(message.offset) >= target) break;
          records += 1;
          options.onRecord(consumedRecord(batch, message));
        }
      },
    });
    await finished;
  } catch (error) {
    throw kafkaError(error, 'restoring partitions');
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch((error: unknown) => logger.warn({ err: error }, 'restore consumer did not disconnect cleanly'));
  }
  return records;
}
