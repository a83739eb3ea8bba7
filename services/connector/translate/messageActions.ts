// Events about an existing message: reactions, votes, edits, deletions, pins, stars, receipts.
import { createHash } from 'node:crypto';
import type { proto } from '@whiskeysockets/baileys';
import type { AvroValue, DraftEvent, EventSource } from '../events/index.js';
import { contextInfoRecord, translateContent } from './content.js';
import { draft } from './draft.js';
import { bareJid, isBroadcast, isGroup, isMe, isStatus, normaliseJid, ownJids, userForms } from './jids.js';
import { ownerOfKey } from './media.js';
import { chatOfKey, keyParts, messageKeyRecord, type AnyMessageKey } from './messageKey.js';
import type { TranslateContext } from './TranslateContext.js';
import { unwrapMessage } from './unwrap.js';
import { bytes, epochMillis, millis, type LongLike } from './values.js';

interface KeyWithAlts {
  remoteJidAlt?: string | null;
  participantAlt?: string | null;
}

/** Who sent the message with this key: own JID when fromMe, the participant in groups, else the chat. */
export function senderOf(key: AnyMessageKey, ctx: TranslateContext, messageParticipant?: string | null): { jid: string | null; pn: string | null; lid: string | null } {
  const alts = key as KeyWithAlts;
  if (key.fromMe === true) {
    const me = ownJids(ctx);
    return { jid: me.pn ?? me.lid, pn: me.pn, lid: me.lid };
  }
  const remoteJid = key.remoteJid ?? '';
  const participant = key.participant ?? messageParticipant ?? null;
  const raw = participant !== null && participant.length > 0 ? participant : remoteJid;
  if (raw.length === 0) return { jid: null, pn: null, lid: null };
  const alt = raw === participant ? alts.participantAlt : alts.remoteJidAlt;
  const forms = userForms(raw, alt, ctx.lids);
  return { jid: normaliseJid(raw, ctx.lids), ...forms };
}

/** True when a key's chat is a group, a broadcast list or status: receipts there are per participant. */
export function isMultiParty(key: AnyMessageKey): boolean {
  const remoteJid = key.remoteJid ?? '';
  return isGroup(remoteJid) || isBroadcast(remoteJid);
}

/** A reaction to report: the reacted message, the reaction's own key (the reactor), emoji and time. */
export interface ReactionInput {
  targetKey: AnyMessageKey;
  reactorKey: AnyMessageKey;
  text: string;
  senderTimestampMs: LongLike;
  carrierKey: AnyMessageKey | null;
  /** The carrier message's `participant` field, for history messages whose key lacks it. */
  reactorParticipant?: string | null;
}

/** `message.reaction` (natural key: key(target), reactorJid, senderTimestamp else emoji). */
export function reactionEvent(ctx: TranslateContext, input: ReactionInput, source: EventSource, fallbackAt: number): DraftEvent {
  const reactor = senderOf(input.reactorKey, ctx, input.reactorParticipant);
  const reactorJid = reactor.jid ?? '';
  const senderTimestamp = millis(input.senderTimestampMs);
  return draft(ctx, {
    type: 'message.reaction',
    branch: 'wa.conversation.MessageReacted',
    data: {
      reaction: { targetKey: messageKeyRecord(input.targetKey), text: input.text, senderTimestamp },
      reactorJid,
      reactorPn: reactor.pn,
      reactorLid: reactor.lid,
      carrierKey: input.carrierKey === null ? null : messageKeyRecord(input.carrierKey),
    },
    chatJid: chatOfKey(input.targetKey, ctx),
    occurredAt: senderTimestamp ?? fallbackAt,
    source,
    key: [...keyParts(input.targetKey, ctx), reactorJid, senderTimestamp ?? input.text],
  });
}

