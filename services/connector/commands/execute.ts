import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  proto,
  type AnyMessageContent,
  type GroupMetadata,
  type MiscMessageGenerationOptions,
  type ParticipantAction,
  type WAMessage,
  type WAMessageKey,
  type WASocket,
} from '@whiskeysockets/baileys';
import { LabelAssociationType } from '@whiskeysockets/baileys/lib/Types/LabelAssociation.js';
import { WaError, type MediaStore } from '../../shared/index.js';
import type { BaileysEventBatch, WaSocketPort } from '../drivers/Driver.js';
import type { AvroValue } from '../events/index.js';
import { commandError } from './commandError.js';
import { isCommandType, payloadOf, type PayloadOf } from '../../shared/commands/index.js';
import type { CommandValue, MessageTargetValue, ModifyChatPayload } from '../../shared/commands/index.js';
import { bareJid, jidUser, phoneDigits, sameUser } from '../../shared/commands/index.js';
import { OpenedMedia, toMessageContent } from './messageContent.js';
import { outboundMessageId } from './outboundMessageId.js';
import { businessProfileRecord, groupMetadataRecord, messageSentResult, newsletterRecord, secondsToMillis } from './results.js';

const STATUS_JID = 'status@broadcast';
/** The pin durations WhatsApp accepts (24 h, 7 days, 30 days). */
const PIN_DURATIONS = [86_400, 604_800, 2_592_000] as const;
/** WhatsApp's "muted until further notice". */
const MUTE_FOREVER = -1;

/** What `execute` works with: the account's live socket and the connector's services. */
export interface ExecuteDeps {
  socket: WaSocketPort;
  media: MediaStore;
  accountId: string;
  /** This account's own JID (may carry a device suffix); null before linking. */
  meJid: string | null;
  now: () => number;
  /** Fetches media given as an http(s) URL instead of a media-store id. */
  fetchUrl?: (url: string) => Promise<Readable>;
  /**
   * Finds a stored message by its target: the source of a forward, the full message of a
   * quoted reply, the key and timestamp of a message whose `fromMe` the command left open.
   */
  loadMessage?: (target: MessageTargetValue) => Promise<WAMessage | null>;
  /** Awaited before every message the command puts on WhatsApp (e.g. `() => pacer.acquire(accountId, signal)`). */
  pace?: () => Promise<void>;
  /** Who sees a story when the command names nobody: normally the account's known contacts. */
  statusAudience?: () => Promise<string[]>;
}

/** What executing a command produced. */
export interface ExecutionOutcome {
  /** The `CommandResult.result` union value, wrapped (`{ 'wa.commands.MessageSentResult': {...} }`), or null. */
  result: AvroValue | null;
  /** What happened, in Baileys' own event shapes, for the one translation path (source COMMAND). */
  effects: BaileysEventBatch;
}

/** Socket methods commands use that the driver port does not list (yet); present on Baileys' socket. */
type OptionalSocketMethods = Partial<Pick<WASocket, 'groupMemberAddMode' | 'groupJoinApprovalMode' | 'newsletterUpdatePicture'>>;

/**
 * Executes a socket-bound command (one `decide` allowed) against the account's WhatsApp
 * socket, and returns its result and the effects it had. Throws what the socket throws
 * (`commandError` turns that into the FAILED result's error). Account lifecycle commands are
 * the runtime's: they throw WaError INTERNAL here.
 */
