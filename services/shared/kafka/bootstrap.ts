import type { Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';
import { ensureTopics, type EnsureTopicsResult } from './admin.js';
import { KafkaProducer } from './producer.js';
import { publishSchemas, type WriterSchema } from './schemaPublisher.js';
import { TOPIC, topicCatalog } from './topics.js';

export interface BootstrapOptions {
  kafka: Kafka;
  partitions: number;
  logger: Logger;
  schemas: readonly WriterSchema[];
  /** ce_source of the schema records, e.g. `wa-backbone/connector`. */
  source: string;
}

/**
 * What every role does before its work: the topic catalog exists with the right settings and
 * every writer schema is on the schema topic. Idempotent, so every process runs it.
 */
export async function bootstrapKafka(options: BootstrapOptions): Promise<EnsureTopicsResult> {
  const catalog = topicCatalog(options.partitions);
  const result = await ensureTopics(options.kafka, catalog, options.logger);
  const schemaTopic = catalog.find((spec) => spec.name === TOPIC.schemas)!;
  const producer = await KafkaProducer.connect(options.kafka, options.logger);
  try {
    await publishSchemas(producer, schemaTopic, options.schemas, options.source);
  } finally {
    await producer.disconnect();
  }
  options.logger.info({ created: result.created.length, schemas: options.schemas.length }, 'kafka bootstrapped');
  return result;
}