/** A poll vote to report; `selectedHashes` null when the vote is still encrypted. */
export interface VoteInput {
  pollKey: AnyMessageKey;
  voterKey: AnyMessageKey;
  senderTimestampMs: LongLike;
  carrierKey: AnyMessageKey | null;
  selectedHashes: Uint8Array[] | null;
  encrypted?: { encPayload?: Uint8Array | null; encIv?: Uint8Array | null } | null;
  /** The poll's option texts, to turn hashes into texts, when known. */
  pollOptions?: readonly string[] | null;
  voterParticipant?: string | null;
}

/** `poll.vote` (natural key: key(vote.pollKey), voterJid, vote.senderTimestamp). */
export function pollVoteEvent(ctx: TranslateContext, input: VoteInput, source: EventSource, fallbackAt: number): DraftEvent {
  const voter = senderOf(input.voterKey, ctx, input.voterParticipant);
  const voterJid = voter.jid ?? '';
  const senderTimestamp = millis(input.senderTimestampMs);
  const hashes = (input.selectedHashes ?? []).map((hash) => Buffer.from(hash));
  const textByHash = new Map((input.pollOptions ?? []).map((option) => [createHash('sha256').update(option, 'utf8').digest('hex'), option]));
  const vote: AvroValue = {
    pollKey: messageKeyRecord(input.pollKey),
    selectedOptions: hashes.map((hash) => textByHash.get(hash.toString('hex'))).filter((text): text is string => text !== undefined),
    selectedOptionHashes: hashes,
    decrypted: input.selectedHashes !== null,
    encPayload: input.selectedHashes === null ? bytes(input.encrypted?.encPayload) : null,
    encIv: input.selectedHashes === null ? bytes(input.encrypted?.encIv) : null,
    senderTimestamp,
  };
  return draft(ctx, {
    type: 'poll.vote',
    branch: 'wa.conversation.PollVoted',
    data: {
      vote,
      voterJid,
      voterPn: voter.pn,
      voterLid: voter.lid,
      carrierKey: input.carrierKey === null ? null : messageKeyRecord(input.carrierKey),
    },
    chatJid: chatOfKey(input.pollKey, ctx),
    occurredAt: senderTimestamp ?? fallbackAt,
    source,
    key: [...keyParts(input.pollKey, ctx), voterJid, senderTimestamp],
  });
}

/**
 * `message.edited` (natural key: key(target), editedAt). editedAt is kept to the second: Baileys
 * reports the same edit once with `timestampMs` (messages.upsert) and once floored to seconds
 * (messages.update), and both must get one eventId.
 */
export function editedEvent(
  ctx: TranslateContext,
  targetKey: AnyMessageKey,
  newContent: proto.IMessage | null,
  editedAtMs: number,
  carrierKey: AnyMessageKey | null,
  source: EventSource,
): DraftEvent {
  const editedAt = Math.floor(editedAtMs / 1000) * 1000;
  const unwrapped = unwrapMessage(newContent);
  // A nested MESSAGE_EDIT protocol message carries the new content one level further down.
  const inner = unwrapped.content?.protocolMessage?.editedMessage ? unwrapMessage(unwrapped.content.protocolMessage.editedMessage) : unwrapped;
  const translated = translateContent(inner.content, ownerOfKey(targetKey), ctx, inner.wrappers);
  return draft(ctx, {
    type: 'message.edited',
    branch: 'wa.conversation.MessageEdited',
    data: {
      targetKey: messageKeyRecord(targetKey),
      kind: translated.kind,
      content: translated.content,
      contextInfo: contextInfoRecord(translated.contextInfo, ctx),
      editedAt,
      editorJid: senderOf(carrierKey ?? targetKey, ctx).jid,
      carrierKey: carrierKey === null ? null : messageKeyRecord(carrierKey),
    },
    chatJid: chatOfKey(targetKey, ctx),
    occurredAt: editedAt,
    source,
    key: [...keyParts(targetKey, ctx), editedAt],
  });
}

/** A deletion to report. */
export interface DeletionInput {
  targetKey: AnyMessageKey;
  scope: 'FOR_EVERYONE' | 'FOR_ME';
  carrierKey: AnyMessageKey | null;
  isAdminRevoke: boolean;
  deletedAt: number;
}