export async function execute(command: CommandValue, deps: ExecuteDeps): Promise<ExecutionOutcome> {
  const type = command.type;
  if (!isCommandType(type)) {
    throw new WaError('INVALID_ARGUMENT', `unknown command type ${JSON.stringify(type.slice(0, 64))}`, { field: 'type', details: { commandCode: 'UNSUPPORTED' } });
  }
  const run = new Run(command, deps);
  switch (type) {
    case 'account.create':
    case 'account.update':
    case 'account.delete':
    case 'account.connect':
    case 'account.disconnect':
    case 'account.logout':
      throw new WaError('INTERNAL', `${type} is executed by the connector runtime, not by execute()`);
    case 'message.send':
    case 'newsletter.send':
      return sendMessage(run, payloadOf(command, type));
    case 'message.react':
      return react(run, payloadOf(command, type));
    case 'message.delete':
      return deleteMessage(run, payloadOf(command, type));
    case 'message.edit':
      return editMessage(run, payloadOf(command, type));
    case 'message.forward':
      return forward(run, payloadOf(command, type));
    case 'message.star':
    case 'message.unstar':
      return star(run, payloadOf(command, type), type === 'message.star');
    case 'message.pin':
    case 'message.unpin':
      return pin(run, payloadOf(command, type), type === 'message.pin');
    case 'chat.archive':
    case 'chat.unarchive':
    case 'chat.pin':
    case 'chat.unpin':
    case 'chat.mute':
    case 'chat.unmute':
    case 'chat.read':
    case 'chat.delete':
      return modifyChat(run, type, payloadOf(command, type));
    case 'contact.check':
      return checkPhones(run, payloadOf(command, type));
    case 'contact.block':
    case 'contact.unblock':
      return block(run, payloadOf(command, type), type === 'contact.block');
    case 'profile.fetch':
      return fetchProfile(run, payloadOf(command, type));
    case 'profile.update':
      return updateProfile(run, payloadOf(command, type));
    case 'profile.picture.update':
      return updateProfilePicture(run, payloadOf(command, type));
    case 'business.profile.fetch':
      return fetchBusinessProfile(run, payloadOf(command, type));
    case 'business.profile.update':
      return updateBusinessProfile(run, payloadOf(command, type));
    case 'group.create':
      return createGroup(run, payloadOf(command, type));
    case 'group.update':
      return updateGroup(run, payloadOf(command, type));
    case 'group.leave':
      return leaveGroup(run, payloadOf(command, type));
    case 'group.participants.add':
    case 'group.participants.remove':
    case 'group.participants.promote':
    case 'group.participants.demote':
      return changeParticipants(run, payloadOf(command, type), PARTICIPANT_ACTIONS[type]);
    case 'group.invite.get':
    case 'group.invite.revoke':
      return inviteLink(run, payloadOf(command, type), type === 'group.invite.revoke');
    case 'story.post':
      return postStory(run, payloadOf(command, type));
    case 'story.delete':
      return deleteStory(run, payloadOf(command, type));
    case 'label.create':
      return createLabel(run, payloadOf(command, type));
    case 'label.delete':
      return deleteLabel(run, payloadOf(command, type));
    case 'label.chat.add':
    case 'label.chat.remove':
      return labelChat(run, payloadOf(command, type), type === 'label.chat.add');
    case 'newsletter.create':
      return createNewsletter(run, payloadOf(command, type));
    default: {
      const unreachable: never = type;
      throw new WaError('INTERNAL', `unhandled command type ${String(unreachable)}`);
    }
  }
}

const PARTICIPANT_ACTIONS = {
  'group.participants.add': 'add',
  'group.participants.remove': 'remove',
  'group.participants.promote': 'promote',
  'group.participants.demote': 'demote',
} as const satisfies Record<string, ParticipantAction>;

/** One command's execution: its deps plus the helpers every command type shares. */
class Run {
  readonly socket: WaSocketPort;

  constructor(
    readonly command: CommandValue,
    readonly deps: ExecuteDeps,
  ) {
    this.socket = deps.socket;
  }

  now(): number {
    return this.deps.now();
  }

  /** This account's JID without device suffix; commands about "me" need it. */
  me(field: string | null = null): string {
    if (this.deps.meJid === null) {
      throw new WaError('UNAVAILABLE', 'the account is not linked yet: its own JID is unknown', { field: field ?? undefined, details: { commandCode: 'NOT_CONNECTED' } });
    }
    return bareJid(this.deps.meJid);
  }

  /** Puts one message on WhatsApp under a deterministic id, after pacing. */
  async send(jid: string, content: AnyMessageContent, options: MiscMessageGenerationOptions = {}, part?: string): Promise<WAMessage> {
    await this.deps.pace?.();
    const sent = await this.socket.sendMessage(jid, content, {
      timestamp: new Date(this.now()),
      ...options,
      messageId: options.messageId ?? outboundMessageId(this.command.commandId, part),
    });
    if (sent === undefined) throw new WaError('INTERNAL', 'the socket returned no message for the send', { details: { commandCode: 'WHATSAPP_ERROR' } });
    return sent;
  }

  /** The message a target points at, when the connector has it. */
  async load(target: MessageTargetValue): Promise<WAMessage | null> {
    return (await this.deps.loadMessage?.(target)) ?? null;
  }

