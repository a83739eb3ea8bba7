/** The event topics a connector writes, by family. */
export type EventTopicName = 'conversation' | 'account' | 'presence';

/** `wa.common.EventSource` symbols. */
export type EventSource = 'LIVE' | 'HISTORY_SYNC' | 'APP_STATE_SYNC' | 'COMMAND' | 'SYSTEM';

/** An Avro record value as plain data; the codec validates it strictly when encoding. */
export type AvroValue = Record<string, unknown>;

/**
 * An event as translation and commands produce it: everything of the envelope except what
 * only the account's writer knows (`sequence`, `recordedAt`, `correlationId`, `driver`).
 */
export interface DraftEvent {
  topic: EventTopicName;
  eventId: string;
  type: string;
  chatJid: string | null;
  occurredAt: number;
  source: EventSource;
  causationId: string | null;
  /** The envelope's `data` union, wrapped: `{ 'wa.conversation.MessageRecorded': {...} }`. */
  data: AvroValue;
}

/** Full Avro name of the envelope record of each event topic. */
export const ENVELOPE_SCHEMA: Record<EventTopicName, string> = {
  conversation: 'wa.conversation.ConversationEvent',
  account: 'wa.account.AccountEvent',
  presence: 'wa.presence.PresenceEvent',
};
