import type { ProjectedEvent } from '../../events/index.js';
import { statement, type Statement } from '../shared/index.js';

/** newsletters: channel metadata and this account's role in each. */
export function evolveNewsletters(event: ProjectedEvent): Statement[] {
  if (event.topic !== 'account') return [];
  const { accountId, occurredAt } = event;
  switch (event.type) {
    case 'newsletter.upserted':
    case 'newsletter.updated': {
      const n = event.data;
      return [
        statement(
          `INSERT INTO newsletters (account_id, jid, name, description, invite_code, picture_url, subscribers, verified, state, role, role_at, muted, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $10::text IS NULL THEN 0 ELSE $14::bigint END, $11, $12, $13)
           ON CONFLICT (account_id, jid) DO UPDATE SET
             name = COALESCE(excluded.name, newsletters.name),
             description = COALESCE(excluded.description, newsletters.description),
             invite_code = COALESCE(excluded.invite_code, newsletters.invite_code),
             picture_url = COALESCE(excluded.picture_url, newsletters.picture_url),
             subscribers = COALESCE(excluded.subscribers, newsletters.subscribers),
             verified = COALESCE(excluded.verified, newsletters.verified),
             state = COALESCE(excluded.state, newsletters.state),
             role = CASE WHEN excluded.role IS NOT NULL AND newsletters.role_at <= $14::bigint THEN excluded.role ELSE newsletters.role END,
             role_at = CASE WHEN excluded.role IS NOT NULL AND newsletters.role_at <= $14::bigint THEN $14::bigint ELSE newsletters.role_at END,
             muted = COALESCE(excluded.muted, newsletters.muted),
             created_at = COALESCE(excluded.created_at, newsletters.created_at),
             updated_at = GREATEST(newsletters.updated_at, excluded.updated_at)`,
          [accountId, n.jid, n.name, n.description, n.inviteCode, n.pictureUrl, n.subscriberCount, n.verified, n.state, n.viewerRole, n.muted, n.createdAt, occurredAt, occurredAt],
        ),
      ];
    }
    case 'newsletter.participant': {
      const { newsletterJid, userJid, newRole } = event.data;
      if (newRole === null) return [];
      // Only the account's own role is kept: it decides what the account may do in the channel.
      return [
        statement(
          `UPDATE newsletters SET role = $3, role_at = $4, updated_at = GREATEST(updated_at, $4)
           WHERE account_id = $1 AND jid = $2 AND role_at <= $4
             AND EXISTS (SELECT 1 FROM accounts a WHERE a.account_id = $1 AND $5 IN (a.me_jid, a.me_lid))`,
          [accountId, newsletterJid, newRole, occurredAt, userJid],
        ),
      ];
    }
    case 'account.deleted':
      return [statement('DELETE FROM newsletters WHERE account_id = $1', [accountId])];
    default:
      return [];
  }
}
