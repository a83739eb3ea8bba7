export { renderWebhookPayload } from './renderWebhookPayload.js';
export { matchesSubscription } from './matchesSubscription.js';
export { chatOfEvent } from './chatOfEvent.js';
export { messageRowOf } from './messageRowOf.js';
export { PRESENCE_EVENT_TYPES, type PayloadFormat, type WebhookEvent } from './WebhookEvent.js';