/** `message.deleted`, or `story.deleted` for a status (natural key: key(target), scope). */
export function deletedEvent(ctx: TranslateContext, input: DeletionInput, source: EventSource): DraftEvent {
  const story = isStatus(input.targetKey.remoteJid);
  return draft(ctx, {
    type: story ? 'story.deleted' : 'message.deleted',
    branch: 'wa.conversation.MessageDeleted',
    data: {
      targetKey: messageKeyRecord(input.targetKey),
      scope: input.scope,
      deletedByJid: input.carrierKey === null ? (input.scope === 'FOR_ME' ? ownJids(ctx).pn : null) : senderOf(input.carrierKey, ctx).jid,
      isAdminRevoke: input.isAdminRevoke,
      deletedAt: input.deletedAt,
      carrierKey: input.carrierKey === null ? null : messageKeyRecord(input.carrierKey),
    },
    chatJid: chatOfKey(input.targetKey, ctx),
    occurredAt: input.deletedAt,
    source,
    key: [...keyParts(input.targetKey, ctx), input.scope],
  });
}

/**
 * The key of the message a revoke targets, as Baileys' `messages.update` names it (the carrier's
 * chat, sender and fromMe with the target id), except for a group admin removing someone else's
 * message, where the target's own sender is kept.
 */
export function revokeTargetKey(carrierKey: AnyMessageKey, protocolKey: proto.IMessageKey, ctx: TranslateContext): { key: AnyMessageKey; isAdminRevoke: boolean } {
  const base = { ...carrierKey, id: protocolKey.id ?? '' };
  const targetParticipant = protocolKey.participant ?? null;
  const carrierSender = carrierKey.fromMe === true ? (ownJids(ctx).pn ?? ownJids(ctx).lid) : (carrierKey.participant ?? null);
  const sameSender =
    targetParticipant === null ||
    carrierSender === null ||
    normaliseJid(targetParticipant, ctx.lids) === normaliseJid(carrierSender, ctx.lids) ||
    (carrierKey.fromMe === true && isMe(targetParticipant, ctx));
  if (!isGroup(carrierKey.remoteJid) || sameSender) return { key: base, isAdminRevoke: false };
  return {
    key: { remoteJid: carrierKey.remoteJid ?? '', id: protocolKey.id ?? '', fromMe: isMe(targetParticipant, ctx), participant: bareJid(targetParticipant) },
    isAdminRevoke: true,
  };
}

/**
 * A key named by the sender of a message that refers to another one, turned to this account's
 * perspective (what Baileys' cleanMessage does for reactions and poll votes; pins are not cleaned).
 */
export function perspectiveKey(target: proto.IMessageKey, carrierKey: AnyMessageKey, ctx: TranslateContext): AnyMessageKey {
  if (carrierKey.fromMe === true) return { ...target, remoteJid: target.remoteJid ?? carrierKey.remoteJid ?? '' };
  const author = target.participant ?? target.remoteJid ?? null;
  return {
    remoteJid: carrierKey.remoteJid ?? '',
    id: target.id ?? '',
    fromMe: target.fromMe === true ? false : isMe(author, ctx),
    participant: target.participant ?? carrierKey.participant ?? null,
  };
}

/** `message.pinned` / `message.unpinned` (natural key: key(target), pinned, carrierKey.id else occurredAt). */
export function pinEvent(
  ctx: TranslateContext,
  targetKey: AnyMessageKey,
  pinned: boolean,
  carrierKey: AnyMessageKey | null,
  senderTimestampMs: LongLike,
  durationSeconds: number | null,
  source: EventSource,
  fallbackAt: number,
): DraftEvent {
  const at = millis(senderTimestampMs) ?? fallbackAt;
  return draft(ctx, {
    type: pinned ? 'message.pinned' : 'message.unpinned',
    branch: 'wa.conversation.MessagePinChanged',
    data: {
      targetKey: messageKeyRecord(targetKey),
      pinned,
      durationSeconds: pinned ? durationSeconds : null,
      expiresAt: pinned && durationSeconds !== null && durationSeconds > 0 ? at + durationSeconds * 1000 : null,
      pinnedByJid: carrierKey === null ? null : senderOf(carrierKey, ctx).jid,
      carrierKey: carrierKey === null ? null : messageKeyRecord(carrierKey),
    },
    chatJid: chatOfKey(targetKey, ctx),
    occurredAt: at,
    source,
    key: [...keyParts(targetKey, ctx), pinned, carrierKey?.id ?? at],
  });
}

