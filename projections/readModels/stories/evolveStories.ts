import type { ProjectedEvent } from '../../events/index.js';
import { isStory } from '../messages/evolveMessages.js';
import { mediaInfoOf, messageTypeOf, summarizeContent } from '../messages/messageContent.js';
import { jsonParam, statement, type Statement } from '../shared/index.js';

/** stories: statuses posted by this account or received from contacts. */
export function evolveStories(event: ProjectedEvent): Statement[] {
  if (event.topic === 'account') {
    return event.type === 'account.deleted' ? [statement('DELETE FROM stories WHERE account_id = $1', [event.accountId])] : [];
  }
  if (event.topic !== 'conversation') return [];
  switch (event.type) {
    case 'message.received':
    case 'message.sent':
    case 'message.history':
    case 'story.received':
    case 'story.posted': {
      if (!isStory(event)) return [];
      const message = event.data.message;
      const summary = summarizeContent(message.content);
      return [
        statement(
          `INSERT INTO stories (account_id, story_id, sender_jid, from_me, type, text, caption, media, content, timestamp, event_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11)
           ON CONFLICT (account_id, story_id) DO NOTHING`,
          [
            event.accountId,
            message.key.id,
            message.senderJid ?? message.key.participant,
            message.key.fromMe,
            messageTypeOf(message.kind),
            summary.text,
            summary.caption,
            summary.media === null ? null : jsonParam(mediaInfoOf(summary.media)),
            jsonParam(message.content),
            message.timestamp,
            event.eventId,
          ],
        ),
      ];
    }
    default:
      return [];
  }
}
