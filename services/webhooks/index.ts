export { main } from './main.js';
export { Dispatcher, dispatcherTopics, firstDelivery, type DispatcherOptions, type DispatcherStats, type DispatcherTopics } from './dispatch/index.js';
export { attemptDelivery, parseRetryAfter, WEBHOOK_USER_AGENT, type DeliveryErrorKind, type DeliveryOutcome } from './http/index.js';
export { chatOfEvent, matchesSubscription, renderWebhookPayload, type PayloadFormat, type WebhookEvent } from './payloads/index.js';
export { classifyResponse, DISABLE_AFTER_FAILING_MS, DISABLE_MIN_CONSECUTIVE_FAILURES, MAX_ATTEMPTS, nextAttempt, shouldDisable } from './retry/index.js';
export { signWebhook, verifyWebhook, webhookSecretKey, type VerifiedWebhook, type WebhookHeaders, type WebhookSignatureHeaders } from './signature/index.js';
