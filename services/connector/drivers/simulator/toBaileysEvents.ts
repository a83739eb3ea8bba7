import { createHash } from 'node:crypto';
import {
  areJidsSameUser,
  jidNormalizedUser,
  normalizeMessageContent,
  processHistoryMessage,
  processSyncAction,
  proto,
  WAMessageAddressingMode,
  type AuthenticationCreds,
  type BaileysEventEmitter,
  type BaileysEventMap,
  type Chat,
  type ChatUpdate,
  type Contact,
  type GroupMetadata,
  type GroupParticipant,
  type ParticipantAction,
  type WAMessage,
  type WAMessageKey,
} from '@whiskeysockets/baileys';
import type { Delivery, DeliveryBody, GroupChange, GroupMetadataWire } from '../../../simulator/index.js';
import type { BaileysEventBatch } from '../Driver.js';

type Body<K extends DeliveryBody['kind']> = Extract<DeliveryBody, { kind: K }>;

/** Baileys' `GroupMetadata` for the simulator's group record (what `extractGroupMetadata` builds from the IQ result). */
export function groupMetadataOf(wire: GroupMetadataWire): GroupMetadata {
  return {
    id: wire.id,
    addressingMode: WAMessageAddressingMode.PN,
    subject: wire.subject,
    subjectOwner: wire.subjectOwner,
    subjectTime: wire.subjectTime,
    size: wire.participants.length,
    creation: wire.creation,
    owner: wire.owner,
    ...(wire.desc === null ? {} : { desc: wire.desc }),
    ...(wire.descId === null ? {} : { descId: wire.descId }),
    ...(wire.descOwner === null ? {} : { descOwner: wire.descOwner }),
    ...(wire.descTime === null ? {} : { descTime: wire.descTime }),
    restrict: wire.restrict,
    announce: wire.announce,
    isCommunity: false,
    isCommunityAnnounce: false,
    joinApprovalMode: wire.joinApprovalMode,
    memberAddMode: wire.memberAddMode,
    participants: wire.participants.map((p) => ({ id: p.jid, admin: p.admin })),
    ...(wire.ephemeralDuration === null ? {} : { ephemeralDuration: wire.ephemeralDuration }),
  };
}

/** The credentials pair-success gives a new device (`configureSuccessfulPairing`); deterministic, so a redelivery writes the same. */
export function linkedCreds(body: Body<'linked'>, accountId: string): Partial<AuthenticationCreds> {
  const bytes = (label: string, length: number): Buffer => {
    const out = Buffer.alloc(length);
    for (let offset = 0, round = 0; offset < length; round += 1) {
      offset += createHash('sha256').update(`${accountId}|${body.me.id}|${label}|${round}`).digest().copy(out, offset);
    }
    return out;
  };
  return {
    me: { id: body.me.id, ...(body.me.name ? { name: body.me.name } : {}) },
    account: {
      details: bytes('details', 48),
      accountSignatureKey: bytes('account-key', 32),
      accountSignature: bytes('account-signature', 64),
      deviceSignature: bytes('device-signature', 64),
    },
    platform: body.platform,
    registered: true,
  };
}

/**
 * The Baileys events for a run of deliveries of one kind, as one coalesced batch (what
 * `sock.ev.process` hands over). `linked` is not here: the session turns it into credentials
 * and connection updates itself.
 */
export function toBaileysBatch(deliveries: readonly Delivery[], me: Contact): BaileysEventBatch {
  const first = deliveries[0]?.body;
  if (!first) return {};
  const bodies = <K extends DeliveryBody['kind']>(kind: K): Array<Body<K>> =>
    deliveries.map((d) => d.body).filter((b): b is Body<K> => b.kind === kind);
  switch (first.kind) {
    case 'message':
      return messagesBatch(bodies('message'), me.id);
    case 'receipt':
      return receiptsBatch(bodies('receipt'));
    case 'history':
      return historyBatch(first);
    case 'group':
      return groupBatch(first, me.id);
    case 'app-state':
      return appStateBatch(first, me);
    case 'blocklist':
      return { 'blocklist.update': { blocklist: first.jids, type: first.type } };
    case 'linked':
      return {};
    default: {
      const unknown: never = first;
      throw new Error(`unknown delivery ${JSON.stringify(unknown)}`);
    }
  }
}

