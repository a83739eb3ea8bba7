import type { AvroCodec } from '../../../schemas/index.js';
import type { ConsumedRecord, TopicSpec } from '../../shared/kafka/index.js';
import type { LiveEvent } from '../ApiServices.js';
import { toJsonValue } from '../../shared/index.js';

/** The event topics a live stream serves. */
export interface EventTopics {
  conversation: TopicSpec;
  account: TopicSpec;
  presence: TopicSpec;
}

/** Reader schemas of the event topics, for topics whose spec names none (test topics). */
const ENVELOPE_SCHEMAS: Readonly<Record<keyof EventTopics, string>> = {
  conversation: 'wa.conversation.ConversationEvent',
  account: 'wa.account.AccountEvent',
  presence: 'wa.presence.PresenceEvent',
};

/** Topic name → the envelope schema its records are read as. */
export function envelopeSchemas(topics: EventTopics): Map<string, string> {
  return new Map(
    (Object.keys(ENVELOPE_SCHEMAS) as (keyof EventTopics)[]).map((name) => [topics[name].name, topics[name].valueSchema ?? ENVELOPE_SCHEMAS[name]]),
  );
}

/** `<topic>:<partition>:<offset>` of a record. */
export function positionOf(record: Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>): string {
  return `${record.topic}:${record.partition}:${record.offset}`;
}

/** An event record as the live stream shows it: envelope fields, and the whole record as JSON (bytes base64, secrets left out). */
export function liveEventOf(record: ConsumedRecord & { value: Buffer }, codec: AvroCodec, schemaName: string): LiveEvent {
  const value = codec.decode<Record<string, unknown>>(record.value, schemaName).value;
  return {
    position: positionOf(record),
    eventId: value['eventId'] as string,
    type: value['type'] as string,
    accountId: value['accountId'] as string,
    chatJid: (value['chatJid'] as string | null) ?? null,
    sequence: value['sequence'] as number,
    occurredAt: value['occurredAt'] as number,
    recordedAt: value['recordedAt'] as number,
    envelope: toJsonValue(value) as Record<string, unknown>,
  };
}
