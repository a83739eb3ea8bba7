import type { SqlParam, SqlRow, SqlStore } from '../store/index.js';
import { sqlError } from '../store/index.js';
import { toAccountRow, toConnectionHistoryRow } from './accounts/index.js';
import { toChatRow } from './chats/index.js';
import { toCommandRow } from './commands/index.js';
import { toContactRow } from './contacts/index.js';
import { toGroupRow, toParticipantRow } from './groups/index.js';
import { toLabelRow } from './labels/index.js';
import { toMessageRow } from './messages/index.js';
import { toNewsletterRow } from './newsletters/index.js';
import { decodeChatCursor, encodeChatCursor, MAX_LIMIT, safePage } from './pagination.js';
import type {
  AccountRow,
  ChatRow,
  CommandRow,
  ConnectionHistoryRow,
  ContactRow,
  EditRow,
  GroupRow,
  Lag,
  LabelRow,
  MessageRow,
  NewsletterRow,
  Page,
  Paged,
  ReactionRow,
  ReadModels,
  StoryRow,
  WebhookAttemptOutcome,
  WebhookAttemptRow,
} from './ReadModels.js';
import { STATUS_JID } from './shared/index.js';
import { toStoryRow } from './stories/index.js';
import { toWebhookAttemptRow, webhookAttemptOutcome } from './webhooks/index.js';

/** The first and next offsets of one partition of the log. */
export interface PartitionEnds {
  topic: string;
  partition: number;
  low: number;
  high: number;
}

/** Reads the current ends of the topics' partitions (for lag); the Kafka one is `kafkaLogEnds`. */
export type LogEnds = (topics: readonly string[]) => Promise<PartitionEnds[]>;

export interface SqlReadModelsOptions {
  store: SqlStore;
  /** The topics the projector reads; with `logEnds`, lag() counts the events not applied yet. */
  topics?: readonly string[];
  logEnds?: LogEnds;
  now?: () => number;
}

const CHAT_COLUMNS = `c.*,
  COALESCE(c.name, g.subject, n.name, ct.name, ct.verified_name, ct.notify, c.display_name) AS shown_name,
  ARRAY(SELECT lc.label_id FROM label_chats lc
        WHERE lc.account_id = c.account_id AND lc.chat_jid = c.chat_jid AND lc.attached ORDER BY lc.label_id) AS labels`;

const CHAT_JOINS = `
  LEFT JOIN groups g ON g.account_id = c.account_id AND g.group_jid = c.chat_jid
  LEFT JOIN newsletters n ON n.account_id = c.account_id AND n.jid = c.chat_jid
  LEFT JOIN contacts ct ON ct.account_id = c.account_id AND ct.jid = c.chat_jid`;

const MESSAGE_COLUMNS = `m.*, s.status_rank AS state_status_rank, s.deleted, s.starred AS state_starred,
  s.pinned AS state_pinned, s.pin_expires_at, s.media AS state_media`;

const MESSAGE_STATE_JOIN = `
  LEFT JOIN message_state s ON s.account_id = m.account_id AND s.chat_jid = m.chat_jid AND s.message_id = m.message_id`;

/** The chats of the chat list: stories have their own list. */
const LISTED_CHAT = `c.kind <> 'status'`;

/**
 * A subscription's dead letters: attempts that sent their delivery to the dead-letter topic
 * (the partial index `webhook_attempts_dead` holds exactly these, in order) and are still the
 * latest attempt of their delivery (a later redelivery of it may have succeeded).
 */
const DEAD_LETTER = `a.subscription_id = $1 AND a.outcome IN ('DEAD', 'GONE', 'DISABLED')
  AND NOT EXISTS (SELECT 1 FROM webhook_attempts later WHERE later.delivery_id = a.delivery_id
                  AND (later.attempted_at, later.attempt, later.attempt_id) > (a.attempted_at, a.attempt, a.attempt_id))`;

