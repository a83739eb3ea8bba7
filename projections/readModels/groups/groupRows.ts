import type { GroupParticipantRow, GroupRow } from '../ReadModels.js';
import { phoneOf } from '../shared/index.js';

/** A present `group_participants` row. */
export function toParticipantRow(row: Record<string, unknown>): GroupParticipantRow {
  return {
    jid: row.jid as string,
    phone: phoneOf(row.phone_jid as string | null) ?? phoneOf(row.jid as string),
    role: (row.role as GroupParticipantRow['role'] | null) ?? 'member',
  };
}

/** A `groups` row with its present participants. */
export function toGroupRow(row: Record<string, unknown>, participants: GroupParticipantRow[]): GroupRow {
  return {
    accountId: row.account_id as string,
    jid: row.group_jid as string,
    subject: row.subject as string | null,
    description: row.description as string | null,
    owner: row.owner_jid as string | null,
    createdAt: row.created_at as number | null,
    announce: (row.announce as boolean | null) ?? false,
    restrict: (row.restricted as boolean | null) ?? false,
    isCommunity: (row.is_community as boolean | null) ?? false,
    parentJid: row.parent_jid as string | null,
    participants,
    left: row.left_group as boolean,
  };
}
