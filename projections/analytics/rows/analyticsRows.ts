import type { Avro, ProjectedEvent } from '../../events/index.js';
import { messageTypeOf, summarizeContent } from '../../readModels/messages/index.js';
import { chatKindOfJid } from '../../readModels/shared/index.js';
import type { FactTableName } from '../sql/analyticsSchema.js';
import { dateTimeText } from '../sql/sqlLiteral.js';

/** Where a record sits on its topic: every row keeps it, so views can be repaired from their facts. */
export interface RowSource {
  partition: number;
  offset: number;
}

interface Source {
  src_partition: number;
  src_offset: number;
}

/** One row of `messages`: a message (or story) recorded, sent, received or synced from history. */
export interface MessageFact extends Source {
  account_id: string;
  event_id: string;
  event_type: string;
  message_id: string;
  chat_jid: string;
  chat_kind: string;
  direction: 'inbound' | 'outbound';
  origin: 'live' | 'history';
  content_type: string;
  from_me: 0 | 1;
  text_length: number;
  media_bytes: number;
  sent_at: string;
  recorded_at: string;
}

/** One row of `message_status`: a status transition of a message (per recipient in groups). */
export interface MessageStatusFact extends Source {
  account_id: string;
  event_id: string;
  message_id: string;
  chat_jid: string;
  chat_kind: string;
  from_me: 0 | 1;
  status: string;
  error_code: number;
  status_at: string;
  recorded_at: string;
}

/** One row of `connections`: a connection state change of an account. */
export interface ConnectionFact extends Source {
  account_id: string;
  event_id: string;
  state: string;
  previous_state: string;
  reason: string;
  status_code: number;
  attempt: number;
  at: string;
  recorded_at: string;
}

/** One row of `command_outcomes`: how a command ended and how long it took. */
export interface CommandOutcomeFact extends Source {
  account_id: string;
  command_id: string;
  command_type: string;
  status: string;
  error_code: string;
  duration_ms: number;
  completed_at: string;
}

/** One row of `webhook_deliveries`: one attempt to deliver an event to an endpoint. */
export interface WebhookDeliveryFact extends Source {
  account_id: string;
  attempt_id: string;
  delivery_id: string;
  endpoint_id: string;
  event_type: string;
  attempt: number;
  outcome: string;
  http_status: number;
  latency_ms: number;
  at: string;
}

/** The row types of the fact tables. */
export interface FactRows {
  messages: MessageFact;
  message_status: MessageStatusFact;
  connections: ConnectionFact;
  command_outcomes: CommandOutcomeFact;
  webhook_deliveries: WebhookDeliveryFact;
}

/** A row bound for one fact table. */
export type AnalyticsRow = { [T in FactTableName]: { table: T; row: FactRows[T] } }[FactTableName];

const UINT16_MAX = 65_535;
const UINT32_MAX = 4_294_967_295;

function uint(value: number | null | undefined, max = Number.MAX_SAFE_INTEGER): number {
  return value === null || value === undefined || !Number.isFinite(value) || value < 0 ? 0 : Math.min(Math.trunc(value), max);
}

function int32(value: number | null | undefined): number {
  return value === null || value === undefined || !Number.isFinite(value) ? 0 : Math.max(Math.min(Math.trunc(value), 2_147_483_647), -2_147_483_648);
}

function lower(value: string | null): string {
  return value === null ? '' : value.toLowerCase();
}

const STATUS_NAMES: Record<Avro.MessageStatus, string> = {
  UNKNOWN: 'unknown',
  ERROR: 'error',
  PENDING: 'pending',
  SERVER_ACK: 'sent',
  DELIVERY_ACK: 'delivered',
  READ: 'read',
  PLAYED: 'played',
};

function messageRow(event: ProjectedEvent & { data: Avro.MessageRecorded }, source: RowSource): AnalyticsRow[] {
  const { message, direction } = event.data;
  const summary = summarizeContent(message.content);
  const fromMe = direction === 'OUTBOUND' || (direction === 'UNKNOWN' && message.key.fromMe);
  return [
    {
      table: 'messages',
      row: {
        account_id: event.accountId,
        event_id: event.eventId,
        event_type: event.type,
        message_id: message.key.id,
        chat_jid: message.key.remoteJid,
        chat_kind: chatKindOfJid(message.key.remoteJid),
        direction: fromMe ? 'outbound' : 'inbound',
        origin: event.type === 'message.history' ? 'history' : 'live',
        content_type: messageTypeOf(message.kind),
        from_me: message.key.fromMe ? 1 : 0,
        text_length: uint((summary.text ?? '').length + (summary.caption ?? '').length, UINT32_MAX),
        media_bytes: uint(summary.media?.fileLength),
        sent_at: dateTimeText(message.timestamp),
        recorded_at: dateTimeText(event.recordedAt),
        src_partition: source.partition,
        src_offset: source.offset,
      },
    },
  ];
}

