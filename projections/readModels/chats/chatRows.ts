import type { ChatKind, ChatRow } from '../ReadModels.js';

/** A `chats` row (with its shown name and labels joined in) as the read side shows it. */
export function toChatRow(row: Record<string, unknown>): ChatRow {
  return {
    accountId: row.account_id as string,
    chatJid: row.chat_jid as string,
    kind: row.kind as ChatKind,
    name: row.shown_name as string | null,
    unreadCount: row.unread_count as number,
    lastMessageId: row.last_message_id as string | null,
    lastMessageAt: row.last_message_at as number | null,
    archived: row.archived as boolean,
    pinned: row.pinned as boolean,
    mutedUntil: row.muted_until as number | null,
    labels: (row.labels as string[] | null) ?? [],
    ephemeralSeconds: row.ephemeral_seconds as number | null,
  };
}