/** Received messages: the upsert, and what Baileys' processMessage derives (chats, contacts, reactions, edits, revokes). */
export function messagesBatch(bodies: ReadonlyArray<Body<'message'>>, meId: string): BaileysEventBatch {
  const messages: WAMessage[] = [];
  const chatUpserts = new Map<string, Chat>();
  const chatUpdates = new Map<string, ChatUpdate>();
  const contactUpserts = new Map<string, Contact>();
  const contactUpdates = new Map<string, Partial<Contact>>();
  const updates: BaileysEventMap['messages.update'] = [];
  const reactions: BaileysEventMap['messages.reaction'] = [];
  for (const body of bodies) {
    const message = proto.WebMessageInfo.fromObject({
      key: { remoteJid: body.chatJid, fromMe: false, id: body.messageId, ...(body.participant ? { participant: body.participant } : {}) },
      messageTimestamp: body.timestamp,
      ...(body.pushName ? { pushName: body.pushName } : {}),
      broadcast: false,
      message: proto.Message.decode(Buffer.from(body.message, 'base64')),
    }) as WAMessage;
    messages.push(message);
    const key = message.key;
    const content = normalizeMessageContent(message.message);
    const real = !!content && !content.protocolMessage && !content.reactionMessage;
    if (real) {
      const chat: Chat = { id: body.chatJid, messages: [{ message }], conversationTimestamp: body.timestamp, unreadCount: 1 };
      const upsert = chatUpserts.get(body.chatJid);
      if (upsert) mergeChat(upsert, chat);
      else if (body.firstContact) chatUpserts.set(body.chatJid, chat);
      else {
        const update = chatUpdates.get(body.chatJid);
        if (update) mergeChat(update, chat);
        else chatUpdates.set(body.chatJid, chat);
      }
    }
    if (body.pushName) {
      const id = jidNormalizedUser(body.participant ?? body.chatJid);
      if (body.firstContact && !body.participant) contactUpserts.set(id, { id, notify: body.pushName });
      else if (contactUpserts.has(id)) contactUpserts.get(id)!.notify = body.pushName;
      else contactUpdates.set(id, { id, notify: body.pushName });
    }
    const protocol = content?.protocolMessage;
    if (protocol?.type === proto.Message.ProtocolMessage.Type.REVOKE && protocol.key?.id) {
      updates.push({ key: { ...key, id: protocol.key.id }, update: { message: null, messageStubType: proto.WebMessageInfo.StubType.REVOKE, key } });
    } else if (protocol?.type === proto.Message.ProtocolMessage.Type.MESSAGE_EDIT && protocol.key?.id) {
      updates.push({
        key: { ...key, id: protocol.key.id },
        update: {
          message: { editedMessage: { message: protocol.editedMessage ?? null } },
          messageTimestamp: protocol.timestampMs ? Math.floor(Number(protocol.timestampMs) / 1000) : body.timestamp,
        },
      });
    } else if (content?.reactionMessage?.key) {
      const target = normaliseReactedKey(content.reactionMessage.key, key, meId);
      reactions.push({ key: target, reaction: { ...content.reactionMessage, key } });
    }
  }
  const batch: BaileysEventBatch = { 'messages.upsert': { messages, type: 'notify' } };
  if (chatUpserts.size > 0) batch['chats.upsert'] = [...chatUpserts.values()];
  if (chatUpdates.size > 0) batch['chats.update'] = [...chatUpdates.values()];
  if (contactUpserts.size > 0) batch['contacts.upsert'] = [...contactUpserts.values()];
  if (contactUpdates.size > 0) batch['contacts.update'] = [...contactUpdates.values()];
  if (updates.length > 0) batch['messages.update'] = updates;
  if (reactions.length > 0) batch['messages.reaction'] = reactions;
  return batch;
}

