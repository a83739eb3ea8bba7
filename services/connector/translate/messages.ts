import { proto, type WAMessage } from '@whiskeysockets/baileys';
import type { AvroValue, DraftEvent, EventSource } from '../events/index.js';
import { chatChangedEvent } from './chats.js';
import { anyContentField, contextInfoRecord, pollOptions, translateContent, type TranslatedContent } from './content.js';
import { draft } from './draft.js';
import { groupParticipantsEvent, learnFromParticipants, type ParticipantAction, type ParticipantInput } from './groups.js';
import { isBroadcast, isGroup, isStatus, lidMappingEvent } from './jids.js';
import { ownerOfKey } from './media.js';
import {
  deletedEvent,
  editedEvent,
  perspectiveKey,
  pinEvent,
  pollVoteEvent,
  reactionEvent,
  receiptEvents,
  revokeTargetKey,
  senderOf,
  statusName,
} from './messageActions.js';
import { chatOfKey, keyParts, learnFromKey, messageKeyRecord } from './messageKey.js';
import type { TranslateContext } from './TranslateContext.js';
import { unwrapMessage, type Unwrapped } from './unwrap.js';
import { millis, secondsToMillis, str, toInt } from './values.js';

/** How a message reached the translator. */
export type MessageOrigin = { kind: 'upsert'; upsertType: 'notify' | 'append'; requestId: string | null } | { kind: 'history' };

const ProtocolType = proto.Message.ProtocolMessage.Type;
const StubType = proto.WebMessageInfo.StubType;

const PARTICIPANT_STUBS: ReadonlyMap<number, ParticipantAction> = new Map([
  [StubType.GROUP_PARTICIPANT_ADD, 'ADD'],
  [StubType.GROUP_PARTICIPANT_INVITE, 'ADD'],
  [StubType.GROUP_PARTICIPANT_ADD_REQUEST_JOIN, 'ADD'],
  [StubType.GROUP_PARTICIPANT_REMOVE, 'REMOVE'],
  [StubType.GROUP_PARTICIPANT_LEAVE, 'REMOVE'],
  [StubType.GROUP_PARTICIPANT_PROMOTE, 'PROMOTE'],
  [StubType.GROUP_PARTICIPANT_DEMOTE, 'DEMOTE'],
  [StubType.GROUP_PARTICIPANT_CHANGE_NUMBER, 'MODIFY'],
]);

const ALBUM_ASSOCIATION = proto.MessageAssociation.AssociationType.MEDIA_ALBUM;

/**
 * Everything one WAMessage stands for: the LID mappings its key teaches, then either the
 * dedicated event of a carrier (reaction, poll vote, edit, revoke, pin, ephemeral setting) or
 * the recorded message, followed by what it embeds (history reactions, receipts, poll votes)
 * and, for group participant stubs, the structured `group.participants`.
 */
export function* translateMessage(msg: WAMessage, origin: MessageOrigin, ctx: TranslateContext): Generator<DraftEvent> {
  const key = msg.key;
  if (typeof key?.id !== 'string' || key.id.length === 0 || typeof key.remoteJid !== 'string') return;
  const source: EventSource = origin.kind === 'history' ? 'HISTORY_SYNC' : 'LIVE';
  const occurredAt = secondsToMillis(msg.messageTimestamp) ?? ctx.now();
  yield* learnFromKey(key, ctx, source, occurredAt);

  const stubType = msg.messageStubType ?? 0;
  const participantAction = isGroup(key.remoteJid) ? PARTICIPANT_STUBS.get(stubType) : undefined;
  const stubMembers = participantAction === undefined ? [] : stubParticipants(msg.messageStubParameters);
  yield* learnFromParticipants(stubMembers, ctx, source);

  const unwrapped = unwrapMessage(msg.message);
  if (yield* carrierEvents(msg, unwrapped, ctx, source, occurredAt)) return;

  const hasContent = anyContentField(unwrapped.content) !== null;
  // Only a sender-key distribution or padding: a signal between devices, nothing for the timeline.
  if (!hasContent && stubType === 0) return;

  const translated: TranslatedContent = hasContent ? translateContent(unwrapped.content, ownerOfKey(key), ctx, unwrapped.wrappers) : stubContent(msg, stubType);
  yield recordedEvent(msg, origin, translated, unwrapped, ctx, source, occurredAt);

  for (const reaction of msg.reactions ?? []) {
    if (!reaction.key) continue;
    yield reactionEvent(
      ctx,
      { targetKey: key, reactorKey: reaction.key, text: reaction.text ?? '', senderTimestampMs: reaction.senderTimestampMs, carrierKey: reaction.key },
      source,
      occurredAt,
    );
  }
  for (const receipt of msg.userReceipt ?? []) yield* receiptEvents(ctx, key, receipt, source);
  const content = unwrapped.content;
  const poll = content?.pollCreationMessage ?? content?.pollCreationMessageV2 ?? content?.pollCreationMessageV3 ?? content?.pollCreationMessageV5 ?? null;
  for (const update of msg.pollUpdates ?? []) {
    if (!update.pollUpdateMessageKey) continue;
    yield pollVoteEvent(
      ctx,
      {
        pollKey: key,
        voterKey: update.pollUpdateMessageKey,
        senderTimestampMs: update.senderTimestampMs,
        carrierKey: update.pollUpdateMessageKey,
        selectedHashes: update.vote?.selectedOptions ?? [],
        pollOptions: poll === null ? null : pollOptions(poll),
      },
      source,
      occurredAt,
    );
  }

  if (participantAction !== undefined) {
    const author = key.participant ?? msg.participant ?? null;
    const structured = groupParticipantsEvent(
      ctx,
      { groupJid: key.remoteJid, action: participantAction, participants: stubMembers, author, authorPn: str(key.participantAlt) },
      occurredAt,
      source,
      true,
    );
    if (structured !== null) yield structured;
  }
}

