export { WEBHOOK_USER_AGENT, attemptDelivery, deliveryAgents, destroyDeliveryAgents, type DeliveryAgents, type DeliveryErrorKind, type DeliveryOutcome, type DeliveryRequest } from './attemptDelivery.js';
export { parseRetryAfter } from './parseRetryAfter.js';
