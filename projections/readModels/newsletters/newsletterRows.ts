import type { NewsletterRow } from '../ReadModels.js';

/** A `newsletters` row. */
export function toNewsletterRow(row: Record<string, unknown>): NewsletterRow {
  return {
    accountId: row.account_id as string,
    jid: row.jid as string,
    name: row.name as string | null,
    description: row.description as string | null,
    role: row.role as string | null,
    subscribers: row.subscribers as number | null,
    pictureUrl: row.picture_url as string | null,
  };
}