/** The dedicated events of a message that only acts on another one; false when it is a message to record. */
function* carrierEvents(msg: WAMessage, unwrapped: Unwrapped, ctx: TranslateContext, source: EventSource, occurredAt: number): Generator<DraftEvent, boolean> {
  const key = msg.key;
  const content = unwrapped.content;
  if (content === null) return false;

  const protocol = content.protocolMessage;
  if (protocol) {
    yield* protocolEvents(msg, protocol, ctx, source, occurredAt);
    return true;
  }
  const reaction = content.reactionMessage;
  if (reaction) {
    if (reaction.key) {
      yield reactionEvent(
        ctx,
        { targetKey: reaction.key, reactorKey: key, text: reaction.text ?? '', senderTimestampMs: reaction.senderTimestampMs, carrierKey: key, reactorParticipant: msg.participant },
        source,
        occurredAt,
      );
    }
    return true;
  }
  const vote = content.pollUpdateMessage;
  if (vote) {
    if (vote.pollCreationMessageKey) {
      yield pollVoteEvent(
        ctx,
        {
          pollKey: vote.pollCreationMessageKey,
          voterKey: key,
          senderTimestampMs: vote.senderTimestampMs,
          carrierKey: key,
          selectedHashes: null,
          encrypted: vote.vote ?? null,
          voterParticipant: msg.participant,
        },
        source,
        occurredAt,
      );
    }
    return true;
  }
  const pin = content.pinInChatMessage;
  if (pin) {
    if (pin.key) {
      const pinned = pin.type === proto.Message.PinInChatMessage.Type.PIN_FOR_ALL;
      const duration = toInt(unwrapped.messageContextInfo?.messageAddOnDurationInSecs);
      yield pinEvent(ctx, perspectiveKey(pin.key, key, ctx), pinned, key, pin.senderTimestampMs, duration, source, occurredAt);
    }
    return true;
  }
  return false;
}

function* protocolEvents(msg: WAMessage, protocol: proto.Message.IProtocolMessage, ctx: TranslateContext, source: EventSource, occurredAt: number): Generator<DraftEvent> {
  const key = msg.key;
  switch (protocol.type) {
    case ProtocolType.REVOKE: {
      if (!protocol.key?.id) return;
      const target = revokeTargetKey(key, protocol.key, ctx);
      yield deletedEvent(ctx, { targetKey: target.key, scope: 'FOR_EVERYONE', carrierKey: key, isAdminRevoke: target.isAdminRevoke, deletedAt: occurredAt }, source);
      return;
    }
    case ProtocolType.MESSAGE_EDIT: {
      if (!protocol.key?.id) return;
      yield editedEvent(ctx, { ...key, id: protocol.key.id }, protocol.editedMessage ?? null, millis(protocol.timestampMs) ?? occurredAt, key, source);
      return;
    }
    case ProtocolType.EPHEMERAL_SETTING: {
      // The same record Baileys' chats.update for this setting gives, so both get one eventId.
      const data = { chatJid: chatOfKey(key, ctx), ephemeralExpirationSeconds: toInt(protocol.ephemeralExpiration) ?? 0, ephemeralSettingAt: occurredAt };
      yield chatChangedEvent(ctx, 'updated', data, occurredAt, source);
      return;
    }
    case ProtocolType.SHARE_PHONE_NUMBER: {
      const alt = str((key as { remoteJidAlt?: string | null }).remoteJidAlt);
      if (alt === null) return;
      const event = lidMappingEvent(ctx, key.remoteJid ?? '', alt, 'PHONE_NUMBER_SHARE', source, occurredAt);
      if (event !== null) yield event;
      return;
    }
    default:
      // History-sync notifications, app-state keys, peer-data operations...: internal to the session.
      return;
  }
}

