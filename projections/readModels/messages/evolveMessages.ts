import type { Avro, ConversationEvent, ProjectedEvent } from '../../events/index.js';
import { chatKindOfJid, chatTouched, jsonParam, messageTouched, rowsFrom, statement, STATUS_JID, type SetForm, type Statement } from '../shared/index.js';
import { mediaInfoOf, messageTypeOf, READ_RANK, statusRank, summarizeContent } from './messageContent.js';

/** A chat's incoming message is its new last one: a later second, or the same second and a later (or equal) event sequence. */
const NEWER_LAST_MESSAGE = `c.last_message_at IS NULL OR c.last_message_at < excluded.last_message_at
           OR (c.last_message_at = excluded.last_message_at AND (c.last_message_sequence IS NULL OR c.last_message_sequence <= excluded.last_message_sequence))`;

type Recorded = Extract<ConversationEvent, { data: Avro.MessageRecorded }>;

const KEY = 'account_id = $1 AND chat_jid = $2 AND message_id = $3';

/** The key of a statement whose first three parameters are a message's account, chat and id. */
const messageKey = (params: readonly unknown[]): string => messageTouched(params[0] as string, params[1] as string, params[2] as string);

/** The chat columns a recorded message sets, for the chat it creates or counts itself in. */
const COUNT_IN_CHAT = `ON CONFLICT (account_id, chat_jid) DO UPDATE SET
       message_count = c.message_count + excluded.message_count,
       unread_count = c.unread_count + excluded.unread_count,
       last_message_id = CASE WHEN ${NEWER_LAST_MESSAGE} THEN excluded.last_message_id ELSE c.last_message_id END,
       last_message_sequence = CASE WHEN ${NEWER_LAST_MESSAGE} THEN excluded.last_message_sequence ELSE c.last_message_sequence END,
       last_message_at = GREATEST(COALESCE(c.last_message_at, excluded.last_message_at), excluded.last_message_at),
       updated_at = GREATEST(c.updated_at, excluded.updated_at)`;

/**
 * Recorded messages, many at once. The first of a key is the one inserted (a later one does
 * nothing). Each chat then takes its new messages as one: counted together, and the last one
 * is the newest of them (ties to the later event), which the stored last message then meets
 * exactly as each would have, one after the other.
 */
const RECORD_MESSAGES: SetForm = {
  name: 'messages.record',
  repeat: 'first',
  key: messageKey,
  touches: (p) => [messageKey(p), chatTouched(p[0]!, p[1]!)],
  sql: `WITH r AS (
       SELECT * FROM ${rowsFrom(['text', 'text', 'text', 'boolean', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'integer', 'text', 'text', 'text[]', 'text', 'text', 'boolean', 'boolean', 'text', 'text', 'bigint', 'text', 'bigint'])}
     ),
     inserted AS (
       INSERT INTO messages (account_id, chat_jid, message_id, from_me, sender_jid, push_name, direction, type, text, caption,
                             timestamp, status_rank, media, quoted_id, mentions, content, context, starred, unread,
                             source, event_id, recorded_at, sequence)
       SELECT p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13::jsonb, p14, p15, p16::jsonb, p17::jsonb, p18,
              p19 AND GREATEST(p12, COALESCE((SELECT s.status_rank FROM message_state s
                                              WHERE s.account_id = r.p1 AND s.chat_jid = r.p2 AND s.message_id = r.p3), 0)) < ${READ_RANK},
              p20, p21, p22, p24
       FROM r
       ON CONFLICT (account_id, chat_jid, message_id) DO NOTHING
       RETURNING account_id, chat_jid, message_id, unread
     ),
     added AS (
       SELECT r.p1, r.p2, r.p3, r.p11, r.p22, r.p23, r.p24, r.n, i.unread FROM inserted i
       JOIN r ON r.p1 = i.account_id AND r.p2 = i.chat_jid AND r.p3 = i.message_id
     ),
     counts AS (
       SELECT p1, p2, min(p23) AS kind, max(p22) AS updated_at, count(*) AS messages, count(*) FILTER (WHERE unread) AS unread,
              (array_agg(p3 ORDER BY p11 DESC, p24 DESC, n DESC))[1] AS last_id,
              (array_agg(p24 ORDER BY p11 DESC, p24 DESC, n DESC))[1] AS last_sequence, max(p11) AS last_at
       FROM added GROUP BY p1, p2
     )
     INSERT INTO chats AS c (account_id, chat_jid, kind, updated_at, message_count, unread_count, last_message_id, last_message_at, last_message_sequence)
     SELECT p1, p2, kind, updated_at, messages, unread, last_id, last_at, last_sequence FROM counts
     ${COUNT_IN_CHAT}`,
};

