/** Labels and what they are attached to (`changed_at` = when each last changed, newest wins). */
export const LABELS_SCHEMA = `
CREATE TABLE labels (
  account_id text NOT NULL,
  label_id text NOT NULL,
  name text NOT NULL,
  color integer,
  predefined_id text,
  deleted boolean NOT NULL DEFAULT false,
  changed_at bigint NOT NULL,
  PRIMARY KEY (account_id, label_id)
);
CREATE TABLE label_chats (
  account_id text NOT NULL,
  label_id text NOT NULL,
  chat_jid text NOT NULL,
  attached boolean NOT NULL,
  changed_at bigint NOT NULL,
  PRIMARY KEY (account_id, label_id, chat_jid)
);
CREATE INDEX label_chats_of_chat ON label_chats (account_id, chat_jid) WHERE attached;
CREATE TABLE label_messages (
  account_id text NOT NULL,
  label_id text NOT NULL,
  chat_jid text NOT NULL,
  message_id text NOT NULL,
  attached boolean NOT NULL,
  changed_at bigint NOT NULL,
  PRIMARY KEY (account_id, label_id, chat_jid, message_id)
);
`;

export const LABELS_TABLES = ['labels', 'label_chats', 'label_messages'] as const;