function stubContent(msg: WAMessage, stubType: number): TranslatedContent {
  return {
    kind: 'STUB',
    content: {
      'wa.conversation.StubContent': {
        stubType: StubType[stubType] ?? String(stubType),
        stubTypeCode: stubType,
        parameters: ((msg.messageStubParameters as unknown[] | null | undefined) ?? []).map((p) => (typeof p === 'string' ? p : JSON.stringify(p))),
      },
    },
    contextInfo: null,
    viewOnce: false,
  };
}

/** Stub parameters of participant stubs: JSON members (Baileys 7) or bare JIDs (older stubs, history). */
function stubParticipants(parameters: unknown): ParticipantInput[] {
  if (!Array.isArray(parameters)) return [];
  return parameters.flatMap((parameter): ParticipantInput[] => {
    if (typeof parameter !== 'string' || parameter.length === 0) return [];
    if (!parameter.startsWith('{')) return [parameter];
    try {
      const parsed: unknown = JSON.parse(parameter);
      return typeof parsed === 'object' && parsed !== null && typeof (parsed as { id?: unknown }).id === 'string' ? [parsed as ParticipantInput] : [];
    } catch {
      return [];
    }
  });
}

function recordedEvent(
  msg: WAMessage,
  origin: MessageOrigin,
  translated: TranslatedContent,
  unwrapped: Unwrapped,
  ctx: TranslateContext,
  source: EventSource,
  occurredAt: number,
): DraftEvent {
  const key = msg.key;
  const fromMe = key.fromMe === true;
  const remoteJid = key.remoteJid ?? '';
  const status = isStatus(remoteJid);
  const type = status ? (fromMe ? 'story.posted' : 'story.received') : origin.kind === 'history' ? 'message.history' : fromMe ? 'message.sent' : 'message.received';
  const sender = senderOf(key, ctx, msg.participant);
  const contextInfo = contextInfoRecord(translated.contextInfo, ctx);
  const wrappers = unwrapped.wrappers;
  const association = unwrapped.messageContextInfo?.messageAssociation ?? null;
  const message: AvroValue = {
    key: messageKeyRecord(key.participant || !msg.participant ? key : { ...key, participant: msg.participant }),
    senderJid: sender.jid,
    senderPn: sender.pn,
    senderLid: sender.lid,
    pushName: str(msg.pushName),
    verifiedBizName: str(msg.verifiedBizName),
    timestamp: occurredAt,
    status: statusName(msg.status),
    kind: translated.kind,
    content: translated.content,
    contextInfo,
    isViewOnce: translated.viewOnce || wrappers.some((w) => w.startsWith('VIEW_ONCE')) || (key as { isViewOnce?: boolean }).isViewOnce === true,
    isEphemeral: wrappers.includes('EPHEMERAL') || (typeof contextInfo?.expirationSeconds === 'number' && contextInfo.expirationSeconds > 0),
    wrappers,
    isBroadcast: msg.broadcast === true || isBroadcast(remoteJid),
    isStatus: status,
    starred: msg.starred === true,
    editedAt: wrappers.includes('EDITED') ? occurredAt : null,
    albumParentId: association?.associationType === ALBUM_ASSOCIATION ? str(association.parentMessageKey?.id) : null,
  };
  return draft(ctx, {
    type,
    branch: 'wa.conversation.MessageRecorded',
    data: {
      message,
      direction: fromMe ? 'OUTBOUND' : 'INBOUND',
      upsertType: origin.kind === 'upsert' ? (origin.upsertType === 'notify' ? 'NOTIFY' : 'APPEND') : 'UNKNOWN',
      requestId: origin.kind === 'upsert' ? origin.requestId : null,
    },
    chatJid: chatOfKey(key, ctx),
    occurredAt,
    source,
    key: keyParts(key, ctx),
  });
}
