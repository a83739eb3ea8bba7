import type { Avro, ConversationEvent, ProjectedEvent } from '../../events/index.js';
import type { SqlParam } from '../../store/index.js';
import { chatKindOf, chatTouched, MUTED_FOREVER, overRows, statement, type SetForm, type Statement } from '../shared/index.js';

type ChatChangedEvent = Extract<ConversationEvent, { type: 'chat.upserted' | 'chat.updated' }>;

/** The stored mute end of a ChatChanged: forever when muted without an end, null when unmuted or unchanged. */
function mutedUntilOf(data: Avro.ChatChanged): number | null {
  if (data.muted !== true) return null;
  return data.mutedUntil ?? MUTED_FOREVER;
}

/**
 * The unread count a chat change sets, if any. A live chats.upsert announces a chat that a new
 * message just opened, and counts that message, which the messages model counts itself as it
 * arrives (before or after the upsert): only history sync, app-state sync and updates (read,
 * marked unread) set the count.
 */
function unreadCountOf(event: ChatChangedEvent): number | null {
  return event.type === 'chat.upserted' && event.source === 'LIVE' ? null : event.data.unreadCount;
}

const chatKey = (params: readonly SqlParam[]): string => chatTouched(params[0]!, params[1]!);

/** A chat's form: keyed by the chat, touching nothing else. */
function chatForm(name: string, repeat: SetForm['repeat'], sql: string, types: readonly string[]): SetForm {
  return { name, repeat, key: chatKey, touches: (params) => [chatKey(params)], sql: overRows(sql, types) };
}

const CREATE_CHAT = `INSERT INTO chats (account_id, chat_jid, kind, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id, chat_jid) DO NOTHING`;

// null means "unknown" in an upsert and "unchanged" in an update: both keep what is stored.
const CHANGE_CHAT = `UPDATE chats SET
         kind = COALESCE($3::text, kind),
         name = COALESCE($4::text, name),
         display_name = COALESCE($5::text, display_name),
         pn_jid = COALESCE($6::text, pn_jid),
         lid_jid = COALESCE($7::text, lid_jid),
         description = COALESCE($8::text, description),
         unread_count = COALESCE($9::integer, unread_count),
         unread_mentions = COALESCE($10::integer, unread_mentions),
         marked_unread = COALESCE($11::boolean, marked_unread),
         archived = CASE WHEN $12::boolean IS NOT NULL AND archived_at <= $24::bigint THEN $12::boolean ELSE archived END,
         archived_at = CASE WHEN $12::boolean IS NOT NULL AND archived_at <= $24::bigint THEN $24::bigint ELSE archived_at END,
         pinned = CASE WHEN $13::boolean IS NOT NULL AND pinned_at <= $24::bigint THEN $13::boolean ELSE pinned END,
         pinned_since = CASE WHEN $13::boolean IS NOT NULL AND pinned_at <= $24::bigint THEN $14::bigint ELSE pinned_since END,
         pinned_at = CASE WHEN $13::boolean IS NOT NULL AND pinned_at <= $24::bigint THEN $24::bigint ELSE pinned_at END,
         muted_until = CASE WHEN $15::boolean IS NOT NULL AND muted_at <= $24::bigint THEN $16::bigint ELSE muted_until END,
         muted_at = CASE WHEN $15::boolean IS NOT NULL AND muted_at <= $24::bigint THEN $24::bigint ELSE muted_at END,
         ephemeral_seconds = CASE WHEN $17::integer IS NOT NULL AND ephemeral_at <= $18::bigint THEN NULLIF($17::integer, 0) ELSE ephemeral_seconds END,
         ephemeral_at = CASE WHEN $17::integer IS NOT NULL AND ephemeral_at <= $18::bigint THEN $18::bigint ELSE ephemeral_at END,
         last_message_at = GREATEST(last_message_at, $19::bigint),
         read_only = COALESCE($20::boolean, read_only),
         locked = COALESCE($21::boolean, locked),
         is_parent = COALESCE($22::boolean, is_parent),
         parent_jid = COALESCE($23::text, parent_jid),
         created_at = COALESCE($25::bigint, created_at),
         created_by = COALESCE($26::text, created_by),
         updated_at = GREATEST(updated_at, $24::bigint)
       WHERE account_id = $1 AND chat_jid = $2`;

const READ_CHAT = 'UPDATE messages SET unread = false WHERE account_id = $1 AND chat_jid = $2 AND unread';

// A chat created twice is created once; its changes apply one after the other; its messages are read once.
const CHATS_CREATED = chatForm('chats.create', 'first', CREATE_CHAT, ['text', 'text', 'text', 'bigint']);
const CHATS_CHANGED = chatForm('chats.change', 'waves', CHANGE_CHAT, [
  ...['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'integer', 'integer', 'boolean', 'boolean', 'boolean'],
  ...['bigint', 'boolean', 'bigint', 'integer', 'bigint', 'bigint', 'boolean', 'boolean', 'boolean', 'text', 'bigint', 'bigint', 'text'],
]);
const CHATS_READ = chatForm('chats.read', 'first', READ_CHAT, ['text', 'text']);

function chatChanged(event: ChatChangedEvent): Statement[] {
  const { accountId, occurredAt, data } = event;
  const chatJid = data.chatJid;
  const unreadCount = unreadCountOf(event);
  const ephemeralAt = data.ephemeralSettingAt ?? occurredAt;
  const statements = [
    statement(CREATE_CHAT, [accountId, chatJid, chatKindOf(data.kind, chatJid), occurredAt], CHATS_CREATED),
    statement(
      CHANGE_CHAT,
      [
        accountId,
        chatJid,
        data.kind === null || data.kind === 'UNKNOWN' ? null : chatKindOf(data.kind, chatJid),
        data.name,
        data.displayName,
        data.pnJid,
        data.lidJid,
        data.description,
        unreadCount,
        data.unreadMentionCount,
        data.markedAsUnread,
        data.archived,
        data.pinned,
        data.pinned === true ? (data.pinnedAt ?? occurredAt) : null,
        data.muted,
        mutedUntilOf(data),
        data.ephemeralExpirationSeconds,
        ephemeralAt,
        data.lastMessageAt,
        data.readOnly,
        data.locked,
        data.isParentGroup,
        data.parentGroupJid,
        occurredAt,
        data.createdAt,
        data.createdBy,
      ],
      CHATS_CHANGED,
    ),
  ];
  if (unreadCount === 0) {
    // Read on some device: the chat's messages no longer count as unread.
    statements.push(statement(READ_CHAT, [accountId, chatJid], CHATS_READ));
  }
  return statements;
}

/** chats: the chat list and each chat's settings. */
export function evolveChats(event: ProjectedEvent): Statement[] {
  if (event.topic === 'account') {
    return event.type === 'account.deleted' ? [statement('DELETE FROM chats WHERE account_id = $1', [event.accountId])] : [];
  }
  if (event.topic !== 'conversation') return [];
  switch (event.type) {
    case 'chat.upserted':
    case 'chat.updated':
      return chatChanged(event);
    case 'chat.deleted':
      // The messages model deleted the chat's messages up to the deletion; newer ones keep the chat.
      return [
        statement(
          `DELETE FROM chats c WHERE c.account_id = $1 AND c.chat_jid = $2
             AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.account_id = c.account_id AND m.chat_jid = c.chat_jid)`,
          [event.accountId, event.data.chatJid],
        ),
      ];
    default:
      return [];
  }
}