/** `message.starred` / `message.unstarred` (natural key: key(target), starred, occurredAt). */
export function starEvent(ctx: TranslateContext, targetKey: AnyMessageKey, starred: boolean, source: EventSource): DraftEvent {
  const occurredAt = ctx.now();
  return draft(ctx, {
    type: starred ? 'message.starred' : 'message.unstarred',
    branch: 'wa.conversation.MessageStarChanged',
    data: { targetKey: messageKeyRecord(targetKey), starred },
    chatJid: chatOfKey(targetKey, ctx),
    occurredAt,
    source,
    key: [...keyParts(targetKey, ctx), starred, occurredAt],
  });
}

/** `wa.conversation.MessageStatus` symbols a status event can carry. */
export type MessageStatusName = 'ERROR' | 'PENDING' | 'SERVER_ACK' | 'DELIVERY_ACK' | 'READ' | 'PLAYED';

const STATUS_BY_CODE: readonly MessageStatusName[] = ['ERROR', 'PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED'];

/** `wa.conversation.MessageStatus` of a Baileys `WebMessageInfo.Status` number. */
export function statusName(status: number | null | undefined): MessageStatusName | 'UNKNOWN' {
  return status === null || status === undefined ? 'UNKNOWN' : (STATUS_BY_CODE[status] ?? 'UNKNOWN');
}

/** A status to report for a message, overall (participant null) or one member's receipt. */
export interface StatusInput {
  key: AnyMessageKey;
  status: MessageStatusName;
  participant: string | null;
  statusAt: number | null;
  errorCode: number | null;
}

/** `message.status` (natural key: key(key), status, participantJid). */
export function statusEvent(ctx: TranslateContext, input: StatusInput, source: EventSource): DraftEvent {
  const participantJid = input.participant === null ? null : normaliseJid(input.participant, ctx.lids);
  const forms = input.participant === null ? null : userForms(input.participant, null, ctx.lids);
  const participantAlt = forms === null || participantJid === null ? null : participantJid === forms.pn ? forms.lid : forms.pn;
  return draft(ctx, {
    type: 'message.status',
    branch: 'wa.conversation.MessageStatusChanged',
    data: {
      key: messageKeyRecord(input.key),
      status: input.status,
      participantJid,
      participantAlt,
      statusAt: input.statusAt,
      errorCode: input.errorCode,
    },
    chatJid: chatOfKey(input.key, ctx),
    occurredAt: input.statusAt ?? ctx.now(),
    source,
    key: [...keyParts(input.key, ctx), input.status, participantJid],
  });
}

/** One `message.status` per status a user receipt reached (delivered, read, played). */
export function receiptEvents(ctx: TranslateContext, key: AnyMessageKey, receipt: proto.IUserReceipt, source: EventSource): DraftEvent[] {
  // In one-to-one chats the receipt is the chat's own status: no participant, as messages.update reports it.
  const participant = isMultiParty(key) && typeof receipt.userJid === 'string' && receipt.userJid.length > 0 ? receipt.userJid : null;
  const reached: Array<[MessageStatusName, LongLike]> = [
    ['DELIVERY_ACK', receipt.receiptTimestamp],
    ['READ', receipt.readTimestamp],
    ['PLAYED', receipt.playedTimestamp],
  ];
  return reached
    .filter(([, at]) => at !== null && at !== undefined && at !== 0)
    .map(([status, at]) => statusEvent(ctx, { key, status, participant, statusAt: epochMillis(at), errorCode: null }, source));
}
