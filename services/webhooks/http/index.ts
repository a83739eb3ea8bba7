export { WEBHOOK_USER_AGENT, attemptDelivery, type DeliveryErrorKind, type DeliveryOutcome, type DeliveryRequest } from './attemptDelivery.js';
export { parseRetryAfter } from './parseRetryAfter.js';