/** The ReadModels queries over the projector's tables, on PGlite or PostgreSQL; every value is a parameter. */
export class SqlReadModels implements ReadModels {
  private readonly store: SqlStore;
  private readonly now: () => number;

  constructor(private readonly options: SqlReadModelsOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
  }

  async accounts(): Promise<AccountRow[]> {
    return (await this.rows('SELECT * FROM accounts ORDER BY created_at, account_id')).map(toAccountRow);
  }

  async account(accountId: string): Promise<AccountRow | null> {
    const [row] = await this.rows('SELECT * FROM accounts WHERE account_id = $1', [String(accountId)]);
    return row === undefined ? null : toAccountRow(row);
  }

  async connectionHistory(accountId: string, page: Page): Promise<ConnectionHistoryRow[]> {
    const { limit, offset } = safePage(page, MAX_LIMIT.lists);
    const rows = await this.rows('SELECT * FROM connection_history WHERE account_id = $1 ORDER BY at DESC, event_id DESC LIMIT $2 OFFSET $3', [String(accountId), limit, offset]);
    return rows.map(toConnectionHistoryRow);
  }

  async chats(accountId: string, page: Page & { cursor?: string | null }): Promise<Paged<ChatRow>> {
    const { limit, offset } = safePage(page, MAX_LIMIT.lists);
    const cursor = typeof page?.cursor === 'string' && page.cursor !== '' ? decodeChatCursor(page.cursor) : null;
    const params: SqlParam[] = [String(accountId), limit + 1];
    let where = `c.account_id = $1 AND ${LISTED_CHAT}`;
    if (cursor !== null) {
      params.push(cursor.activityAt, cursor.chatJid);
      where += ' AND (c.activity_at < $3 OR (c.activity_at = $3 AND c.chat_jid > $4))';
    } else {
      params.push(offset);
    }
    const rows = await this.rows(
      `SELECT ${CHAT_COLUMNS} FROM chats c ${CHAT_JOINS}
       WHERE ${where} ORDER BY c.activity_at DESC, c.chat_jid ASC LIMIT $2${cursor === null ? ' OFFSET $3' : ''}`,
      params,
    );
    const [count] = await this.rows(`SELECT count(*) AS total FROM chats c WHERE c.account_id = $1 AND ${LISTED_CHAT}`, [String(accountId)]);
    const more = rows.length > limit;
    const page_ = rows.slice(0, limit);
    const last = page_[page_.length - 1];
    return {
      items: page_.map(toChatRow),
      total: (count?.total as number) ?? 0,
      nextCursor: more && last !== undefined ? encodeChatCursor({ activityAt: last.activity_at as number, chatJid: last.chat_jid as string }) : null,
    };
  }

  async chat(accountId: string, chatJid: string): Promise<ChatRow | null> {
    const [row] = await this.rows(`SELECT ${CHAT_COLUMNS} FROM chats c ${CHAT_JOINS} WHERE c.account_id = $1 AND c.chat_jid = $2`, [String(accountId), String(chatJid)]);
    return row === undefined ? null : toChatRow(row);
  }

