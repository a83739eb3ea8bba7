/** Contacts, the LID ↔ phone-number mappings learnt, and the blocklist (`at` = when each entry last changed). */
export const CONTACTS_SCHEMA = `
CREATE TABLE contacts (
  account_id text NOT NULL,
  jid text NOT NULL,
  lid text,
  phone text,
  name text,
  notify text,
  verified_name text,
  picture_url text,
  status_text text,
  is_business boolean,
  updated_at bigint NOT NULL,
  PRIMARY KEY (account_id, jid)
);
CREATE TABLE lid_mappings (
  account_id text NOT NULL,
  lid text NOT NULL,
  pn text NOT NULL,
  PRIMARY KEY (account_id, lid)
);
CREATE TABLE blocklist (
  account_id text NOT NULL,
  jid text NOT NULL,
  blocked boolean NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (account_id, jid)
);
`;

export const CONTACTS_TABLES = ['contacts', 'lid_mappings', 'blocklist'] as const;
