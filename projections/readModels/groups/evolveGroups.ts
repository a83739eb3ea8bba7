import type { AccountEvent, Avro, ProjectedEvent } from '../../events/index.js';
import type { GroupParticipantRow } from '../ReadModels.js';
import { statement, type Statement } from '../shared/index.js';

/** The row role of a GroupRole; null when the record does not say. */
export function groupRoleOf(role: Avro.GroupRole): GroupParticipantRow['role'] | null {
  switch (role) {
    case 'MEMBER':
      return 'member';
    case 'ADMIN':
      return 'admin';
    case 'SUPERADMIN':
      return 'superadmin';
    case 'UNKNOWN':
      return null;
    default: {
      const unreachable: never = role;
      return unreachable;
    }
  }
}

/** Every address a participant is known by, to recognise the account itself among them. */
function addressesOf(participants: readonly Avro.GroupParticipant[]): string[] {
  return participants.flatMap((p) => [p.jid, p.lid, p.phoneNumber].filter((a): a is string => a !== null));
}

function ensureGroup(accountId: string, groupJid: string, at: number): Statement {
  return statement(
    `INSERT INTO groups (account_id, group_jid, updated_at) VALUES ($1, $2, $3) ON CONFLICT (account_id, group_jid) DO NOTHING`,
    [accountId, groupJid, at],
  );
}

/** Upserts participants as present or gone, with `role` or their own (a null role keeps the stored one). */
function upsertParticipants(accountId: string, groupJid: string, listed: readonly Avro.GroupParticipant[], at: number, present: boolean, role: GroupParticipantRow['role'] | null): Statement {
  // One row per JID: an upsert may not touch the same row twice.
  const participants = [...new Map(listed.map((p) => [p.jid, p])).values()];
  return statement(
    `INSERT INTO group_participants (account_id, group_jid, jid, lid, phone_jid, role, present, changed_at)
     SELECT $1::text, $2::text, p.jid, p.lid, p.phone_jid, p.role, $7::boolean, $8::bigint
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS p(jid, lid, phone_jid, role)
     ON CONFLICT (account_id, group_jid, jid) DO UPDATE SET
       lid = COALESCE(excluded.lid, group_participants.lid),
       phone_jid = COALESCE(excluded.phone_jid, group_participants.phone_jid),
       role = COALESCE(excluded.role, group_participants.role),
       present = excluded.present,
       changed_at = excluded.changed_at
     WHERE group_participants.changed_at <= excluded.changed_at`,
    [
      accountId,
      groupJid,
      participants.map((p) => p.jid),
      participants.map((p) => p.lid),
      participants.map((p) => p.phoneNumber),
      participants.map((p) => role ?? groupRoleOf(p.role)),
      present,
      at,
    ],
  );
}

/** Marks whether the account itself left the group, when it is among `addresses`. */
function selfMembership(accountId: string, groupJid: string, addresses: readonly string[], left: boolean, at: number): Statement {
  return statement(
    `UPDATE groups SET left_group = $4, left_at = $5
     WHERE account_id = $1 AND group_jid = $2 AND left_at <= $5
       AND EXISTS (SELECT 1 FROM accounts a WHERE a.account_id = $1 AND (a.me_jid = ANY($3::text[]) OR a.me_lid = ANY($3::text[])))`,
    [accountId, groupJid, addresses, left, at],
  );
}

function metadata(event: Extract<AccountEvent, { type: 'group.upserted' | 'group.updated' }>): Statement[] {
  const { accountId, occurredAt, data: g } = event;
  const statements = [
    ensureGroup(accountId, g.id, occurredAt),
    // null means "unknown" (upsert) or "unchanged" (update): keep what is stored.
    statement(
      `UPDATE groups SET
         subject = COALESCE($3::text, subject),
         description = COALESCE($4::text, description),
         owner_jid = COALESCE($5::text, owner_jid),
         created_at = COALESCE($6::bigint, created_at),
         announce = COALESCE($7::boolean, announce),
         restricted = COALESCE($8::boolean, restricted),
         is_community = COALESCE($9::boolean, is_community),
         parent_jid = COALESCE($10::text, parent_jid),
         size = COALESCE($11::integer, size),
         ephemeral_seconds = COALESCE($12::integer, ephemeral_seconds),
         invite_code = COALESCE($13::text, invite_code),
         join_approval = COALESCE($14::boolean, join_approval),
         member_add_mode = COALESCE($15::boolean, member_add_mode),
         updated_at = GREATEST(updated_at, $16::bigint)
       WHERE account_id = $1 AND group_jid = $2`,
      [
        accountId,
        g.id,
        g.subject,
        g.description,
        g.owner,
        g.creation,
        g.announce,
        g.restrict,
        g.isCommunity,
        g.linkedParent,
        g.participants?.length ?? g.size,
        g.ephemeralDurationSeconds,
        g.inviteCode,
        g.joinApprovalMode,
        g.memberAddMode,
        occurredAt,
      ],
    ),
  ];
  if (g.participants !== null) {
    // The full list: whoever is not on it is gone, unless a newer change says otherwise.
    statements.push(
      statement(
        `UPDATE group_participants SET present = false, changed_at = $4
         WHERE account_id = $1 AND group_jid = $2 AND present AND changed_at <= $4 AND NOT (jid = ANY($3::text[]))`,
        [accountId, g.id, g.participants.map((p) => p.jid), occurredAt],
      ),
      upsertParticipants(accountId, g.id, g.participants, occurredAt, true, null),
      selfMembership(accountId, g.id, addressesOf(g.participants), false, occurredAt),
    );
  }
  return statements;
}

function participantsChanged(event: Extract<AccountEvent, { type: 'group.participants' }>): Statement[] {
  const { accountId, occurredAt, data } = event;
  const { groupJid, participants } = data;
  const base = [ensureGroup(accountId, groupJid, occurredAt)];
  const addresses = addressesOf(participants);
  switch (data.action) {
    case 'ADD':
      return [...base, upsertParticipants(accountId, groupJid, participants, occurredAt, true, null), selfMembership(accountId, groupJid, addresses, false, occurredAt)];
    case 'REMOVE':
      return [...base, upsertParticipants(accountId, groupJid, participants, occurredAt, false, null), selfMembership(accountId, groupJid, addresses, true, occurredAt)];
    case 'PROMOTE':
      return [...base, upsertParticipants(accountId, groupJid, participants, occurredAt, true, 'admin')];
    case 'DEMOTE':
      return [...base, upsertParticipants(accountId, groupJid, participants, occurredAt, true, 'member')];
    case 'MODIFY':
      return [...base, upsertParticipants(accountId, groupJid, participants, occurredAt, true, null)];
    case 'UNKNOWN':
      return [];
    default: {
      const unreachable: never = data.action;
      return unreachable;
    }
  }
}

/** groups: metadata, participants and roles, and whether the account left. */
export function evolveGroups(event: ProjectedEvent): Statement[] {
  if (event.topic !== 'account') return [];
  switch (event.type) {
    case 'group.upserted':
    case 'group.updated':
      return metadata(event);
    case 'group.participants':
      return participantsChanged(event);
    case 'account.deleted':
      return ['group_participants', 'groups'].map((table) => statement(`DELETE FROM ${table} WHERE account_id = $1`, [event.accountId]));
    default:
      return [];
  }
}
