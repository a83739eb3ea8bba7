/** Channels (newsletters) this account created, follows or fetched. */
export const NEWSLETTERS_SCHEMA = `
CREATE TABLE newsletters (
  account_id text NOT NULL,
  jid text NOT NULL,
  name text,
  description text,
  invite_code text,
  picture_url text,
  subscribers bigint,
  verified boolean,
  state text,
  role text,
  role_at bigint NOT NULL DEFAULT 0,
  muted boolean,
  created_at bigint,
  updated_at bigint NOT NULL,
  PRIMARY KEY (account_id, jid)
);
`;

export const NEWSLETTERS_TABLES = ['newsletters'] as const;
