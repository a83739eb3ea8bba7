export { KafkaWebhookRegistry, type KafkaWebhookRegistryOptions } from './KafkaWebhookRegistry.js';
export { KafkaWebhookRedelivery, MAX_REDELIVERIES, REDELIVERY_TYPE, type KafkaWebhookRedeliveryOptions, type RedeliveryTopics } from './KafkaWebhookRedelivery.js';
export { offsetRanges, partitionOf, type EventCoordinates, type PartitionBounds } from './offsetRanges.js';
