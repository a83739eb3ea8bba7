export { ENVELOPE_SCHEMA, type AvroValue, type DraftEvent, type EventSource, type EventTopicName } from './DraftEvent.js';
export { digest, eventId, messageKeyParts } from './eventId.js';