  /**
   * The WhatsApp key of a target message. When the command leaves `fromMe` open, the stored
   * message decides; failing that, a named participant other than this account means "not
   * mine", and otherwise `assumeFromMe` (true where only one's own messages qualify).
   */
  async key(target: MessageTargetValue, assumeFromMe: boolean): Promise<WAMessageKey> {
    if (target.fromMe === null) {
      const loaded = await this.load(target);
      if (loaded?.key.id) return loaded.key;
    }
    const fromMe = target.fromMe ?? (target.participant !== null ? sameUser(target.participant, this.deps.meJid) : assumeFromMe);
    return {
      remoteJid: target.chatJid,
      id: target.messageId,
      fromMe,
      ...(target.participant !== null && !fromMe ? { participant: target.participant } : {}),
    };
  }

  /** A socket method the driver port does not declare; WaError UNSUPPORTED when the driver lacks it. */
  optional<K extends keyof OptionalSocketMethods>(name: K): NonNullable<OptionalSocketMethods[K]> {
    const method = (this.socket as WaSocketPort & OptionalSocketMethods)[name];
    if (typeof method !== 'function') {
      throw new WaError('INTERNAL', `this WhatsApp driver does not support ${name}`, { details: { commandCode: 'UNSUPPORTED' } });
    }
    return (method as (...args: never[]) => unknown).bind(this.socket) as NonNullable<OptionalSocketMethods[K]>;
  }

  /** Story recipients: those named, else the runtime's audience, plus this account's own devices. */
  async storyAudience(named: readonly string[]): Promise<string[]> {
    const audience = named.length > 0 ? named : ((await this.deps.statusAudience?.()) ?? []);
    if (audience.length === 0) {
      throw new WaError('INVALID_ARGUMENT', 'a story needs an audience: name audienceJids', { field: 'audienceJids', details: { commandCode: 'VALIDATION_FAILED' } });
    }
    return [...new Set([...audience.map(bareJid), this.me()])];
  }
}

const outcome = (result: AvroValue | null, effects: BaileysEventBatch = {}): ExecutionOutcome => ({ result, effects });
const upserted = (messages: WAMessage[]): BaileysEventBatch => ({ 'messages.upsert': { messages, type: 'append' } });

async function sendMessage(run: Run, p: PayloadOf<'message.send'>): Promise<ExecutionOutcome> {
  const messageId = p.messageId ?? outboundMessageId(run.command.commandId);
  const media = new OpenedMedia(run.deps);
  try {
    const content = await toMessageContent(
      p.content,
      { mentions: p.mentions, mentionAll: p.mentionAll, viewOnce: p.viewOnce, linkPreview: p.linkPreview, messageId, to: p.to },
      media,
    );
    const options: MiscMessageGenerationOptions = { messageId };
    if (p.quoted !== null) options.quoted = await quotedMessage(run, p.quoted);
    if (p.ephemeralExpirationSeconds !== null) options.ephemeralExpiration = p.ephemeralExpirationSeconds;
    const sent = await run.send(p.to, content, options);
    return outcome(messageSentResult(sent, p.to, run.now()), upserted([sent]));
  } finally {
    media.close();
  }
}

/**
 * The message a reply quotes: the stored one, else its key with an empty text. WhatsApp links
 * the reply to the original by id either way; only the preview above the reply is then blank.
 */
async function quotedMessage(run: Run, target: MessageTargetValue): Promise<WAMessage> {
  const loaded = await run.load(target);
  if (loaded?.message) return loaded;
  const key = await run.key(target, false);
  return { key, message: { conversation: '' }, ...(key.participant ? { participant: key.participant } : {}) };
}

async function react(run: Run, p: PayloadOf<'message.react'>): Promise<ExecutionOutcome> {
  const key = await run.key(p.target, false);
  const sent = await run.send(p.target.chatJid, { react: { text: p.emoji, key, senderTimestampMs: run.now() } });
  return outcome(messageSentResult(sent, p.target.chatJid, run.now()), upserted([sent]));
}

