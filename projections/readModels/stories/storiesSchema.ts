/** Stories (status@broadcast messages); their deletion and media state live in `message_state`. */
export const STORIES_SCHEMA = `
CREATE TABLE stories (
  account_id text NOT NULL,
  story_id text NOT NULL,
  sender_jid text,
  from_me boolean NOT NULL,
  type text NOT NULL,
  text text,
  caption text,
  media jsonb,
  content jsonb,
  timestamp bigint NOT NULL,
  event_id text NOT NULL,
  PRIMARY KEY (account_id, story_id)
);
CREATE INDEX stories_by_time ON stories (account_id, timestamp DESC, story_id DESC);
`;

export const STORIES_TABLES = ['stories'] as const;
