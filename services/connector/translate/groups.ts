import type { BaileysEventMap, GroupMetadata, GroupParticipant } from '@whiskeysockets/baileys';
import type { AvroValue, DraftEvent, EventSource } from '../events/index.js';
import { digestOf, draft } from './draft.js';
import { bareJid, isLid, isPn, learnMapping, normaliseJid } from './jids.js';
import type { TranslateContext } from './TranslateContext.js';
import { bool, secondsToMillis, str, toInt } from './values.js';

/** `wa.account.ParticipantAction` symbols. */
export type ParticipantAction = 'ADD' | 'REMOVE' | 'PROMOTE' | 'DEMOTE' | 'MODIFY';

/** A group member as Baileys 7 gives it, or a bare JID (older payloads, history stubs). */
export type ParticipantInput = Partial<GroupParticipant> | string;

/** `wa.account.GroupParticipant`; `roleWhenUnsaid` is MEMBER in metadata, UNKNOWN in change events. */
export function participantRecord(input: ParticipantInput, roleWhenUnsaid: 'MEMBER' | 'UNKNOWN'): AvroValue {
  const p = typeof input === 'string' ? { id: input } : input;
  const id = bareJid(p.id ?? '');
  const role =
    p.admin === 'superadmin' || p.isSuperAdmin === true ? 'SUPERADMIN' : p.admin === 'admin' || p.isAdmin === true ? 'ADMIN' : p.admin === null ? 'MEMBER' : roleWhenUnsaid;
  return {
    jid: id,
    lid: str(p.lid) === null ? (isLid(id) ? id : null) : bareJid(p.lid ?? ''),
    phoneNumber: str(p.phoneNumber) === null ? (isPn(id) ? id : null) : bareJid(p.phoneNumber ?? ''),
    role,
    name: str(p.name) ?? str(p.notify),
  };
}

/** Learns LID / PN pairs from group members. */
export function* learnFromParticipants(participants: readonly ParticipantInput[], ctx: TranslateContext, source: EventSource): Generator<DraftEvent> {
  for (const input of participants) {
    if (typeof input === 'string') continue;
    const learnt = learnMapping(ctx, input.lid ?? input.id, input.phoneNumber ?? input.id, 'GROUP_METADATA', source, ctx.now());
    if (learnt !== null) yield learnt;
  }
}

const RECENT_LIMIT = 256;

const changeMemoryKey = (groupJid: string, action: string, jids: readonly string[]): string => [groupJid, action, ...jids].join('\u001f');

/**
 * `group.participants` (natural key: groupJid, action, the sorted participant JIDs as separate
 * parts, occurredAt). `fromStub` records it so Baileys' own `group-participants.update` for the
 * same stub message is not emitted again.
 */
export function groupParticipantsEvent(
  ctx: TranslateContext,
  input: { groupJid: string; action: ParticipantAction; participants: readonly ParticipantInput[]; author: string | null; authorPn: string | null },
  occurredAt: number,
  source: EventSource,
  fromStub: boolean,
): DraftEvent | null {
  const groupJid = normaliseJid(input.groupJid, ctx.lids);
  const participants = input.participants.map((p) => participantRecord(p, 'UNKNOWN'));
  const jids = participants.map((p) => String(p.jid)).sort();
  const memoryKey = changeMemoryKey(groupJid, input.action, jids);
  const recent = (ctx.session.recentGroupChanges ??= []);
  if (fromStub) {
    recent.push(memoryKey);
    if (recent.length > RECENT_LIMIT) recent.splice(0, recent.length - RECENT_LIMIT);
  } else {
    const seen = recent.indexOf(memoryKey);
    if (seen >= 0) {
      recent.splice(seen, 1);
      return null;
    }
  }
  return draft(ctx, {
    type: 'group.participants',
    branch: 'wa.account.GroupParticipantsChanged',
    data: {
      groupJid,
      action: input.action,
      participants,
      authorJid: input.author === null ? null : bareJid(input.author),
      authorPn: input.authorPn === null ? null : bareJid(input.authorPn),
    },
    chatJid: groupJid,
    occurredAt,
    source,
    key: [groupJid, input.action, ...jids, occurredAt],
  });
}

/** `group-participants.update` → `group.participants`, unless the stub message already gave it. */
export function* translateGroupParticipants(event: BaileysEventMap['group-participants.update'], ctx: TranslateContext): Generator<DraftEvent> {
  yield* learnFromParticipants(event.participants, ctx, 'LIVE');
  const action = event.action.toUpperCase() as ParticipantAction;
  const translated = groupParticipantsEvent(
    ctx,
    { groupJid: event.id, action, participants: event.participants, author: str(event.author), authorPn: str(event.authorPn) },
    ctx.now(),
    'LIVE',
    false,
  );
  if (translated !== null) yield translated;
}

