import type { Avro } from '../../../projections/events/index.js';
import { toJsonValue } from '../../shared/index.js';
import { messageRowToWhapi, messageRowToWildcat } from '../../api/routes/shared/index.js';
import { WaError } from '../../shared/index.js';
import { chatOfEvent } from './chatOfEvent.js';
import { messageRowOf } from './messageRowOf.js';
import type { PayloadFormat, WebhookEvent } from './WebhookEvent.js';

/** The event types whose data is one recorded message (`MessageRecorded`). */
const MESSAGE_TYPES: ReadonlySet<string> = new Set(['message.received', 'message.sent', 'message.history', 'story.received', 'story.posted']);

type Body = Record<string, unknown>;

/** The recorded message of a message event; null for any other event. */
function recordedMessageOf(event: WebhookEvent): Avro.MessageRecorded | null {
  if (!MESSAGE_TYPES.has(event.type)) return null;
  const data = event.data as Partial<Record<string, unknown>>;
  return (data['wa.conversation.MessageRecorded'] as Avro.MessageRecorded | undefined) ?? null;
}

/** Any event in WILDCAT's generic shape; `data` as the live stream renders it. */
function wildcatEvent(event: WebhookEvent): Body {
  return { event: event.type, eventId: event.eventId, accountId: event.accountId, chatId: chatOfEvent(event), timestamp: event.occurredAt, data: toJsonValue(event.data) };
}

/** WILDCAT: the document's flat message body for messages, the generic shape for the rest. */
function wildcatPayload(event: WebhookEvent): Body {
  const recorded = recordedMessageOf(event);
  if (recorded === null) return wildcatEvent(event);
  const view = messageRowToWildcat(messageRowOf(event, recorded));
  return {
    from: view.from,
    message: view.text ?? view.caption ?? '',
    messageId: view.messageId,
    timestamp: view.timestamp,
    accountId: event.accountId,
    chatId: view.chatId,
    fromMe: view.fromMe,
    type: view.type,
    event: event.type,
    eventId: event.eventId,
  };
}

/** WHAPI: its event name and channel; messages in the shape its message endpoints answer. */
function whapiPayload(event: WebhookEvent): Body {
  const recorded = recordedMessageOf(event);
  const data = recorded === null ? toJsonValue(event.data) : messageRowToWhapi(messageRowOf(event, recorded));
  return { event: event.type, eventId: event.eventId, channelId: event.accountId, timestamp: event.occurredAt, data };
}

/** The body of an event in a format, as a value (what `renderWebhookPayload` serialises). */
function payloadOf(event: WebhookEvent, format: PayloadFormat): Body {
  switch (format) {
    case 'WILDCAT':
      return wildcatPayload(event);
    case 'WHAPI':
      return whapiPayload(event);
    // A format newer than this build reads as UNKNOWN: the whole record loses nothing.
    case 'UNKNOWN':
    case 'ENVELOPE':
      return toJsonValue(event) as Body;
    default: {
      const unreachable: never = format;
      throw new WaError('INTERNAL', `unknown payload format ${String(unreachable)}`);
    }
  }
}

/**
 * The JSON body of a webhook delivery of an event, exactly the bytes that get signed: always
 * carries the event id, bytes as base64, sealed secrets (media keys, any EncryptedValue) never.
 */
export function renderWebhookPayload(event: WebhookEvent, format: PayloadFormat): string {
  return JSON.stringify(payloadOf(event, format));
}