/** The chat an event about a message is in: the envelope's normalised chat, else the key's. */
function chatOf(event: ProjectedEvent, key: Avro.MessageKey): string {
  return event.chatJid ?? key.remoteJid;
}

/** True for a recorded message that belongs to the stories read model. */
export function isStory(event: Recorded): boolean {
  return event.type === 'story.received' || event.type === 'story.posted' || chatOf(event, event.data.message.key) === STATUS_JID;
}

function recordMessage(event: Recorded): Statement[] {
  const { accountId, data } = event;
  const message = data.message;
  const chatJid = chatOf(event, message.key);
  const summary = summarizeContent(message.content);
  const fromMe = message.key.fromMe;
  const direction = data.direction === 'UNKNOWN' ? (fromMe ? 'outbound' : 'inbound') : data.direction.toLowerCase();
  const context = message.contextInfo;
  // Only a live inbound message makes a chat unread; history brings its own unread counts.
  const countsAsUnread = event.type === 'message.received' && direction === 'inbound' && !fromMe && message.kind !== 'STUB';
  const insert = statement(
    `WITH inserted AS (
       INSERT INTO messages (account_id, chat_jid, message_id, from_me, sender_jid, push_name, direction, type, text, caption,
                             timestamp, status_rank, media, quoted_id, mentions, content, context, starred, unread,
                             source, event_id, recorded_at, sequence)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15::text[], $16::jsonb, $17::jsonb, $18,
               $19 AND GREATEST($12, COALESCE((SELECT s.status_rank FROM message_state s
                                                WHERE s.account_id = $1 AND s.chat_jid = $2 AND s.message_id = $3), 0)) < ${READ_RANK},
               $20, $21, $22, $24)
       ON CONFLICT (account_id, chat_jid, message_id) DO NOTHING
       RETURNING unread
     )
     INSERT INTO chats AS c (account_id, chat_jid, kind, updated_at, message_count, unread_count, last_message_id, last_message_at, last_message_sequence)
     SELECT $1, $2, $23::text, $22, 1, CASE WHEN i.unread THEN 1 ELSE 0 END, $3, $11, $24 FROM inserted i
     ${COUNT_IN_CHAT}`,
    [
      accountId,
      chatJid,
      message.key.id,
      fromMe,
      message.senderJid ?? (fromMe ? null : (message.key.participant ?? chatJid)),
      message.pushName,
      direction,
      messageTypeOf(message.kind),
      summary.text,
      summary.caption,
      message.timestamp,
      statusRank(message.status),
      summary.media === null ? null : jsonParam(mediaInfoOf(summary.media)),
      context?.quotedMessageId ?? null,
      context?.mentionedJids ?? [],
      jsonParam(message.content),
      jsonParam(context),
      message.starred,
      countsAsUnread,
      event.source,
      event.eventId,
      event.recordedAt,
      chatKindOfJid(chatJid),
      event.sequence,
    ],
    RECORD_MESSAGES,
  );
  // One statement: the message, and (only when it is new) its chat, created or counted.
  return [insert];
}

/** Upserts one message_state row, changing `columns` only where `guard` holds on the stored row. */
function upsertState(event: ProjectedEvent, key: Avro.MessageKey, columns: Record<string, Statement['params'][number]>, update: string, guard: string | null, form?: SetForm): Statement {
  const names = Object.keys(columns);
  const values = Object.values(columns);
  return statement(stateUpsertSql(names, (i) => `$${i}`, '', update, guard), [event.accountId, chatOf(event, key), key.id, ...values], form);
}

function stateUpsertSql(names: readonly string[], param: (i: number) => string, from: string, update: string, guard: string | null): string {
  const values = [1, 2, 3, ...names.map((_, i) => i + 4)].map(param).join(', ');
  return `INSERT INTO message_state (account_id, chat_jid, message_id, ${names.join(', ')})
     ${from === '' ? `VALUES (${values})` : `SELECT ${values} FROM ${from}`}
     ON CONFLICT (account_id, chat_jid, message_id) DO UPDATE SET ${update}${guard === null ? '' : ` WHERE ${guard}`}`;
}

const STATUS_UPDATE = 'status_rank = excluded.status_rank, status_at = excluded.status_at';
const STATUS_GUARD = 'message_state.status_rank < excluded.status_rank';

/** Status changes, many messages at once; a message's later changes go in later statements (the guard decides each). */
const STATUS_CHANGES: SetForm = {
  name: 'messages.status',
  repeat: 'waves',
  key: messageKey,
  touches: (p) => [messageKey(p)],
  sql: stateUpsertSql(['status_rank', 'status_at'], (i) => `p${i}`, rowsFrom(['text', 'text', 'text', 'integer', 'bigint']), STATUS_UPDATE, STATUS_GUARD),
};

