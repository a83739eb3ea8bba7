/**
 * Groups (and communities) with their participants. A participant who left stays as a row with
 * `present = false`, and `changed_at` is when its membership or role last changed, so a late
 * older change does not bring anyone back.
 */
export const GROUPS_SCHEMA = `
CREATE TABLE groups (
  account_id text NOT NULL,
  group_jid text NOT NULL,
  subject text,
  description text,
  owner_jid text,
  created_at bigint,
  announce boolean,
  restricted boolean,
  is_community boolean,
  parent_jid text,
  size integer,
  ephemeral_seconds integer,
  invite_code text,
  join_approval boolean,
  member_add_mode boolean,
  left_group boolean NOT NULL DEFAULT false,
  left_at bigint NOT NULL DEFAULT 0,
  updated_at bigint NOT NULL,
  PRIMARY KEY (account_id, group_jid)
);
CREATE INDEX groups_of_parent ON groups (account_id, parent_jid) WHERE parent_jid IS NOT NULL;
CREATE TABLE group_participants (
  account_id text NOT NULL,
  group_jid text NOT NULL,
  jid text NOT NULL,
  lid text,
  phone_jid text,
  role text,
  present boolean NOT NULL,
  changed_at bigint NOT NULL,
  PRIMARY KEY (account_id, group_jid, jid)
);
`;

export const GROUPS_TABLES = ['groups', 'group_participants'] as const;
