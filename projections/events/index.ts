export type * as Avro from './avroTypes.js';
export {
  ACCOUNT_EVENT_TYPES,
  CONVERSATION_EVENT_TYPES,
  TOPIC_SCHEMA,
  toProjectedEvent,
  type AccountEvent,
  type AccountEventType,
  type CommandResultEvent,
  type ConversationEvent,
  type ConversationEventType,
  type EventMeta,
  type ProjectedEvent,
  type ProjectedTopic,
  type WebhookAttemptEvent,
} from './ProjectedEvent.js';
