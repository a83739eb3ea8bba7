import type { AvroCodec } from '../../../../schemas/index.js';
import { TOPIC_SCHEMA, type ProjectedEvent, type ProjectedTopic } from '../../../../projections/events/index.js';
import { ALICE, EventFactory, everyEventType, type Value } from '../../../../projections/readModels/testing/index.js';
import type { WebhookEvent } from '../WebhookEvent.js';

/** The event topics a connector writes. */
export type EventTopicName = 'conversation' | 'account' | 'presence';

/** The envelope schema of each event topic. */
export const EVENT_ENVELOPE_SCHEMAS: Readonly<Record<EventTopicName, string>> = {
  conversation: TOPIC_SCHEMA.conversation,
  account: TOPIC_SCHEMA.account,
  presence: 'wa.presence.PresenceEvent',
};

/** One event record as the dispatcher meets it: its topic, its bytes, and what they decode to. */
export interface WebhookSample {
  topic: EventTopicName;
  /** The single-object encoded topic value. */
  bytes: Buffer;
  /** `codec.decode(bytes, envelope schema).value`. */
  event: WebhookEvent;
}

/** Remembers every envelope value it encodes, so the read-model samples can be replayed as records. */
class RecordingFactory extends EventFactory {
  readonly values: { topic: ProjectedTopic; value: Value }[] = [];

  override decode(topic: ProjectedTopic, value: Value): ProjectedEvent {
    this.values.push({ topic, value });
    return super.decode(topic, value);
  }
}

/** A value of an event topic, encoded with the real codec and decoded back with its envelope schema. */
export function webhookSample(codec: AvroCodec, topic: EventTopicName, value: Value): WebhookSample {
  const bytes = codec.encode(EVENT_ENVELOPE_SCHEMAS[topic], value);
  return { topic, bytes, event: codec.decode<WebhookEvent>(bytes, EVENT_ENVELOPE_SCHEMAS[topic]).value };
}

/**
 * One record of every event type of the three event topics: the read models' samples of the
 * conversation and account topics (`everyEventType`), and presence samples (one with its chat
 * left to the data, as a `presence.self` typing indicator).
 */
export function everyWebhookEvent(accountId = 'acc-1'): WebhookSample[] {
  const f = new RecordingFactory(accountId);
  everyEventType(f);
  const samples = f.values.flatMap(({ topic, value }) => (topic === 'conversation' || topic === 'account' ? [webhookSample(f.codec, topic, value)] : []));
  const presence = [
    f.envelope('presence.updated', 'wa.presence.PresenceUpdated', { chatJid: ALICE, participantJid: ALICE, presence: 'COMPOSING', lastSeen: null }, { chatJid: ALICE }),
    f.envelope('presence.updated', 'wa.presence.PresenceUpdated', { chatJid: ALICE, participantJid: ALICE, participantAlt: '777@lid', presence: 'UNAVAILABLE', lastSeen: 1_731_990_000_000 }, { chatJid: ALICE }),
    f.envelope('presence.self', 'wa.presence.SelfPresenceChanged', { presence: 'AVAILABLE', chatJid: null }, { source: 'SYSTEM' }),
    f.envelope('presence.self', 'wa.presence.SelfPresenceChanged', { presence: 'COMPOSING', chatJid: ALICE }, { source: 'SYSTEM' }),
  ];
  return [...samples, ...presence.map((value) => webhookSample(f.codec, 'presence', value))];
}