/** `groups.upsert` / `groups.update` → `group.upserted` / `group.updated`. */
export function* translateGroups(groups: ReadonlyArray<Partial<GroupMetadata>>, mode: 'upserted' | 'updated', ctx: TranslateContext): Generator<DraftEvent> {
  for (const group of groups) {
    if (typeof group.id !== 'string' || group.id.length === 0) continue;
    if (group.participants) yield* learnFromParticipants(group.participants, ctx, 'LIVE');
    const data = groupRecord(group);
    const occurredAt = ctx.now();
    const type = `group.${mode}`;
    yield draft(ctx, {
      type,
      branch: 'wa.account.GroupMetadata',
      data,
      chatJid: String(data.id),
      occurredAt,
      source: 'LIVE',
      key: [data.id as string, occurredAt, digestOf(ctx, 'wa.account.GroupMetadata', data)],
    });
  }
}

/** `wa.account.GroupMetadata` of Baileys' metadata (a patch when partial: absent = null). */
export function groupRecord(g: Partial<GroupMetadata>): AvroValue {
  const jid = (value: string | null | undefined): string | null => (str(value) === null ? null : bareJid(value ?? ''));
  return {
    id: bareJid(g.id ?? ''),
    subject: str(g.subject),
    subjectOwner: jid(g.subjectOwner),
    subjectOwnerPn: jid(g.subjectOwnerPn),
    subjectTime: secondsToMillis(g.subjectTime),
    description: str(g.desc),
    descId: str(g.descId),
    descOwner: jid(g.descOwner),
    descOwnerPn: jid(g.descOwnerPn),
    descTime: secondsToMillis(g.descTime),
    owner: jid(g.owner),
    ownerPn: jid(g.ownerPn),
    ownerCountryCode: str(g.owner_country_code),
    creation: secondsToMillis(g.creation),
    restrict: bool(g.restrict),
    announce: bool(g.announce),
    memberAddMode: bool(g.memberAddMode),
    joinApprovalMode: bool(g.joinApprovalMode),
    isCommunity: bool(g.isCommunity),
    isCommunityAnnounce: bool(g.isCommunityAnnounce),
    linkedParent: jid(g.linkedParent),
    size: toInt(g.size),
    ephemeralDurationSeconds: toInt(g.ephemeralDuration),
    inviteCode: str(g.inviteCode),
    addressingMode: g.addressingMode === 'lid' ? 'LID' : g.addressingMode === 'pn' ? 'PN' : null,
    author: jid(g.author),
    authorPn: jid(g.authorPn),
    participants: g.participants === undefined ? null : g.participants.map((p) => participantRecord(p, 'MEMBER')),
  };
}

const JOIN_ACTIONS: Record<string, string> = { created: 'CREATED', revoked: 'REVOKED', rejected: 'REJECTED', approved: 'APPROVED' };
const JOIN_METHODS: Record<string, string> = { invite_link: 'INVITE_LINK', linked_group_join: 'LINKED_GROUP_JOIN', non_admin_add: 'NON_ADMIN_ADD' };

/** `group.join-request` → `group.join_request` (natural key: groupJid, participantJid, action, occurredAt). */
export function joinRequestEvent(event: BaileysEventMap['group.join-request'], ctx: TranslateContext): DraftEvent {
  const groupJid = normaliseJid(event.id, ctx.lids);
  const participantJid = bareJid(event.participant ?? '');
  const action = JOIN_ACTIONS[event.action] ?? 'UNKNOWN';
  const occurredAt = ctx.now();
  return draft(ctx, {
    type: 'group.join_request',
    branch: 'wa.account.GroupJoinRequest',
    data: {
      groupJid,
      participantJid,
      participantPn: str(event.participantPn) === null ? null : bareJid(event.participantPn ?? ''),
      authorJid: str(event.author) === null ? null : bareJid(event.author),
      authorPn: str(event.authorPn) === null ? null : bareJid(event.authorPn ?? ''),
      action,
      method: JOIN_METHODS[event.method ?? ''] ?? 'UNKNOWN',
    },
    chatJid: groupJid,
    occurredAt,
    source: 'LIVE',
    key: [groupJid, participantJid, action, occurredAt],
  });
}
