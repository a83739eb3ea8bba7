import type { EditRow, MediaInfo, MessageRow, ReactionRow } from '../ReadModels.js';
import { statusOfRank } from './messageContent.js';

/**
 * The media a message shows: what the message said (file name, mimetype, size), overlaid by
 * what the later `message.media` event learnt (stored id, state) where that one knows better.
 */
export function mergedMedia(message: unknown, update: unknown): unknown {
  if (update === null || update === undefined || typeof update !== 'object') return message;
  if (message === null || message === undefined || typeof message !== 'object') return update;
  const known = Object.fromEntries(Object.entries(update as Record<string, unknown>).filter(([, value]) => value !== null && value !== undefined));
  return { ...(message as Record<string, unknown>), ...known };
}

/** The media part of a stored media JSON value. */
export function toMediaInfo(value: unknown): MediaInfo | null {
  if (value === null || typeof value !== 'object') return null;
  const media = value as Record<string, unknown>;
  return {
    mediaId: (media.mediaId as string | null) ?? null,
    mimetype: (media.mimetype as string | null) ?? null,
    fileName: (media.fileName as string | null) ?? null,
    size: (media.size as number | null) ?? null,
    state: (media.state as string | undefined) ?? 'pending',
  };
}

/**
 * A `messages` row joined with its `message_state`, plus its reactions and edits, as the read
 * side shows it: the newest edit replaces the text (or the caption of a media message).
 */
export function toMessageRow(row: Record<string, unknown>, reactions: ReactionRow[], edits: EditRow[], now: number): MessageRow {
  const latestEdit = edits.length > 0 ? edits[edits.length - 1]! : null;
  const text = row.text as string | null;
  const caption = row.caption as string | null;
  const editsCaption = latestEdit !== null && text === null && row.type !== 'text';
  const pinExpiresAt = row.pin_expires_at as number | null;
  return {
    accountId: row.account_id as string,
    chatJid: row.chat_jid as string,
    messageId: row.message_id as string,
    fromMe: row.from_me as boolean,
    senderJid: row.sender_jid as string | null,
    direction: row.direction as MessageRow['direction'],
    type: row.type as string,
    text: latestEdit !== null && !editsCaption ? latestEdit.text : text,
    caption: editsCaption ? latestEdit.text : caption,
    timestamp: row.timestamp as number,
    status: statusOfRank(Math.max(row.status_rank as number, (row.state_status_rank as number | null) ?? 0)),
    media: toMediaInfo(mergedMedia(row.media, row.state_media)),
    quotedMessageId: row.quoted_id as string | null,
    mentions: (row.mentions as string[] | null) ?? [],
    reactions,
    edits,
    deleted: (row.deleted as boolean | null) ?? false,
    starred: (row.state_starred as boolean | null) ?? (row.starred as boolean),
    pinned: ((row.state_pinned as boolean | null) ?? false) && (pinExpiresAt === null || pinExpiresAt > now),
    content: (row.content as Record<string, unknown> | null) ?? null,
    source: row.source as string,
  };
}