/**
 * Messages read, many at once: each chat loses as many unread as it had messages among them
 * still unread (one at a time, floored at 0, comes to the same). A message read twice counts once.
 */
const MESSAGES_READ: SetForm = {
  name: 'messages.read',
  repeat: 'first',
  key: messageKey,
  touches: (p) => [messageKey(p), chatTouched(p[0]!, p[1]!)],
  sql: `WITH r AS (SELECT * FROM ${rowsFrom(['text', 'text', 'text'])}),
     seen AS (
       UPDATE messages m SET unread = false FROM r
       WHERE m.account_id = r.p1 AND m.chat_jid = r.p2 AND m.message_id = r.p3 AND m.unread
       RETURNING m.account_id, m.chat_jid
     ),
     per_chat AS (SELECT account_id, chat_jid, count(*) AS seen FROM seen GROUP BY account_id, chat_jid)
     UPDATE chats c SET unread_count = GREATEST(c.unread_count - p.seen, 0) FROM per_chat p
     WHERE c.account_id = p.account_id AND c.chat_jid = p.chat_jid`,
};

function statusChanged(event: Extract<ConversationEvent, { type: 'message.status' }>): Statement[] {
  const { key, status, statusAt } = event.data;
  const rank = statusRank(status);
  if (rank === 0) return [];
  const statements = [
    upsertState(
      event,
      key,
      { status_rank: rank, status_at: statusAt ?? event.occurredAt },
      STATUS_UPDATE,
      STATUS_GUARD,
      STATUS_CHANGES,
    ),
  ];
  if (rank >= READ_RANK) {
    // The account read an inbound message (on another device): it no longer counts as unread.
    statements.push(
      statement(
        `WITH seen AS (UPDATE messages SET unread = false WHERE ${KEY} AND unread RETURNING 1)
         UPDATE chats SET unread_count = GREATEST(unread_count - (SELECT count(*) FROM seen), 0)
         WHERE account_id = $1 AND chat_jid = $2 AND EXISTS (SELECT 1 FROM seen)`,
        [event.accountId, chatOf(event, key), key.id],
        MESSAGES_READ,
      ),
    );
  }
  return statements;
}

/** Deletes the messages of a chat up to `upTo` (and what hangs off them); keeps starred ones when asked. */
function clearChat(accountId: string, chatJid: string, upTo: number, keepStarred: boolean): Statement[] {
  const params = [accountId, chatJid, upTo, keepStarred];
  const orphan = (table: string, idColumn = 'message_id'): Statement =>
    statement(
      `DELETE FROM ${table} t WHERE t.account_id = $1 AND t.chat_jid = $2
         AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.account_id = t.account_id AND m.chat_jid = t.chat_jid AND m.message_id = t.${idColumn})`,
      [accountId, chatJid],
    );
  return [
    statement(
      `DELETE FROM messages m WHERE m.account_id = $1 AND m.chat_jid = $2 AND m.timestamp <= $3
         AND NOT ($4 AND COALESCE((SELECT s.starred FROM message_state s
                                  WHERE s.account_id = m.account_id AND s.chat_jid = m.chat_jid AND s.message_id = m.message_id), m.starred))`,
      params,
    ),
    // Clearing happens in the open chat: what is left of it up to then counts as read.
    statement('UPDATE messages SET unread = false WHERE account_id = $1 AND chat_jid = $2 AND unread AND timestamp <= $3', [accountId, chatJid, upTo]),
    orphan('message_state'),
    orphan('message_reactions'),
    orphan('message_edits'),
    orphan('poll_votes', 'poll_id'),
    statement(
      `UPDATE chats c SET
         message_count = (SELECT count(*) FROM messages m WHERE m.account_id = $1 AND m.chat_jid = $2),
         unread_count = (SELECT count(*) FROM messages m WHERE m.account_id = $1 AND m.chat_jid = $2 AND m.unread),
         last_message_id = (SELECT m.message_id FROM messages m WHERE m.account_id = $1 AND m.chat_jid = $2
                            ORDER BY m.timestamp DESC, m.sequence DESC, m.message_id DESC LIMIT 1),
         last_message_sequence = (SELECT m.sequence FROM messages m WHERE m.account_id = $1 AND m.chat_jid = $2
                            ORDER BY m.timestamp DESC, m.sequence DESC, m.message_id DESC LIMIT 1)
       WHERE c.account_id = $1 AND c.chat_jid = $2`,
      [accountId, chatJid],
    ),
  ];
}