  async messagesOfChat(accountId: string, chatJid: string, page: Page): Promise<Paged<MessageRow>> {
    const { limit, offset } = safePage(page, MAX_LIMIT.messages);
    const rows = await this.rows(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m ${MESSAGE_STATE_JOIN}
       WHERE m.account_id = $1 AND m.chat_jid = $2 ORDER BY m.timestamp DESC, m.sequence DESC, m.message_id DESC LIMIT $3 OFFSET $4`,
      [String(accountId), String(chatJid), limit + 1, offset],
    );
    const [chat] = await this.rows('SELECT message_count FROM chats WHERE account_id = $1 AND chat_jid = $2', [String(accountId), String(chatJid)]);
    return this.messagePage(accountId, rows, limit, offset, (chat?.message_count as number | undefined) ?? 0);
  }

  async messagesOfAccount(accountId: string, page: Page): Promise<Paged<MessageRow>> {
    const { limit, offset } = safePage(page, MAX_LIMIT.messages);
    const rows = await this.rows(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m ${MESSAGE_STATE_JOIN}
       WHERE m.account_id = $1 ORDER BY m.timestamp DESC, m.sequence DESC, m.message_id DESC LIMIT $2 OFFSET $3`,
      [String(accountId), limit + 1, offset],
    );
    // Per-chat counts kept on insert: no count(*) over an account's millions of messages.
    const [count] = await this.rows('SELECT COALESCE(sum(message_count), 0)::bigint AS total FROM chats WHERE account_id = $1', [String(accountId)]);
    return this.messagePage(accountId, rows, limit, offset, (count?.total as number | undefined) ?? 0);
  }