async function deleteMessage(run: Run, p: PayloadOf<'message.delete'>): Promise<ExecutionOutcome> {
  if (p.forEveryone) {
    const key = await run.key(p.target, true);
    const sent = await run.send(p.target.chatJid, { delete: key });
    return outcome(messageSentResult(sent, p.target.chatJid, run.now()), upserted([sent]));
  }
  const loaded = await run.load(p.target);
  const key = loaded?.key ?? (await run.key(p.target, false));
  // WhatsApp's patch names the message's own timestamp; the time of deletion is the fallback.
  const timestamp = Math.floor((secondsToMillis(loaded?.messageTimestamp) ?? run.now()) / 1000);
  await run.socket.chatModify({ deleteForMe: { deleteMedia: false, key, timestamp } }, p.target.chatJid);
  return outcome(null, { 'messages.delete': { keys: [key] } });
}

async function editMessage(run: Run, p: PayloadOf<'message.edit'>): Promise<ExecutionOutcome> {
  const key = await run.key(p.target, true);
  const content = { text: p.text, edit: key, ...(p.mentions.length > 0 ? { mentions: [...p.mentions] } : {}) };
  const sent = await run.send(p.target.chatJid, content);
  return outcome(messageSentResult(sent, p.target.chatJid, run.now()), upserted([sent]));
}

async function forward(run: Run, p: PayloadOf<'message.forward'>): Promise<ExecutionOutcome> {
  const source = await run.load(p.source);
  if (source === null || !source.message) {
    throw new WaError('NOT_FOUND', `message ${p.source.messageId} is not known to this connector`, { field: 'source', details: { commandCode: 'MESSAGE_NOT_FOUND' } });
  }
  const sent: WAMessage[] = [];
  const results: AvroValue[] = [];
  let firstError: unknown = null;
  for (const to of p.to) {
    try {
      const message = await run.send(to, { forward: source }, {}, to);
      sent.push(message);
      results.push({ to, messageId: message.key.id ?? null, timestamp: secondsToMillis(message.messageTimestamp) ?? run.now(), error: null });
    } catch (error) {
      firstError ??= error;
      results.push({ to, messageId: null, timestamp: null, error: commandError(error) });
    }
  }
  // The command succeeds when at least one copy went out; the others carry their own error.
  if (sent.length === 0) throw firstError;
  return outcome({ 'wa.commands.ForwardResult': { results } }, upserted(sent));
}

async function star(run: Run, p: PayloadOf<'message.star'>, starred: boolean): Promise<ExecutionOutcome> {
  const key = await run.key(p.target, false);
  await run.socket.star(p.target.chatJid, [{ id: p.target.messageId, fromMe: key.fromMe ?? false }], starred);
  return outcome(null, { 'messages.update': [{ key, update: { starred } }] });
}

async function pin(run: Run, p: PayloadOf<'message.pin'>, pinned: boolean): Promise<ExecutionOutcome> {
  const key = await run.key(p.target, false);
  const content: AnyMessageContent = pinned
    ? { pin: key, type: proto.PinInChat.Type.PIN_FOR_ALL, time: pinDuration(p.durationSeconds) }
    : { pin: key, type: proto.PinInChat.Type.UNPIN_FOR_ALL };
  const sent = await run.send(p.target.chatJid, content);
  return outcome(messageSentResult(sent, p.target.chatJid, run.now()), upserted([sent]));
}

/** The shortest pin duration WhatsApp accepts that covers the one asked for; 24 h by default. */
export function pinDuration(seconds: number | null): (typeof PIN_DURATIONS)[number] {
  if (seconds === null) return PIN_DURATIONS[0];
  return PIN_DURATIONS.find((duration) => duration >= seconds) ?? PIN_DURATIONS[PIN_DURATIONS.length - 1]!;
}

type ChatType = 'chat.archive' | 'chat.unarchive' | 'chat.pin' | 'chat.unpin' | 'chat.mute' | 'chat.unmute' | 'chat.read' | 'chat.delete';

