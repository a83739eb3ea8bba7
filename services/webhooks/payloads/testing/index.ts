export { everyWebhookEvent, webhookSample, EVENT_ENVELOPE_SCHEMAS, type EventTopicName, type WebhookSample } from './everyWebhookEvent.js';