  async message(accountId: string, messageId: string): Promise<MessageRow | null> {
    const rows = await this.rows(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m ${MESSAGE_STATE_JOIN}
       WHERE m.account_id = $1 AND m.message_id = $2 ORDER BY m.timestamp DESC LIMIT 1`,
      [String(accountId), String(messageId)],
    );
    const [row] = await this.withReactionsAndEdits(String(accountId), rows);
    return row ?? null;
  }

  async contacts(accountId: string, page: Page): Promise<Paged<ContactRow>> {
    const { limit, offset } = safePage(page, MAX_LIMIT.lists);
    const rows = await this.rows(
      `SELECT ct.*, b.blocked FROM contacts ct
       LEFT JOIN blocklist b ON b.account_id = ct.account_id AND b.jid = ct.jid
       WHERE ct.account_id = $1 ORDER BY ct.jid LIMIT $2 OFFSET $3`,
      [String(accountId), limit + 1, offset],
    );
    const [count] = await this.rows('SELECT count(*) AS total FROM contacts WHERE account_id = $1', [String(accountId)]);
    return offsetPage(rows.map(toContactRow), limit, offset, (count?.total as number) ?? 0);
  }

  async blocked(accountId: string): Promise<string[]> {
    const rows = await this.rows('SELECT jid FROM blocklist WHERE account_id = $1 AND blocked ORDER BY jid', [String(accountId)]);
    return rows.map((row) => row.jid as string);
  }

  async groups(accountId: string, page: Page): Promise<Paged<GroupRow>> {
    const { limit, offset } = safePage(page, MAX_LIMIT.lists);
    const rows = await this.rows('SELECT * FROM groups WHERE account_id = $1 ORDER BY group_jid LIMIT $2 OFFSET $3', [String(accountId), limit + 1, offset]);
    const [count] = await this.rows('SELECT count(*) AS total FROM groups WHERE account_id = $1', [String(accountId)]);
    return offsetPage(await this.withParticipants(String(accountId), rows), limit, offset, (count?.total as number) ?? 0);
  }

  async group(accountId: string, groupJid: string): Promise<GroupRow | null> {
    const rows = await this.rows('SELECT * FROM groups WHERE account_id = $1 AND group_jid = $2', [String(accountId), String(groupJid)]);
    const [group] = await this.withParticipants(String(accountId), rows);
    return group ?? null;
  }

  async labels(accountId: string): Promise<LabelRow[]> {
    const rows = await this.rows(
      `SELECT l.*, ARRAY(SELECT lc.chat_jid FROM label_chats lc
                         WHERE lc.account_id = l.account_id AND lc.label_id = l.label_id AND lc.attached ORDER BY lc.chat_jid) AS chats
       FROM labels l WHERE l.account_id = $1 AND NOT l.deleted ORDER BY length(l.label_id), l.label_id`,
      [String(accountId)],
    );
    return rows.map(toLabelRow);
  }

  async stories(accountId: string, page: Page): Promise<Paged<StoryRow>> {
    const { limit, offset } = safePage(page, MAX_LIMIT.lists);
    const rows = await this.rows(
      `SELECT st.*, s.deleted, s.media AS state_media FROM stories st
       LEFT JOIN message_state s ON s.account_id = st.account_id AND s.chat_jid = $4 AND s.message_id = st.story_id
       WHERE st.account_id = $1 ORDER BY st.timestamp DESC, st.story_id DESC LIMIT $2 OFFSET $3`,
      [String(accountId), limit + 1, offset, STATUS_JID],
    );
    const [count] = await this.rows('SELECT count(*) AS total FROM stories WHERE account_id = $1', [String(accountId)]);
    return offsetPage(rows.map(toStoryRow), limit, offset, (count?.total as number) ?? 0);
  }

  async newsletters(accountId: string): Promise<NewsletterRow[]> {
    const rows = await this.rows('SELECT * FROM newsletters WHERE account_id = $1 ORDER BY name NULLS LAST, jid', [String(accountId)]);
    return rows.map(toNewsletterRow);
  }

  async communities(accountId: string): Promise<GroupRow[]> {
    const rows = await this.rows('SELECT * FROM groups WHERE account_id = $1 AND is_community ORDER BY group_jid', [String(accountId)]);
    return this.withParticipants(String(accountId), rows);
  }

  async command(commandId: string): Promise<CommandRow | null> {
    const [row] = await this.rows('SELECT * FROM command_results WHERE command_id = $1', [String(commandId)]);
    return row === undefined ? null : toCommandRow(row);
  }

  async webhookAttempts(subscriptionId: string, filter: { eventId?: string; outcome?: WebhookAttemptOutcome }, page: Page): Promise<Paged<WebhookAttemptRow>> {
    const { limit, offset } = safePage(page, MAX_LIMIT.lists);
    const params: SqlParam[] = [String(subscriptionId)];
    let where = 'subscription_id = $1';
    if (filter?.eventId !== undefined && filter.eventId !== null) {
      params.push(String(filter.eventId));
      where += ` AND event_id = $${params.length}`;
    }
    if (filter?.outcome !== undefined && filter.outcome !== null) {
      params.push(webhookAttemptOutcome(filter.outcome));
      where += ` AND outcome = $${params.length}`;
    }
    const rows = await this.rows(
      `SELECT * FROM webhook_attempts WHERE ${where} ORDER BY attempted_at DESC, attempt_id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit + 1, offset],
    );
    const [count] = await this.rows(`SELECT count(*) AS total FROM webhook_attempts WHERE ${where}`, params);
    return offsetPage(rows.map(toWebhookAttemptRow), limit, offset, (count?.total as number) ?? 0);
  }

  async webhookDeadLetters(subscriptionId: string, page: Page): Promise<Paged<WebhookAttemptRow>> {
    const { limit, offset } = safePage(page, MAX_LIMIT.lists);
    const rows = await this.rows(`SELECT a.* FROM webhook_attempts a WHERE ${DEAD_LETTER} ORDER BY a.attempted_at DESC, a.attempt_id DESC LIMIT $2 OFFSET $3`, [
      String(subscriptionId),
      limit + 1,
      offset,
    ]);
    const [count] = await this.rows(`SELECT count(*) AS total FROM webhook_attempts a WHERE ${DEAD_LETTER}`, [String(subscriptionId)]);
    return offsetPage(rows.map(toWebhookAttemptRow), limit, offset, (count?.total as number) ?? 0);
  }

  async lag(): Promise<Lag> {
    const positions = await this.rows('SELECT topic, partition, next_offset, applied_up_to FROM projection_positions');
    const appliedUpTo = positions.reduce<number | null>((max, row) => {
      const at = row.applied_up_to as number | null;
      return at === null ? max : Math.max(max ?? at, at);
    }, null);
    const { topics, logEnds } = this.options;
    if (topics === undefined || topics.length === 0 || logEnds === undefined) return { events: null, appliedUpTo };
    const next = new Map(positions.map((row) => [`${row.topic as string}:${row.partition as number}`, row.next_offset as number]));
    let events = 0;
    for (const end of await logEnds(topics)) {
      const position = next.get(`${end.topic}:${end.partition}`) ?? end.low;
      events += Math.max(0, end.high - Math.max(position, end.low));
    }
    return { events, appliedUpTo };
  }

  async ping(): Promise<void> {
    await this.rows('SELECT 1');
  }

  private async rows(sql: string, params: SqlParam[] = []): Promise<SqlRow[]> {
    try {
      return (await this.store.query(sql, params)).rows;
    } catch (error) {
      throw sqlError(error, 'reading the read models');
    }
  }

  private async messagePage(accountId: string, rows: SqlRow[], limit: number, offset: number, total: number): Promise<Paged<MessageRow>> {
    const items = await this.withReactionsAndEdits(String(accountId), rows.slice(0, limit));
    return { items, total: Math.max(total, offset + items.length), nextCursor: rows.length > limit ? String(offset + limit) : null };
  }

  /** Message rows with their reactions and edits, fetched for the whole page at once. */
  private async withReactionsAndEdits(accountId: string, rows: SqlRow[]): Promise<MessageRow[]> {
    if (rows.length === 0) return [];
    const chats = rows.map((row) => row.chat_jid as string);
    const ids = rows.map((row) => row.message_id as string);
    const keyed = (table: string, order: string): Promise<SqlRow[]> =>
      this.rows(
        `SELECT t.* FROM ${table} t JOIN unnest($2::text[], $3::text[]) AS k(chat_jid, message_id)
           ON t.chat_jid = k.chat_jid AND t.message_id = k.message_id
         WHERE t.account_id = $1 ORDER BY ${order}`,
        [accountId, chats, ids],
      );
    const [reactionRows, editRows] = await Promise.all([keyed('message_reactions', 't.at, t.reactor_jid'), keyed('message_edits', 't.edited_at')]);
    const reactions = new Map<string, ReactionRow[]>();
    for (const row of reactionRows) {
      if (row.emoji === '') continue;
      push(reactions, `${row.chat_jid as string}\u0000${row.message_id as string}`, { emoji: row.emoji as string, reactorJid: row.reactor_jid as string, at: row.at as number });
    }
    const edits = new Map<string, EditRow[]>();
    for (const row of editRows) push(edits, `${row.chat_jid as string}\u0000${row.message_id as string}`, { text: row.text as string | null, at: row.edited_at as number });
    const now = this.now();
    return rows.map((row) => {
      const key = `${row.chat_jid as string}\u0000${row.message_id as string}`;
      return toMessageRow(row, reactions.get(key) ?? [], edits.get(key) ?? [], now);
    });
  }

  /** Group rows with their present participants, fetched for the whole page at once. */
  private async withParticipants(accountId: string, rows: SqlRow[]): Promise<GroupRow[]> {
    if (rows.length === 0) return [];
    const participants = await this.rows(
      'SELECT * FROM group_participants WHERE account_id = $1 AND group_jid = ANY($2::text[]) AND present ORDER BY group_jid, jid',
      [accountId, rows.map((row) => row.group_jid as string)],
    );
    const byGroup = new Map<string, ReturnType<typeof toParticipantRow>[]>();
    for (const row of participants) push(byGroup, row.group_jid as string, toParticipantRow(row));
    return rows.map((row) => toGroupRow(row, byGroup.get(row.group_jid as string) ?? []));
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** A page of an offset-paged list fetched with one row more than asked, to tell whether more follow. */
function offsetPage<T>(rows: T[], limit: number, offset: number, total: number): Paged<T> {
  return { items: rows.slice(0, limit), total, nextCursor: rows.length > limit ? String(offset + limit) : null };
}