async function modifyChat(run: Run, type: ChatType, p: ModifyChatPayload): Promise<ExecutionOutcome> {
  const jid = p.chatJid;
  const lastKey: WAMessageKey | null =
    p.lastMessageKey === null
      ? null
      : {
          remoteJid: p.lastMessageKey.remoteJid,
          id: p.lastMessageKey.id,
          fromMe: p.lastMessageKey.fromMe,
          ...(p.lastMessageKey.participant !== null ? { participant: p.lastMessageKey.participant } : {}),
        };
  // App-state patches for archive, read and delete name the chat's last message, when known.
  const lastMessages = lastKey === null ? [] : [{ key: lastKey, messageTimestamp: Math.floor((p.lastMessageAt ?? run.now()) / 1000) }];
  switch (type) {
    case 'chat.archive':
    case 'chat.unarchive': {
      const archived = type === 'chat.archive';
      await run.socket.chatModify({ archive: archived, lastMessages }, jid);
      return outcome(null, { 'chats.update': [{ id: jid, archived }] });
    }
    case 'chat.pin':
    case 'chat.unpin': {
      const pinned = type === 'chat.pin';
      await run.socket.chatModify({ pin: pinned }, jid);
      // Baileys reports a pin as the time it happened (ms) and an unpin as null.
      return outcome(null, { 'chats.update': [{ id: jid, pinned: pinned ? run.now() : null }] });
    }
    case 'chat.mute': {
      const until = p.muteDurationSeconds === null ? MUTE_FOREVER : run.now() + p.muteDurationSeconds * 1000;
      await run.socket.chatModify({ mute: until }, jid);
      return outcome(null, { 'chats.update': [{ id: jid, muteEndTime: until }] });
    }
    case 'chat.unmute':
      await run.socket.chatModify({ mute: null }, jid);
      return outcome(null, { 'chats.update': [{ id: jid, muteEndTime: null }] });
    case 'chat.read':
      await run.socket.chatModify({ markRead: true, lastMessages }, jid);
      // Blue ticks for the sender too, when the last message is theirs.
      if (lastKey !== null && !lastKey.fromMe) await run.socket.readMessages([lastKey]);
      return outcome(null, { 'chats.update': [{ id: jid, unreadCount: 0 }] });
    case 'chat.delete':
      await run.socket.chatModify({ delete: true, lastMessages }, jid);
      return outcome(null, { 'chats.delete': [jid] });
    default: {
      const unreachable: never = type;
      throw new WaError('INTERNAL', `unhandled chat command ${String(unreachable)}`);
    }
  }
}

/** One answer of `onWhatsApp`; newer Baileys versions add the LID. */
type PhoneAnswer = { jid: string; exists: boolean; lid?: unknown };

async function checkPhones(run: Run, p: PayloadOf<'contact.check'>): Promise<ExecutionOutcome> {
  const asked = p.phones.map((phone) => ({ phone, digits: phoneDigits(phone) ?? '' }));
  const found: PhoneAnswer[] = (await run.socket.onWhatsApp(...new Set(asked.map((a) => a.digits)))) ?? [];
  const byUser = new Map(found.map((answer) => [jidUser(answer.jid), answer]));
  const results = asked.map(({ phone, digits }) => {
    // WhatsApp may answer under a normalised number (e.g. a dropped mobile prefix): one question, one answer.
    const answer = byUser.get(digits) ?? (asked.length === 1 && found.length === 1 ? found[0] : undefined);
    const exists = answer?.exists === true;
    return {
      phone,
      exists,
      jid: exists ? answer!.jid : null,
      lid: exists && typeof answer?.lid === 'string' ? answer.lid : null,
    };
  });
  return outcome({ 'wa.commands.ContactCheckResult': { results } });
}

async function block(run: Run, p: PayloadOf<'contact.block'>, blocking: boolean): Promise<ExecutionOutcome> {
  await run.socket.updateBlockStatus(p.jid, blocking ? 'block' : 'unblock');
  return outcome(null, { 'blocklist.update': { blocklist: [p.jid], type: blocking ? 'add' : 'remove' } });
}

async function fetchProfile(run: Run, p: PayloadOf<'profile.fetch'>): Promise<ExecutionOutcome> {
  const jid = p.jid ?? run.me('jid');
  const isPerson = /@(s\.whatsapp\.net|lid)$/.test(jid);
  const [picture, status] = await Promise.all([pictureOf(run, jid), isPerson ? statusOf(run, jid) : Promise.resolve(null)]);
  return outcome({
    'wa.account.Profile': {
      jid,
      name: null,
      statusText: status?.text ?? null,
      statusSetAt: status?.setAt ?? null,
      pictureState: picture.state,
      pictureUrl: picture.url,
      pictureId: null,
    },
  });
}

