export { createKafka, kafkaError, type KafkaClientOptions } from './kafkaClient.js';
export { KafkaProducer, type OutgoingRecord, type TopicRecords } from './producer.js';
export {
  ConsumerRunner,
  consumedRecord,
  type BatchContext,
  type BatchHandler,
  type ConsumedRecord,
  type ConsumerRunnerOptions,
} from './consumerRunner.js';
export { ensureTopics, type EnsureTopicsResult } from './admin.js';
export { SharedAdmin } from './sharedAdmin.js';
export { recordHeaders, headersAsStrings, type RecordDescriptor } from './headers.js';
export { murmur2, partitionForKey, toPositive } from './murmur2.js';
export {
  AVRO_CONTENT_TYPE,
  CONNECTOR_GROUP,
  WEBHOOKS_GROUP,
  EVENT_TOPICS,
  HEADER,
  COMMAND_OFFSET_HEADER,
  JSON_CONTENT_TYPE,
  TOPIC,
  WEBHOOK_RETRY_TIERS,
  partitionForAccount,
  topicCatalog,
  topicConfigEntries,
  webhookRetryTopic,
  type CleanupPolicy,
  type KeyKind,
  type TopicSpec,
} from './topics.js';
export { publishSchemas, type WriterSchema } from './schemaPublisher.js';
export { bootstrapKafka, type BootstrapOptions } from './bootstrap.js';
export { pauseOthers, readPartitionsToEnd, type ReadToEndOptions } from './readPartitionsToEnd.js';
export { followPartition, type FollowPartitionOptions } from './followPartition.js';
export { TransactionalWriter, isFencedError, type AtomicWrite, type ConsumerPosition, type TransactionalWriterOptions } from './transactionalWriter.js';
export { TailConsumer, type TailConsumerOptions } from './TailConsumer.js';
export { runConsumer, type RunConsumerOptions } from './runConsumer.js';
export { readRanges, type PartitionRange, type ReadRangesOptions } from './readRanges.js';
export {
  DEAD_LETTER_SCHEMA,
  DEAD_LETTER_TYPE,
  DeadLetterWriter,
  deadLetterId,
  deadLetterTopic,
  deadLetterReason,
  deadLetterRecord,
  type ConsumerVerdict,
  type DeadLetterReason,
  type DeadLetterWriterOptions,
} from './deadLetters/index.js';
