/**
 * Messages and what happens to them. A message row is what was recorded; what later events
 * say about a message (status, deletion, star, pin, stored media) lives in `message_state`, and
 * reactions, edits and poll votes in their own tables, all keyed by the message key. So an
 * action that arrives before its message (a reaction to an old message that history sync
 * delivers later) is kept, and shows once the message is there.
 */
export const MESSAGES_SCHEMA = `
CREATE TABLE messages (
  account_id text NOT NULL,
  chat_jid text NOT NULL,
  message_id text NOT NULL,
  from_me boolean NOT NULL,
  sender_jid text,
  push_name text,
  direction text NOT NULL,
  type text NOT NULL,
  text text,
  caption text,
  timestamp bigint NOT NULL,
  status_rank integer NOT NULL DEFAULT 0,
  media jsonb,
  quoted_id text,
  mentions text[] NOT NULL DEFAULT '{}',
  content jsonb,
  context jsonb,
  starred boolean NOT NULL DEFAULT false,
  unread boolean NOT NULL DEFAULT false,
  source text NOT NULL,
  event_id text NOT NULL,
  recorded_at bigint NOT NULL,
  -- The account's event sequence: orders messages of the same second as they happened.
  sequence bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, chat_jid, message_id)
);
CREATE INDEX messages_of_chat ON messages (account_id, chat_jid, timestamp DESC, sequence DESC, message_id DESC);
CREATE INDEX messages_of_account ON messages (account_id, timestamp DESC, sequence DESC, message_id DESC);
CREATE INDEX messages_by_id ON messages (account_id, message_id);
CREATE INDEX messages_unread ON messages (account_id, chat_jid) WHERE unread;

CREATE TABLE message_state (
  account_id text NOT NULL,
  chat_jid text NOT NULL,
  message_id text NOT NULL,
  status_rank integer NOT NULL DEFAULT 0,
  status_at bigint,
  deleted boolean NOT NULL DEFAULT false,
  deleted_scope text,
  deleted_at bigint,
  starred boolean,
  starred_at bigint NOT NULL DEFAULT 0,
  pinned boolean,
  pinned_at bigint NOT NULL DEFAULT 0,
  pin_expires_at bigint,
  media jsonb,
  media_at bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, chat_jid, message_id)
);

CREATE TABLE message_reactions (
  account_id text NOT NULL,
  chat_jid text NOT NULL,
  message_id text NOT NULL,
  reactor_jid text NOT NULL,
  emoji text NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (account_id, chat_jid, message_id, reactor_jid)
);

CREATE TABLE message_edits (
  account_id text NOT NULL,
  chat_jid text NOT NULL,
  message_id text NOT NULL,
  edited_at bigint NOT NULL,
  text text,
  content jsonb,
  PRIMARY KEY (account_id, chat_jid, message_id, edited_at)
);

CREATE TABLE poll_votes (
  account_id text NOT NULL,
  chat_jid text NOT NULL,
  poll_id text NOT NULL,
  voter_jid text NOT NULL,
  options text[] NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (account_id, chat_jid, poll_id, voter_jid)
);
`;

export const MESSAGES_TABLES = ['messages', 'message_state', 'message_reactions', 'message_edits', 'poll_votes'] as const;