/** A profile picture: set (with its URL), none (404), or not visible to us (privacy: null). */
async function pictureOf(run: Run, jid: string): Promise<{ url: string | null; state: 'SET' | 'REMOVED' | null }> {
  try {
    const url = (await run.socket.profilePictureUrl(jid, 'image')) ?? null;
    return { url, state: url === null ? 'REMOVED' : 'SET' };
  } catch (error) {
    const code = commandError(error).statusCode;
    if (code === 404) return { url: null, state: 'REMOVED' };
    if (code === 401 || code === 403) return { url: null, state: null };
    throw error;
  }
}

async function statusOf(run: Run, jid: string): Promise<{ text: string | null; setAt: number | null } | null> {
  try {
    const entry = (await run.socket.fetchStatus(jid))?.[0] as { status?: { status?: unknown; setAt?: unknown } } | undefined;
    if (entry?.status === undefined) return null;
    const setAt = entry.status.setAt instanceof Date ? entry.status.setAt.getTime() : null;
    return { text: typeof entry.status.status === 'string' ? entry.status.status : null, setAt: setAt !== null && setAt > 0 ? setAt : null };
  } catch (error) {
    const code = commandError(error).statusCode;
    if (code === 401 || code === 403 || code === 404) return null;
    throw error;
  }
}

async function updateProfile(run: Run, p: PayloadOf<'profile.update'>): Promise<ExecutionOutcome> {
  const me = run.me();
  if (p.name !== null) await run.socket.updateProfileName(p.name);
  if (p.statusText !== null) await run.socket.updateProfileStatus(p.statusText);
  const changed = { ...(p.name !== null ? { notify: p.name } : {}), ...(p.statusText !== null ? { status: p.statusText } : {}) };
  return outcome(
    {
      'wa.account.Profile': {
        jid: me,
        name: p.name,
        statusText: p.statusText,
        statusSetAt: p.statusText !== null ? run.now() : null,
        pictureState: null,
        pictureUrl: null,
        pictureId: null,
      },
    },
    Object.keys(changed).length > 0 ? { 'contacts.update': [{ id: me, ...changed }] } : {},
  );
}

async function updateProfilePicture(run: Run, p: PayloadOf<'profile.picture.update'>): Promise<ExecutionOutcome> {
  const jid = p.jid ?? run.me('jid');
  const media = new OpenedMedia(run.deps);
  try {
    const { upload } = await media.open(p.mediaId, 'mediaId');
    await run.socket.updateProfilePicture(jid, upload);
  } finally {
    media.close();
  }
  // The new URL is a nicety: the picture is set even when it cannot be read back.
  const picture = await pictureOf(run, jid).catch(() => ({ url: null }));
  return outcome(
    { 'wa.account.Profile': { jid, name: null, statusText: null, statusSetAt: null, pictureState: 'CHANGED', pictureUrl: picture.url, pictureId: null } },
    { 'contacts.update': [{ id: jid, imgUrl: 'changed' }] },
  );
}

async function fetchBusinessProfile(run: Run, p: PayloadOf<'business.profile.fetch'>): Promise<ExecutionOutcome> {
  const jid = p.jid ?? run.me('jid');
  const profile = await run.socket.getBusinessProfile(jid);
  if (!profile) throw new WaError('NOT_FOUND', `${jid} has no business profile`, { field: 'jid', details: { commandCode: 'NOT_A_BUSINESS' } });
  return outcome({ 'wa.account.BusinessProfile': businessProfileRecord(jid, profile) });
}

async function updateBusinessProfile(run: Run, p: PayloadOf<'business.profile.update'>): Promise<ExecutionOutcome> {
  const me = run.me();
  await run.socket.updateBussinesProfile({
    ...(p.description !== null ? { description: p.description } : {}),
    ...(p.email !== null ? { email: p.email } : {}),
    ...(p.websites !== null ? { websites: [...p.websites] } : {}),
    ...(p.address !== null ? { address: p.address } : {}),
  });
  const profile = await run.socket.getBusinessProfile(me);
  const record = profile
    ? businessProfileRecord(me, profile)
    : { jid: me, description: p.description, email: p.email, websites: p.websites ?? [], address: p.address, category: null, businessHours: null };
  return outcome({ 'wa.account.BusinessProfile': record });
}

async function createGroup(run: Run, p: PayloadOf<'group.create'>): Promise<ExecutionOutcome> {
  let meta = await run.socket.groupCreate(p.subject, [...p.participants]);
  if (p.description !== null && p.description !== '') {
    await run.socket.groupUpdateDescription(meta.id, p.description);
    meta = { ...meta, desc: p.description };
  }
  return outcome({ 'wa.account.GroupMetadata': groupMetadataRecord(meta) }, { 'groups.upsert': [meta] });
}

