import { AvroCodec } from '../../../schemas/index.js';
import { TOPIC_SCHEMA, toProjectedEvent, type ProjectedEvent, type ProjectedTopic } from '../../events/index.js';

/** A plain Avro value as a test writes it (fields with defaults may be left out). */
export type Value = Record<string, unknown>;

export const T0 = 1_731_990_000_000;
export const ME = '15550000001@s.whatsapp.net';
export const ME_LID = '900000000001@lid';
export const ALICE = '15550000002@s.whatsapp.net';
export const BOB = '15550000003@s.whatsapp.net';
export const GROUP = '120363000000000001@g.us';

let shared: AvroCodec | undefined;

/** A message key. */
export function key(remoteJid: string, id: string, fromMe = false, participant: string | null = null): Value {
  return { remoteJid, id, fromMe, participant };
}

/**
 * Builds events as the projector sees them: each one is encoded with the real codec (so it
 * must satisfy the Avro contract) and decoded back through the same path the runner uses.
 */
export class EventFactory {
  readonly codec: AvroCodec;
  private sequence = 0;

  constructor(
    readonly accountId = 'acc-1',
    codec?: AvroCodec,
  ) {
    shared ??= codec ?? AvroCodec.load();
    this.codec = codec ?? shared;
  }

  /** A value of a topic, encoded then decoded like a consumed record. */
  decode(topic: ProjectedTopic, value: Value): ProjectedEvent {
    const bytes = this.codec.encode(TOPIC_SCHEMA[topic], value);
    const event = toProjectedEvent(topic, this.codec.decode(bytes, TOPIC_SCHEMA[topic]).value);
    if (event === null) throw new Error(`unknown event type ${String(value.type)}`);
    return event;
  }

  /** The envelope value of an event (for producing records in integration tests). */
  envelope(type: string, branch: string, data: Value, options: { chatJid?: string | null; at?: number; eventId?: string; source?: string } = {}): Value {
    this.sequence += 1;
    const at = options.at ?? T0 + this.sequence;
    return {
      eventId: options.eventId ?? `${type}-${this.accountId}-${this.sequence}`,
      type,
      accountId: this.accountId,
      chatJid: options.chatJid ?? null,
      sequence: this.sequence,
      occurredAt: at,
      recordedAt: at + 5,
      correlationId: `corr-${this.sequence}`,
      causationId: null,
      source: options.source ?? 'LIVE',
      driver: 'simulator',
      data: { [branch]: data },
    };
  }

  conversation(type: string, branch: string, data: Value, options: { chatJid?: string | null; at?: number; eventId?: string; source?: string } = {}): ProjectedEvent {
    return this.decode('conversation', this.envelope(type, `wa.conversation.${branch}`, data, options));
  }

  account(type: string, branch: string, data: Value, options: { at?: number; eventId?: string; source?: string } = {}): ProjectedEvent {
    return this.decode('account', this.envelope(type, `wa.account.${branch}`, data, options));
  }

  /** A recorded message (`message.received` by default) with text content. */
  message(options: MessageOptions): ProjectedEvent {
    return this.decode('conversation', this.messageEnvelope(options));
  }

  /** The envelope value of a recorded message. */
  messageEnvelope(options: MessageOptions): Value {
    const chat = options.chat ?? ALICE;
    const type = options.type ?? 'message.received';
    const fromMe = options.fromMe ?? (type === 'message.sent' || type === 'story.posted');
    const timestamp = options.timestamp ?? options.at ?? T0 + 1_000;
    return this.envelope(
      type,
      'wa.conversation.MessageRecorded',
      {
        message: {
          key: key(chat, options.id, fromMe, options.participant ?? null),
          senderJid: fromMe ? ME : (options.participant ?? chat),
          pushName: fromMe ? null : 'Alice',
          timestamp,
          status: options.status ?? (fromMe ? 'SERVER_ACK' : 'DELIVERY_ACK'),
          kind: options.kind ?? 'TEXT',
          content: options.content ?? { 'wa.conversation.TextContent': { text: options.text ?? `text of ${options.id}` } },
          contextInfo: options.contextInfo ?? null,
          starred: options.starred ?? false,
        },
        direction: fromMe ? 'OUTBOUND' : 'INBOUND',
        upsertType: type === 'message.history' ? 'APPEND' : 'NOTIFY',
      },
      { chatJid: chat, at: options.at ?? timestamp, eventId: `message-${this.accountId}-${chat}-${options.id}`, source: type === 'message.history' ? 'HISTORY_SYNC' : 'LIVE' },
    );
  }

  /** A command result record. */
  commandResult(commandId: string, value: Value = {}): ProjectedEvent {
    return this.decode('commandResults', this.commandResultValue(commandId, value));
  }

  /** The value of a command result record. */
  commandResultValue(commandId: string, value: Value = {}): Value {
    return {
      commandId,
      accountId: this.accountId,
      type: 'message.send',
      status: 'SUCCEEDED',
      completedAt: T0 + 10,
      error: null,
      result: { 'wa.commands.MessageSentResult': { messageId: 'M1', chatJid: ALICE, timestamp: T0 + 10, status: 'SERVER_ACK' } },
      eventIds: ['e1'],
      durationMs: 12,
      correlationId: `corr-${commandId}`,
      replayed: false,
      ...value,
    };
  }

  /** A webhook delivery attempt record (attempt 1, delivered, unless `value` says otherwise). */
  webhookAttempt(eventId: string, subscriptionId: string, attempt = 1, value: Value = {}): ProjectedEvent {
    return this.decode('webhookAttempts', this.webhookAttemptValue(eventId, subscriptionId, attempt, value));
  }

  /** The value of a webhook delivery attempt record: ids as the dispatcher makes them, a try every second. */
  webhookAttemptValue(eventId: string, subscriptionId: string, attempt = 1, value: Value = {}): Value {
    const deliveryId = `${eventId}.${subscriptionId}`;
    return {
      attemptId: `${deliveryId}#${attempt}`,
      deliveryId,
      subscriptionId,
      eventId,
      eventType: 'message.received',
      accountId: this.accountId,
      chatJid: ALICE,
      attempt,
      outcome: 'DELIVERED',
      statusCode: 200,
      latencyMs: 40 + attempt,
      error: null,
      attemptedAt: T0 + attempt * 1_000,
      nextAttemptAt: null,
      sourceTopic: 'wa.conversation.v1',
      sourcePartition: 0,
      sourceOffset: 7,
      ...value,
    };
  }
}

/** What a test says about a recorded message; the rest gets realistic defaults. */
export interface MessageOptions {
  id: string;
  chat?: string;
  type?: 'message.received' | 'message.sent' | 'message.history' | 'story.received' | 'story.posted';
  fromMe?: boolean;
  text?: string;
  content?: Value;
  kind?: string;
  timestamp?: number;
  status?: string;
  participant?: string | null;
  contextInfo?: Value | null;
  at?: number;
  starred?: boolean;
}
