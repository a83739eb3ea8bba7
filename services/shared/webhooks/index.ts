export { SubscriptionLog, type SubscriptionLogOptions } from './SubscriptionLog.js';
export {
  WILDCAT_DEFAULT_EVENTS,
  accountSubscriptionId,
  generateSecret,
  globalSubscriptionId,
  partitioningKey,
  webhookView,
  type WebhookSubscriptionValue,
  type WebhookView,
} from './subscriptions.js';
