import type { Kafka } from 'kafkajs';
import { kafkaError, SharedAdmin } from '../../services/shared/kafka/index.js';
import type { LogEnds, PartitionEnds } from '../readModels/SqlReadModels.js';

/** LogEnds from the broker, over one admin connection opened on first use. */
export function kafkaLogEnds(kafka: Kafka): LogEnds & { close(): Promise<void> } {
  const admin = new SharedAdmin(kafka);
  const ends = async (topics: readonly string[]): Promise<PartitionEnds[]> => {
    try {
      const client = await admin.connected();
      const all = await Promise.all(
        topics.map(async (topic) => (await client.fetchTopicOffsets(topic)).map((o) => ({ topic, partition: o.partition, low: Number(o.low), high: Number(o.high) }))),
      );
      return all.flat();
    } catch (error) {
      throw kafkaError(error, 'reading the end offsets of the projected topics');
    }
  };
  return Object.assign(ends, { close: () => admin.close() });
}