function mergeChat(into: ChatUpdate, chat: Chat): void {
  into.unreadCount = (into.unreadCount ?? 0) + (chat.unreadCount ?? 0);
  into.conversationTimestamp = chat.conversationTimestamp;
  into.messages = chat.messages;
}

/** The sender named the reacted-to message from its side; Baileys turns the key around to ours. */
function normaliseReactedKey(target: proto.IMessageKey, messageKey: WAMessageKey, meId: string): WAMessageKey {
  const fromMe = !target.fromMe ? areJidsSameUser(target.participant || target.remoteJid || undefined, meId) : false;
  return {
    ...target,
    fromMe,
    remoteJid: messageKey.remoteJid ?? null,
    participant: target.participant || messageKey.participant || null,
  };
}

/** Recipients' receipts: `messages.update` statuses for 1:1 chats, `message-receipt.update` per participant in groups. */
export function receiptsBatch(bodies: ReadonlyArray<Body<'receipt'>>): BaileysEventBatch {
  const updates: BaileysEventMap['messages.update'] = [];
  const receipts: BaileysEventMap['message-receipt.update'] = [];
  for (const body of bodies) {
    const status = body.status === 'read' ? proto.WebMessageInfo.Status.READ : proto.WebMessageInfo.Status.DELIVERY_ACK;
    for (const id of body.messageIds) {
      if (body.participant === null) {
        updates.push({ key: { remoteJid: body.chatJid, id, fromMe: true }, update: { status, messageTimestamp: body.timestamp } });
      } else {
        const field = body.status === 'read' ? 'readTimestamp' : 'receiptTimestamp';
        receipts.push({
          key: { remoteJid: body.chatJid, id, fromMe: true, participant: body.participant },
          receipt: { userJid: jidNormalizedUser(body.participant), [field]: body.timestamp },
        });
      }
    }
  }
  const batch: BaileysEventBatch = {};
  if (updates.length > 0) batch['messages.update'] = updates;
  if (receipts.length > 0) batch['message-receipt.update'] = receipts;
  return batch;
}

/** One history chunk through Baileys' own `processHistoryMessage`, as `messaging-history.set`. */
export function historyBatch(body: Body<'history'>): BaileysEventBatch {
  const data = processHistoryMessage(proto.HistorySync.decode(Buffer.from(body.sync, 'base64')));
  return { 'messaging-history.set': { ...data, isLatest: body.isLatest, chunkOrder: body.chunkOrder } };
}

const PARTICIPANT_STUB: Record<'add' | 'remove' | 'promote' | 'demote', proto.WebMessageInfo.StubType> = {
  add: proto.WebMessageInfo.StubType.GROUP_PARTICIPANT_ADD,
  remove: proto.WebMessageInfo.StubType.GROUP_PARTICIPANT_REMOVE,
  promote: proto.WebMessageInfo.StubType.GROUP_PARTICIPANT_PROMOTE,
  demote: proto.WebMessageInfo.StubType.GROUP_PARTICIPANT_DEMOTE,
};