async function updateGroup(run: Run, p: PayloadOf<'group.update'>): Promise<ExecutionOutcome> {
  const jid = p.groupJid;
  const changed: Partial<GroupMetadata> = {};
  if (p.subject !== null) {
    await run.socket.groupUpdateSubject(jid, p.subject);
    changed.subject = p.subject;
  }
  if (p.description !== null) {
    // Baileys removes the description when given none.
    await run.socket.groupUpdateDescription(jid, p.description === '' ? undefined : p.description);
    changed.desc = p.description;
  }
  if (p.announce !== null) {
    await run.socket.groupSettingUpdate(jid, p.announce ? 'announcement' : 'not_announcement');
    changed.announce = p.announce;
  }
  if (p.restrict !== null) {
    await run.socket.groupSettingUpdate(jid, p.restrict ? 'locked' : 'unlocked');
    changed.restrict = p.restrict;
  }
  if (p.memberAddMode !== null) {
    await run.optional('groupMemberAddMode')(jid, p.memberAddMode ? 'all_member_add' : 'admin_add');
    changed.memberAddMode = p.memberAddMode;
  }
  if (p.joinApprovalMode !== null) {
    await run.optional('groupJoinApprovalMode')(jid, p.joinApprovalMode ? 'on' : 'off');
    changed.joinApprovalMode = p.joinApprovalMode;
  }
  if (p.ephemeralDurationSeconds !== null) {
    // For a group, Baileys turns this content into its ephemeral-setting query (no message).
    await run.socket.sendMessage(jid, { disappearingMessagesInChat: p.ephemeralDurationSeconds });
    changed.ephemeralDuration = p.ephemeralDurationSeconds;
  }
  const meta = await run.socket.groupMetadata(jid);
  const effects: BaileysEventBatch = Object.keys(changed).length > 0 ? { 'groups.update': [{ id: jid, author: run.me(), ...changed }] } : {};
  return outcome({ 'wa.account.GroupMetadata': groupMetadataRecord(meta) }, effects);
}

async function leaveGroup(run: Run, p: PayloadOf<'group.leave'>): Promise<ExecutionOutcome> {
  const me = run.me();
  await run.socket.groupLeave(p.groupJid);
  return outcome(null, { 'group-participants.update': { id: p.groupJid, author: me, participants: [{ id: me }], action: 'remove' } });
}

/** What WhatsApp's per-member status codes of a participants change mean. */
const PARTICIPANT_ERRORS: Record<number, string> = {
  401: 'not allowed: this account is not an admin of the group',
  403: 'not allowed by their privacy settings: an invite may be needed',
  404: 'not on WhatsApp',
  406: 'cannot be added: the group is full or the number was banned',
  408: 'left the group recently: they must be invited',
  409: 'already in that state (member, admin or not a member)',
};

async function changeParticipants(run: Run, p: PayloadOf<'group.participants.add'>, action: ParticipantAction): Promise<ExecutionOutcome> {
  const answers = await run.socket.groupParticipantsUpdate(p.groupJid, [...p.participants], action);
  const results = answers.map((answer, i) => {
    const statusCode = Number.parseInt(answer.status, 10) || 500;
    return {
      jid: answer.jid ?? p.participants[i] ?? '',
      statusCode,
      error: statusCode === 200 ? null : (PARTICIPANT_ERRORS[statusCode] ?? `WhatsApp answered ${statusCode}`),
    };
  });
  const done = results.filter((r) => r.statusCode === 200).map((r) => ({ id: r.jid }));
  const effects: BaileysEventBatch = done.length > 0 ? { 'group-participants.update': { id: p.groupJid, author: run.me(), participants: done, action } } : {};
  return outcome({ 'wa.commands.GroupParticipantsResult': { groupJid: p.groupJid, results } }, effects);
}

async function inviteLink(run: Run, p: PayloadOf<'group.invite.get'>, revoke: boolean): Promise<ExecutionOutcome> {
  const code = revoke ? await run.socket.groupRevokeInvite(p.groupJid) : await run.socket.groupInviteCode(p.groupJid);
  if (!code) throw new WaError('INTERNAL', 'WhatsApp returned no invite code', { details: { commandCode: 'WHATSAPP_ERROR' } });
  return outcome(
    { 'wa.commands.InviteLinkResult': { groupJid: p.groupJid, code, url: `https://chat.whatsapp.com/${code}` } },
    revoke ? { 'groups.update': [{ id: p.groupJid, inviteCode: code }] } : {},
  );
}