function statusRow(event: ProjectedEvent & { data: Avro.MessageStatusChanged }, source: RowSource): AnalyticsRow[] {
  const { key, status, statusAt, errorCode } = event.data;
  return [
    {
      table: 'message_status',
      row: {
        account_id: event.accountId,
        event_id: event.eventId,
        message_id: key.id,
        chat_jid: key.remoteJid,
        chat_kind: chatKindOfJid(key.remoteJid),
        from_me: key.fromMe ? 1 : 0,
        status: STATUS_NAMES[status],
        error_code: int32(errorCode),
        status_at: dateTimeText(statusAt ?? event.occurredAt),
        recorded_at: dateTimeText(event.recordedAt),
        src_partition: source.partition,
        src_offset: source.offset,
      },
    },
  ];
}

function connectionRow(event: ProjectedEvent & { data: Avro.ConnectionStateChanged }, source: RowSource): AnalyticsRow[] {
  const data = event.data;
  return [
    {
      table: 'connections',
      row: {
        account_id: event.accountId,
        event_id: event.eventId,
        state: lower(data.state),
        previous_state: lower(data.previousState),
        reason: lower(data.reason),
        status_code: int32(data.statusCode),
        attempt: uint(data.attempt, UINT32_MAX),
        at: dateTimeText(event.occurredAt),
        recorded_at: dateTimeText(event.recordedAt),
        src_partition: source.partition,
        src_offset: source.offset,
      },
    },
  ];
}

function commandRow(event: ProjectedEvent & { data: Avro.CommandResult }, source: RowSource): AnalyticsRow[] {
  const result = event.data;
  return [
    {
      table: 'command_outcomes',
      row: {
        account_id: result.accountId,
        command_id: result.commandId,
        command_type: result.type,
        status: lower(result.status),
        error_code: result.error?.code ?? '',
        duration_ms: uint(result.durationMs, UINT32_MAX),
        completed_at: dateTimeText(result.completedAt),
        src_partition: source.partition,
        src_offset: source.offset,
      },
    },
  ];
}

function webhookRow(event: ProjectedEvent & { data: Avro.WebhookAttempt }, source: RowSource): AnalyticsRow[] {
  const a = event.data;
  return [
    {
      table: 'webhook_deliveries',
      row: {
        account_id: a.accountId,
        attempt_id: a.attemptId,
        delivery_id: a.deliveryId,
        endpoint_id: a.subscriptionId,
        event_type: a.eventType,
        attempt: uint(a.attempt, UINT16_MAX),
        outcome: lower(a.outcome),
        http_status: uint(a.statusCode, UINT16_MAX),
        latency_ms: uint(a.latencyMs, UINT32_MAX),
        at: dateTimeText(a.attemptedAt),
        src_partition: source.partition,
        src_offset: source.offset,
      },
    },
  ];
}

type RowsOf<E extends ProjectedEvent> = ((event: E, source: RowSource) => AnalyticsRow[]) | null;

// Every event type is named here (the compiler checks it): a handler, or null when the event
// is nothing to count.
const ROWS_OF: { [T in ProjectedEvent['type']]: RowsOf<Extract<ProjectedEvent, { type: T }>> } = {
  'message.received': messageRow,
  'message.sent': messageRow,
  'message.history': messageRow,
  'story.received': messageRow,
  'story.posted': messageRow,
  'message.status': statusRow,
  'message.reaction': null,
  'message.edited': null,
  'message.deleted': null,
  'story.deleted': null,
  'message.starred': null,
  'message.unstarred': null,
  'message.pinned': null,
  'message.unpinned': null,
  'poll.vote': null,
  'message.media': null,
  'chat.upserted': null,
  'chat.updated': null,
  'chat.deleted': null,
  'chat.cleared': null,
  'history.sync': null,
  'account.created': null,
  'account.updated': null,
  'account.deleted': null,
  'connection.qr': null,
  'connection.pairing_code': null,
  'connection.state': connectionRow,
  'contact.upserted': null,
  'contact.updated': null,
  'lid.mapping': null,
  'group.upserted': null,
  'group.updated': null,
  'group.participants': null,
  'group.join_request': null,
  'label.upserted': null,
  'label.deleted': null,
  'label.association': null,
  'profile.updated': null,
  'business.profile': null,
  'blocklist.changed': null,
  'call.updated': null,
  'newsletter.upserted': null,
  'newsletter.updated': null,
  'newsletter.participant': null,
  'newsletter.reaction': null,
  'newsletter.view': null,
  'command.result': commandRow,
  'webhook.attempt': webhookRow,
};

/** The analytics rows an event gives (pure): none for events that are nothing to count. */
export function analyticsRows(event: ProjectedEvent, source: RowSource): AnalyticsRow[] {
  const rowsOf = ROWS_OF[event.type] as RowsOf<ProjectedEvent>;
  return rowsOf === null ? [] : rowsOf(event, source);
}
