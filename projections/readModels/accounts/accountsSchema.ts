/** Accounts (WILDCAT accounts / WHAPI channels) and their connection history. */
export const ACCOUNTS_SCHEMA = `
CREATE TABLE accounts (
  account_id text PRIMARY KEY,
  name text,
  department text,
  auto_connect boolean NOT NULL DEFAULT false,
  collection_name text,
  settings_at bigint NOT NULL,
  status text NOT NULL DEFAULT 'not_started',
  connection_state text,
  status_at bigint NOT NULL,
  me_jid text,
  me_lid text,
  phone text,
  qr text,
  qr_expires_at bigint,
  last_qr_at bigint,
  pairing_code text,
  pairing_code_at bigint,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE TABLE connection_history (
  account_id text NOT NULL,
  event_id text NOT NULL,
  state text NOT NULL,
  reason text,
  at bigint NOT NULL,
  PRIMARY KEY (account_id, event_id)
);
CREATE INDEX connection_history_by_time ON connection_history (account_id, at DESC, event_id DESC);
`;

export const ACCOUNTS_TABLES = ['accounts', 'connection_history'] as const;
