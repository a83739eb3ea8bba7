import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';
import { kafkaError } from './kafkaClient.js';
import { consumedRecord, type ConsumedRecord } from './consumerRunner.js';
import { pauseOthers } from './readPartitionsToEnd.js';

export interface FollowPartitionOptions {
  kafka: Kafka;
  topic: string;
  partition: number;
  /** First offset to read. */
  from: string;
  /** Called for every committed record from `from` on, in offset order; return true to stop. */
  onRecord: (record: ConsumedRecord) => boolean;
  /** Gives up (resolving false) after this long. */
  timeoutMs: number;
  logger: Logger;
}

/**
 * Reads one partition from an offset on, live, until a record satisfies `onRecord` (true) or
 * the time runs out (false): waiting for a marker another process is about to write. Like
 * readPartitionsToEnd, a throwaway group stands in for manual assignment.
 */
export async function followPartition(options: FollowPartitionOptions): Promise<boolean> {
  const { kafka, topic, partition, logger } = options;
  const consumer = kafka.consumer({
    groupId: `wa-follow.${randomUUID()}`,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 250,
    allowAutoTopicCreation: false,
  });
  let settle!: (found: boolean) => void;
  let fail!: (error: unknown) => void;
  const settled = new Promise<boolean>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) fail(kafkaError(event.payload.error, 'follow consumer crashed'));
  });
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    pauseOthers(consumer, event.payload.memberAssignment, (t, p) => t === topic && p === partition);
    if (event.payload.memberAssignment[topic]?.includes(partition)) consumer.seek({ topic, partition, offset: options.from });
  });
  const timer = setTimeout(() => settle(false), options.timeoutMs);
  const from = BigInt(options.from);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (batch.topic !== topic || batch.partition !== partition) return;
        for (const message of batch.messages) {
          if (BigInt(message.offset) < from) continue;
          if (options.onRecord(consumedRecord(batch, message))) {
            settle(true);
            return;
          }
        }
      },
    });
    return await settled;
  } catch (error) {
    throw kafkaError(error, `following ${topic}/${partition}`);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch((error: unknown) => logger.warn({ err: error }, 'follow consumer did not disconnect cleanly'));
  }
}