/** messages: every recorded message and what happens to it; keeps its chat's counts and last message. */
export function evolveMessages(event: ProjectedEvent): Statement[] {
  if (event.topic === 'account') {
    if (event.type !== 'account.deleted') return [];
    return ['poll_votes', 'message_edits', 'message_reactions', 'message_state', 'messages'].map((table) =>
      statement(`DELETE FROM ${table} WHERE account_id = $1`, [event.accountId]),
    );
  }
  if (event.topic !== 'conversation') return [];
  switch (event.type) {
    case 'message.received':
    case 'message.sent':
    case 'message.history':
    case 'story.received':
    case 'story.posted':
      return isStory(event) ? [] : recordMessage(event);
    case 'message.status':
      return statusChanged(event);
    case 'message.reaction': {
      const { reaction, reactorJid } = event.data;
      const target = reaction.targetKey;
      return [
        statement(
          `INSERT INTO message_reactions (account_id, chat_jid, message_id, reactor_jid, emoji, at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (account_id, chat_jid, message_id, reactor_jid)
           DO UPDATE SET emoji = excluded.emoji, at = excluded.at WHERE message_reactions.at <= excluded.at`,
          [event.accountId, chatOf(event, target), target.id, reactorJid, reaction.text, reaction.senderTimestamp ?? event.occurredAt],
        ),
      ];
    }
    case 'message.edited': {
      const { targetKey, content, editedAt } = event.data;
      const summary = summarizeContent(content);
      return [
        statement(
          `INSERT INTO message_edits (account_id, chat_jid, message_id, edited_at, text, content) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
           ON CONFLICT (account_id, chat_jid, message_id, edited_at) DO NOTHING`,
          [event.accountId, chatOf(event, targetKey), targetKey.id, editedAt, summary.text ?? summary.caption, jsonParam(content)],
        ),
      ];
    }
    case 'message.deleted':
    case 'story.deleted': {
      const { targetKey, scope, deletedAt } = event.data;
      return [
        upsertState(
          event,
          targetKey,
          { deleted: true, deleted_scope: scope, deleted_at: deletedAt ?? event.occurredAt },
          `deleted = true,
           deleted_scope = CASE WHEN message_state.deleted_scope = 'FOR_EVERYONE' THEN message_state.deleted_scope ELSE excluded.deleted_scope END,
           deleted_at = LEAST(COALESCE(message_state.deleted_at, excluded.deleted_at), excluded.deleted_at)`,
          null,
        ),
      ];
    }
    case 'message.starred':
    case 'message.unstarred':
      return [
        upsertState(
          event,
          event.data.targetKey,
          { starred: event.data.starred, starred_at: event.occurredAt },
          'starred = excluded.starred, starred_at = excluded.starred_at',
          'message_state.starred_at <= excluded.starred_at',
        ),
      ];
    case 'message.pinned':
    case 'message.unpinned':
      return [
        upsertState(
          event,
          event.data.targetKey,
          { pinned: event.data.pinned, pinned_at: event.occurredAt, pin_expires_at: event.data.pinned ? event.data.expiresAt : null },
          'pinned = excluded.pinned, pinned_at = excluded.pinned_at, pin_expires_at = excluded.pin_expires_at',
          'message_state.pinned_at <= excluded.pinned_at',
        ),
      ];
    case 'message.media':
      return [
        upsertState(
          event,
          event.data.targetKey,
          { media: jsonParam(mediaInfoOf(event.data.media)), media_at: event.occurredAt },
          'media = excluded.media, media_at = excluded.media_at',
          'message_state.media_at <= excluded.media_at',
        ),
      ];
    case 'poll.vote': {
      const { vote, voterJid } = event.data;
      return [
        statement(
          `INSERT INTO poll_votes (account_id, chat_jid, poll_id, voter_jid, options, at) VALUES ($1, $2, $3, $4, $5::text[], $6)
           ON CONFLICT (account_id, chat_jid, poll_id, voter_jid)
           DO UPDATE SET options = excluded.options, at = excluded.at WHERE poll_votes.at <= excluded.at`,
          [event.accountId, chatOf(event, vote.pollKey), vote.pollKey.id, voterJid, vote.selectedOptions, vote.senderTimestamp ?? event.occurredAt],
        ),
      ];
    }
    case 'chat.cleared':
      return clearChat(event.accountId, event.data.chatJid, event.data.clearedAt ?? event.occurredAt, event.data.keepStarred ?? false);
    case 'chat.deleted':
      return clearChat(event.accountId, event.data.chatJid, event.data.deletedAt ?? event.occurredAt, false);
    case 'chat.upserted':
    case 'chat.updated':
    case 'history.sync':
      return [];
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}