/** A `w:gp2` notification: the stub message Baileys builds for it, and the group events its processMessage derives. */
export function groupBatch(body: Body<'group'>, meId: string): BaileysEventBatch {
  const id = body.groupJid;
  const author = body.author;
  const stub: Record<string, unknown> = {
    key: { remoteJid: id, fromMe: areJidsSameUser(author, meId), participant: author, id: body.notificationId },
    participant: author,
    messageTimestamp: body.timestamp,
  };
  const batch: BaileysEventBatch = {};
  const groupUpdate = (update: Partial<GroupMetadata>): void => {
    batch['groups.update'] = [{ id, ...update, author }];
  };
  const change: GroupChange = body.change;
  switch (change.action) {
    case 'create': {
      const metadata = groupMetadataOf(change.metadata);
      stub.messageStubType = proto.WebMessageInfo.StubType.GROUP_CREATE;
      stub.messageStubParameters = [metadata.subject];
      stub.key = { ...(stub.key as object), participant: metadata.owner };
      batch['chats.upsert'] = [{ id, name: metadata.subject, conversationTimestamp: metadata.creation ?? null }];
      batch['groups.upsert'] = [{ ...metadata, author }];
      break;
    }
    case 'add':
    case 'remove':
    case 'promote':
    case 'demote': {
      const participants: GroupParticipant[] = change.participants.map((p) => ({ id: p.jid, admin: p.admin }));
      const leave = change.action === 'remove' && participants.length === 1 && areJidsSameUser(participants[0]!.id, author);
      stub.messageStubType = leave ? proto.WebMessageInfo.StubType.GROUP_PARTICIPANT_LEAVE : PARTICIPANT_STUB[change.action];
      stub.messageStubParameters = participants.map((p) => JSON.stringify(p));
      const action: ParticipantAction = change.action;
      batch['group-participants.update'] = { id, author, participants, action };
      break;
    }
    case 'subject':
      stub.messageStubType = proto.WebMessageInfo.StubType.GROUP_CHANGE_SUBJECT;
      stub.messageStubParameters = [change.subject];
      groupUpdate({ subject: change.subject });
      batch['chats.update'] = [{ id, name: change.subject }];
      break;
    case 'description':
      stub.messageStubType = proto.WebMessageInfo.StubType.GROUP_CHANGE_DESCRIPTION;
      if (change.description) stub.messageStubParameters = [change.description];
      groupUpdate({ desc: change.description ?? undefined });
      batch['chats.update'] = [{ id, description: change.description }];
      break;
    case 'announcement':
    case 'not_announcement':
      stub.messageStubType = proto.WebMessageInfo.StubType.GROUP_CHANGE_ANNOUNCE;
      stub.messageStubParameters = [change.action === 'announcement' ? 'on' : 'off'];
      groupUpdate({ announce: change.action === 'announcement' });
      break;
    case 'locked':
    case 'unlocked':
      stub.messageStubType = proto.WebMessageInfo.StubType.GROUP_CHANGE_RESTRICT;
      stub.messageStubParameters = [change.action === 'locked' ? 'on' : 'off'];
      groupUpdate({ restrict: change.action === 'locked' });
      break;
    case 'invite':
      stub.messageStubType = proto.WebMessageInfo.StubType.GROUP_CHANGE_INVITE_LINK;
      stub.messageStubParameters = [change.code];
      groupUpdate({ inviteCode: change.code });
      break;
    case 'ephemeral':
      stub.message = { protocolMessage: { type: proto.Message.ProtocolMessage.Type.EPHEMERAL_SETTING, ephemeralExpiration: change.expiration } };
      batch['chats.update'] = [{ id, ephemeralSettingTimestamp: body.timestamp, ephemeralExpiration: change.expiration || null }];
      break;
    default: {
      const unknown: never = change;
      throw new Error(`unknown group change ${JSON.stringify(unknown)}`);
    }
  }
  batch['messages.upsert'] = { messages: [proto.WebMessageInfo.fromObject(stub) as WAMessage], type: 'append' };
  return batch;
}

/** An app-state mutation through Baileys' own `processSyncAction`, collected into a batch. */
export function appStateBatch(body: Body<'app-state'>, me: Contact): BaileysEventBatch {
  const value = proto.SyncActionValue.decode(Buffer.from(body.value, 'base64'));
  const batch: Record<string, unknown> = {};
  const emitter = {
    emit(event: string, data: unknown): boolean {
      const previous = batch[event];
      if (Array.isArray(previous) && Array.isArray(data)) batch[event] = [...previous, ...data];
      else batch[event] = data;
      return true;
    },
    on: () => undefined,
    off: () => undefined,
    removeAllListeners: () => undefined,
  } as unknown as BaileysEventEmitter;
  processSyncAction({ syncAction: { value }, index: body.index }, emitter, me);
  // `conditional` only steers Baileys' event buffer during the initial sync; it is never set live.
  const chats = batch['chats.update'] as ChatUpdate[] | undefined;
  if (chats) batch['chats.update'] = chats.map(({ conditional: _conditional, ...chat }) => chat);
  return batch as BaileysEventBatch;
}
