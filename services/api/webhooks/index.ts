export { KafkaWebhookRegistry, type KafkaWebhookRegistryOptions } from './KafkaWebhookRegistry.js';
export {
  WILDCAT_DEFAULT_EVENTS,
  accountSubscriptionId,
  generateSecret,
  globalSubscriptionId,
  partitioningKey,
  webhookView,
  type WebhookSubscriptionValue,
} from './subscriptions.js';
