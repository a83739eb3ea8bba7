import { mergedMedia, toMediaInfo } from '../messages/messageRows.js';
import type { StoryRow } from '../ReadModels.js';

/** A `stories` row joined with its `message_state` (deletion, stored media). */
export function toStoryRow(row: Record<string, unknown>): StoryRow {
  return {
    accountId: row.account_id as string,
    storyId: row.story_id as string,
    senderJid: row.sender_jid as string | null,
    fromMe: row.from_me as boolean,
    type: row.type as string,
    text: row.text as string | null,
    caption: row.caption as string | null,
    media: toMediaInfo(mergedMedia(row.media, row.state_media)),
    timestamp: row.timestamp as number,
    deleted: (row.deleted as boolean | null) ?? false,
  };
}
