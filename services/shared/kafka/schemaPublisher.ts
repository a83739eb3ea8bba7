import type { KafkaProducer } from './producer.js';
import { JSON_CONTENT_TYPE, type TopicSpec } from './topics.js';
import { recordHeaders } from './headers.js';

export interface WriterSchema {
  /** Full name of the schema, e.g. `wa.conversation.ConversationEvent`. */
  name: string;
  /** CRC-64-AVRO fingerprint, hex of the 8 little-endian bytes that prefix every record. */
  fingerprint: string;
  /** The self-contained schema JSON. */
  schema: string;
}

/**
 * Publishes every writer schema to the compacted schema topic, keyed by fingerprint, so a
 * consumer in any language can decode any record from the topics alone. Re-publishing the
 * same schema is harmless: compaction keeps one record per fingerprint.
 */
export async function publishSchemas(producer: KafkaProducer, topic: TopicSpec, schemas: readonly WriterSchema[], source: string): Promise<void> {
  const now = Date.now();
  await producer.send(
    topic,
    schemas.map((schema) => ({
      // The schema topic is not account data; one partition, keyed by fingerprint.
      accountId: schema.fingerprint,
      key: schema.fingerprint,
      value: Buffer.from(schema.schema, 'utf8'),
      headers: recordHeaders({ id: schema.fingerprint, type: 'schema.published', source, time: now, contentType: JSON_CONTENT_TYPE }),
    })),
  );
}