async function postStory(run: Run, p: PayloadOf<'story.post'>): Promise<ExecutionOutcome> {
  const statusJidList = await run.storyAudience(p.audienceJids);
  const messageId = outboundMessageId(run.command.commandId);
  const text = 'wa.conversation.TextContent' in p.content ? p.content['wa.conversation.TextContent'] : null;
  const media = new OpenedMedia(run.deps);
  try {
    const content = await toMessageContent(
      p.content,
      { mentions: [], mentionAll: false, viewOnce: false, linkPreview: true, messageId, to: STATUS_JID },
      media,
    );
    const sent = await run.send(STATUS_JID, content, {
      messageId,
      statusJidList,
      broadcast: true,
      ...(text?.backgroundArgb != null ? { backgroundColor: argbHex(text.backgroundArgb) } : {}),
      ...(text?.font != null ? { font: text.font } : {}),
    });
    return outcome(messageSentResult(sent, STATUS_JID, run.now()), upserted([sent]));
  } finally {
    media.close();
  }
}

/** `0xAARRGGBB` as the `#AARRGGBB` Baileys parses for story backgrounds. */
function argbHex(argb: number): string {
  return `#${(argb >>> 0).toString(16).padStart(8, '0').toUpperCase()}`;
}

async function deleteStory(run: Run, p: PayloadOf<'story.delete'>): Promise<ExecutionOutcome> {
  const statusJidList = await run.storyAudience(p.audienceJids);
  const key: WAMessageKey = { remoteJid: STATUS_JID, id: p.storyId, fromMe: true };
  const sent = await run.send(STATUS_JID, { delete: key }, { statusJidList, broadcast: true });
  return outcome(null, upserted([sent]));
}

/**
 * A new label's id. WhatsApp label ids are small decimal numbers chosen by the device that
 * creates them; deriving it from the commandId keeps a re-executed command on the same label.
 */
export function labelIdFor(commandId: string): string {
  return String(1_000 + (Number.parseInt(createHash('sha256').update(commandId, 'utf8').digest('hex').slice(0, 8), 16) % 1_000_000));
}

async function createLabel(run: Run, p: PayloadOf<'label.create'>): Promise<ExecutionOutcome> {
  const id = labelIdFor(run.command.commandId);
  const color = p.color ?? 0;
  await run.socket.addLabel('', { id, name: p.name, color, deleted: false });
  return outcome(
    { 'wa.account.Label': { labelId: id, name: p.name, color, predefinedId: null, deleted: false } },
    { 'labels.edit': { id, name: p.name, color, deleted: false } },
  );
}

async function deleteLabel(run: Run, p: PayloadOf<'label.delete'>): Promise<ExecutionOutcome> {
  await run.socket.addLabel('', { id: p.labelId, deleted: true });
  return outcome(null, { 'labels.edit': { id: p.labelId, name: '', color: 0, deleted: true } });
}

async function labelChat(run: Run, p: PayloadOf<'label.chat.add'>, adding: boolean): Promise<ExecutionOutcome> {
  if (adding) await run.socket.addChatLabel(p.chatJid, p.labelId);
  else await run.socket.removeChatLabel(p.chatJid, p.labelId);
  return outcome(null, {
    'labels.association': { association: { type: LabelAssociationType.Chat, chatId: p.chatJid, labelId: p.labelId }, type: adding ? 'add' : 'remove' },
  });
}

async function createNewsletter(run: Run, p: PayloadOf<'newsletter.create'>): Promise<ExecutionOutcome> {
  const meta = await run.socket.newsletterCreate(p.name, p.description ?? undefined);
  if (p.pictureMediaId !== null) {
    const update = run.optional('newsletterUpdatePicture');
    const media = new OpenedMedia(run.deps);
    try {
      const { upload } = await media.open(p.pictureMediaId, 'pictureMediaId');
      await update(meta.id, upload);
    } finally {
      media.close();
    }
  }
  return outcome({ 'wa.account.NewsletterMetadata': newsletterRecord(meta, 'OWNER') });
}
