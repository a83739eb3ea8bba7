import type { ContactRow } from '../ReadModels.js';

/** A `contacts` row (with its blocklist entry joined in). */
export function toContactRow(row: Record<string, unknown>): ContactRow {
  return {
    accountId: row.account_id as string,
    jid: row.jid as string,
    phone: row.phone as string | null,
    lid: row.lid as string | null,
    name: row.name as string | null,
    notify: row.notify as string | null,
    verifiedName: row.verified_name as string | null,
    pictureUrl: row.picture_url as string | null,
    status: row.status_text as string | null,
    blocked: (row.blocked as boolean | null) ?? false,
  };
}
