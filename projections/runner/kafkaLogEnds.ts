import type { Admin, Kafka } from 'kafkajs';
import { kafkaError } from '../../services/shared/kafka/index.js';
import type { LogEnds, PartitionEnds } from '../readModels/SqlReadModels.js';

/** LogEnds from the broker, over one admin connection opened on first use. */
export function kafkaLogEnds(kafka: Kafka): LogEnds & { close(): Promise<void> } {
  let admin: Promise<Admin> | undefined;
  const connected = (): Promise<Admin> => {
    admin ??= (async () => {
      const client = kafka.admin();
      await client.connect();
      return client;
    })().catch((error: unknown) => {
      admin = undefined;
      throw error;
    });
    return admin;
  };
  const ends = async (topics: readonly string[]): Promise<PartitionEnds[]> => {
    try {
      const client = await connected();
      const all = await Promise.all(
        topics.map(async (topic) => (await client.fetchTopicOffsets(topic)).map((o) => ({ topic, partition: o.partition, low: Number(o.low), high: Number(o.high) }))),
      );
      return all.flat();
    } catch (error) {
      throw kafkaError(error, 'reading the end offsets of the projected topics');
    }
  };
  return Object.assign(ends, {
    async close(): Promise<void> {
      const client = admin;
      admin = undefined;
      if (client) await (await client.catch(() => undefined))?.disconnect();
    },
  });
}
