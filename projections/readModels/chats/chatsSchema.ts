/**
 * Chats. `activity_at` orders the chat list (last message time, 0 before any); the `*_at`
 * columns of the toggles hold when each was last changed, so an older change delivered late
 * does not undo a newer one. `message_count` and `unread_count` are kept by the messages model
 * as it inserts messages.
 */
export const CHATS_SCHEMA = `
CREATE TABLE chats (
  account_id text NOT NULL,
  chat_jid text NOT NULL,
  kind text NOT NULL,
  name text,
  display_name text,
  pn_jid text,
  lid_jid text,
  description text,
  unread_count integer NOT NULL DEFAULT 0,
  unread_mentions integer,
  marked_unread boolean NOT NULL DEFAULT false,
  message_count integer NOT NULL DEFAULT 0,
  last_message_id text,
  last_message_at bigint,
  -- The account's event sequence of the last message: breaks ties within one second.
  last_message_sequence bigint,
  activity_at bigint GENERATED ALWAYS AS (COALESCE(last_message_at, 0)) STORED,
  archived boolean NOT NULL DEFAULT false,
  archived_at bigint NOT NULL DEFAULT 0,
  pinned boolean NOT NULL DEFAULT false,
  pinned_since bigint,
  pinned_at bigint NOT NULL DEFAULT 0,
  muted_until bigint,
  muted_at bigint NOT NULL DEFAULT 0,
  ephemeral_seconds integer,
  ephemeral_at bigint NOT NULL DEFAULT 0,
  read_only boolean,
  locked boolean,
  is_parent boolean,
  parent_jid text,
  created_at bigint,
  created_by text,
  updated_at bigint NOT NULL,
  PRIMARY KEY (account_id, chat_jid)
);
CREATE INDEX chats_by_activity ON chats (account_id, activity_at DESC, chat_jid);
`;

export const CHATS_TABLES = ['chats'] as const;
