import type { AccountEvent, ProjectedEvent } from '../../events/index.js';
import { phoneOf, statement, type Statement } from '../shared/index.js';

function blocklistChanged(event: Extract<AccountEvent, { type: 'blocklist.changed' }>): Statement[] {
  const { accountId, occurredAt, data } = event;
  const upsert = (blocked: boolean): Statement =>
    statement(
      `INSERT INTO blocklist (account_id, jid, blocked, at) SELECT $1::text, jid, $3::boolean, $4::bigint FROM unnest($2::text[]) AS jid
       ON CONFLICT (account_id, jid) DO UPDATE SET blocked = excluded.blocked, at = excluded.at WHERE blocklist.at <= excluded.at`,
      // One row per JID: an upsert may not touch the same row twice.
      [accountId, [...new Set(data.jids)], blocked, occurredAt],
    );
  switch (data.action) {
    case 'SET':
      // The full list: everyone else is unblocked, unless a newer change says otherwise.
      return [
        statement(
          `UPDATE blocklist SET blocked = false, at = $3
           WHERE account_id = $1 AND blocked AND at <= $3 AND NOT (jid = ANY($2::text[]))`,
          [accountId, data.jids, occurredAt],
        ),
        upsert(true),
      ];
    case 'ADD':
      return [upsert(true)];
    case 'REMOVE':
      return [upsert(false)];
    case 'UNKNOWN':
      return [];
    default: {
      const unreachable: never = data.action;
      return unreachable;
    }
  }
}

/** contacts: who the account knows, their LIDs and phone numbers, and whom it blocked. */
export function evolveContacts(event: ProjectedEvent): Statement[] {
  if (event.topic !== 'account') return [];
  const { accountId, occurredAt } = event;
  switch (event.type) {
    case 'contact.upserted':
    case 'contact.updated': {
      const c = event.data;
      const lid = c.lid ?? (c.jid.endsWith('@lid') ? c.jid : null);
      return [
        statement(
          `INSERT INTO contacts (account_id, jid, lid, phone, name, notify, verified_name, picture_url, status_text, is_business, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (account_id, jid) DO UPDATE SET
             lid = COALESCE(excluded.lid, contacts.lid),
             phone = COALESCE(excluded.phone, contacts.phone),
             name = COALESCE(excluded.name, contacts.name),
             notify = COALESCE(excluded.notify, contacts.notify),
             verified_name = COALESCE(excluded.verified_name, contacts.verified_name),
             picture_url = CASE WHEN $12::boolean THEN NULL ELSE COALESCE(excluded.picture_url, contacts.picture_url) END,
             status_text = COALESCE(excluded.status_text, contacts.status_text),
             is_business = COALESCE(excluded.is_business, contacts.is_business),
             updated_at = GREATEST(contacts.updated_at, excluded.updated_at)`,
          [
            accountId,
            c.jid,
            lid,
            phoneOf(c.phoneNumber) ?? phoneOf(c.jid),
            c.name,
            c.notify,
            c.verifiedName,
            c.pictureUrl,
            c.statusText,
            c.isBusiness,
            occurredAt,
            c.pictureState === 'REMOVED',
          ],
        ),
      ];
    }
    case 'lid.mapping': {
      const { lid, pn } = event.data;
      return [
        statement(
          `INSERT INTO lid_mappings (account_id, lid, pn) VALUES ($1, $2, $3)
           ON CONFLICT (account_id, lid) DO UPDATE SET pn = excluded.pn`,
          [accountId, lid, pn],
        ),
        statement('UPDATE contacts SET lid = $3 WHERE account_id = $1 AND jid = $2 AND lid IS DISTINCT FROM $3', [accountId, pn, lid]),
        statement('UPDATE contacts SET phone = $3 WHERE account_id = $1 AND jid = $2 AND phone IS NULL', [accountId, lid, phoneOf(pn)]),
      ];
    }
    case 'blocklist.changed':
      return blocklistChanged(event);
    case 'account.deleted':
      return ['blocklist', 'lid_mappings', 'contacts'].map((table) => statement(`DELETE FROM ${table} WHERE account_id = $1`, [accountId]));
    default:
      return [];
  }
}
