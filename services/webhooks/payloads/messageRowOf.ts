import type { Avro } from '../../../projections/events/index.js';
import type { MessageRow } from '../../../projections/readModels/index.js';
import { mediaInfoOf, messageTypeOf, statusRank, summarizeContent, toMessageRow } from '../../../projections/readModels/messages/index.js';
import { toJsonValue } from '../../shared/index.js';

/**
 * A recorded message as the messages read model would show it right after recording it (no
 * reactions, edits or later state yet): the same columns the model writes, read back through
 * its own `toMessageRow`, so the API's message views apply to it unchanged.
 */
export function messageRowOf(event: Pick<Avro.ConversationEvent, 'accountId' | 'chatJid' | 'source' | 'recordedAt'>, recorded: Avro.MessageRecorded): MessageRow {
  const message = recorded.message;
  const chatJid = event.chatJid ?? message.key.remoteJid;
  const fromMe = message.key.fromMe;
  const summary = summarizeContent(message.content);
  const context = message.contextInfo;
  const columns: Record<string, unknown> = {
    account_id: event.accountId,
    chat_jid: chatJid,
    message_id: message.key.id,
    from_me: fromMe,
    sender_jid: message.senderJid ?? (fromMe ? null : (message.key.participant ?? chatJid)),
    direction: recorded.direction === 'UNKNOWN' ? (fromMe ? 'outbound' : 'inbound') : recorded.direction.toLowerCase(),
    type: messageTypeOf(message.kind),
    text: summary.text,
    caption: summary.caption,
    timestamp: message.timestamp,
    status_rank: statusRank(message.status),
    state_status_rank: null,
    media: summary.media === null ? null : mediaInfoOf(summary.media),
    state_media: null,
    quoted_id: context?.quotedMessageId ?? null,
    mentions: context?.mentionedJids ?? [],
    deleted: false,
    starred: message.starred,
    state_starred: null,
    state_pinned: null,
    pin_expires_at: null,
    content: toJsonValue(message.content),
    source: event.source,
  };
  return toMessageRow(columns, [], [], event.recordedAt);
}
