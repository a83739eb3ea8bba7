import type { BaileysEventMap, Chat, ChatUpdate } from '@whiskeysockets/baileys';
import type { AvroValue, DraftEvent, EventSource } from '../events/index.js';
import { digestOf, draft } from './draft.js';
import { bareJid, isBroadcast, isGroup, isLid, isNewsletter, isPn, isStatus, lidMappingEvent, normaliseJid } from './jids.js';
import type { TranslateContext } from './TranslateContext.js';
import { bool, epochMillis, secondsToMillis, str, toInt, toNumber } from './values.js';

const CHAT_BRANCH = 'wa.conversation.ChatChanged';

/** `chat.upserted` / `chat.updated` of a ChatChanged record (natural key: chatJid, occurredAt, digest(data)). */
export function chatChangedEvent(ctx: TranslateContext, mode: 'upserted' | 'updated', data: AvroValue, occurredAt: number, source: EventSource): DraftEvent {
  return draft(ctx, {
    type: `chat.${mode}`,
    branch: CHAT_BRANCH,
    data,
    chatJid: String(data.chatJid),
    occurredAt,
    source,
    key: [String(data.chatJid), occurredAt, digestOf(ctx, CHAT_BRANCH, data)],
  });
}

/** `wa.conversation.ChatKind` of a chat JID. */
export function chatKindOf(jid: string, isParentGroup: boolean): string {
  if (isStatus(jid)) return 'STATUS';
  if (isGroup(jid)) return isParentGroup ? 'COMMUNITY' : 'GROUP';
  if (isBroadcast(jid)) return 'BROADCAST';
  if (isNewsletter(jid)) return 'NEWSLETTER';
  if (jid.endsWith('@bot')) return 'BOT';
  if (isPn(jid) || isLid(jid)) return 'USER';
  return 'UNKNOWN';
}

type ChatInput = Partial<Chat> & Partial<ChatUpdate>;

const has = (chat: object, field: string): boolean => Object.prototype.hasOwnProperty.call(chat, field) || (chat as Record<string, unknown>)[field] != null;

/**
 * ChatChanged of a Baileys chat. As an upsert (history sync, chats.upsert) every field is the
 * known value. As an update (chats.update) only the fields present changed; tri-state values
 * follow Baileys: pinned / muteEndTime null = unpinned / unmuted, unreadCount -1 = marked unread.
 */
export function chatRecord(chat: ChatInput, mode: 'upserted' | 'updated', ctx: TranslateContext): AvroValue {
  const id = bareJid(chat.id ?? '');
  const chatJid = normaliseJid(id, ctx.lids);
  const record: AvroValue = {
    chatJid,
    kind: mode === 'upserted' ? chatKindOf(id, chat.isParentGroup === true) : null,
    unreadCount: null,
    markedAsUnread: null,
    pinned: null,
    pinnedAt: null,
    muted: null,
    mutedUntil: null,
    ephemeralExpirationSeconds: null,
  };
  record.name = str(chat.name);
  record.displayName = str(chat.displayName);
  record.pnJid = str(chat.pnJid) ?? (isLid(id) && chatJid !== id ? chatJid : null);
  record.lidJid = str(chat.lidJid) ?? (isLid(id) ? id : null);
  record.username = str(chat.username);

  const unread = toNumber(chat.unreadCount);
  if (mode === 'upserted') {
    record.unreadCount = unread === null ? null : Math.max(unread, 0);
  } else if (unread !== null && unread <= 0) {
    // A positive unreadCount in chats.update is Baileys' increment for new messages, not a count.
    record.unreadCount = unread === 0 ? 0 : null;
    record.markedAsUnread = unread < 0;
  }
  record.unreadMentionCount = toInt(chat.unreadMentionCount);
  record.markedAsUnread ??= bool(chat.markedAsUnread);
  record.archived = bool(chat.archived);
  if (has(chat, 'pinned')) {
    const pinnedAt = epochMillis(chat.pinned);
    record.pinned = pinnedAt !== null;
    record.pinnedAt = pinnedAt;
  }
  if (has(chat, 'muteEndTime')) {
    const raw = chat.muteEndTime;
    const until = toNumber(raw);
    // "Muted forever" is -1, which an unsigned 64-bit field turns into 2^64 - 1.
    const forever = raw !== null && raw !== undefined && (until === null || until < 0);
    record.muted = forever || (until !== null && until > 0);
    record.mutedUntil = !forever && until !== null && until > 0 ? epochMillis(until) : null;
  }
  record.readOnly = bool(chat.readOnly);
  record.notSpam = bool(chat.notSpam);
  if (has(chat, 'ephemeralExpiration')) record.ephemeralExpirationSeconds = toInt(chat.ephemeralExpiration) ?? 0;
  record.ephemeralSettingAt = secondsToMillis(chat.ephemeralSettingTimestamp);
  record.lastMessageAt = secondsToMillis(chat.conversationTimestamp);
  record.lastMessageReceivedAt = secondsToMillis(chat.lastMessageRecvTimestamp);
  record.createdAt = secondsToMillis(chat.createdAt);
  record.createdBy = str(chat.createdBy);
  record.description = str(chat.description);
  record.isParentGroup = bool(chat.isParentGroup);
  record.parentGroupJid = str(chat.parentGroupId) === null ? null : bareJid(chat.parentGroupId ?? '');
  record.isDefaultSubgroup = bool(chat.isDefaultSubgroup);
  record.locked = bool(chat.locked);
  record.suspended = bool(chat.suspended);
  record.terminated = bool(chat.terminated);
  record.limitSharing = bool(chat.limitSharing);
  record.endOfHistoryTransfer = bool(chat.endOfHistoryTransfer);
  return record;
}

const hasAnyChange = (record: AvroValue): boolean => Object.entries(record).some(([field, value]) => field !== 'chatJid' && value !== null && value !== undefined);

// Fields only app-state sync (a change made on another linked device) puts in chats.update.
const APP_STATE_FIELDS = ['conditional', 'archived', 'pinned', 'muteEndTime', 'markedAsUnread'];

function isAppStateUpdate(update: ChatUpdate): boolean {
  const unread = toNumber(update.unreadCount);
  return APP_STATE_FIELDS.some((field) => has(update, field)) || (has(update, 'unreadCount') && (unread === null || unread <= 0));
}

/** `chats.upsert` → `chat.upserted`; occurredAt is the chat's last message time when known, so a re-delivery keeps its id. */
export function* translateChatsUpsert(chats: readonly Chat[], ctx: TranslateContext, source: EventSource): Generator<DraftEvent> {
  for (const chat of chats) {
    if (str(chat.id) === null) continue;
    const data = chatRecord(chat, 'upserted', ctx);
    yield chatChangedEvent(ctx, 'upserted', data, secondsToMillis(chat.conversationTimestamp) ?? ctx.now(), source);
  }
}

/**
 * `chats.update` → `chat.updated`. Updates Baileys derives from a message it just upserted
 * (last message time, unread increment) are left out: the message event already says it.
 */
export function* translateChatsUpdate(updates: readonly ChatUpdate[], ctx: TranslateContext): Generator<DraftEvent> {
  for (const update of updates) {
    if (str(update.id) === null) continue;
    const data = chatRecord(update, 'updated', ctx);
    if (has(update, 'messages')) {
      data.lastMessageAt = null;
      data.lastMessageReceivedAt = null;
    }
    if (!hasAnyChange(data)) continue;
    const occurredAt = epochMillis(update.timestamp) ?? (data.ephemeralSettingAt as number | null) ?? ctx.now();
    const source = !has(update, 'messages') && isAppStateUpdate(update) ? 'APP_STATE_SYNC' : 'LIVE';
    yield chatChangedEvent(ctx, 'updated', data, occurredAt, source);
  }
}

/** `chats.delete` → `chat.deleted` (natural key: chatJid, occurredAt); Baileys only learns it through app-state sync. */
export function* translateChatsDelete(ids: readonly string[], ctx: TranslateContext): Generator<DraftEvent> {
  for (const id of ids) {
    const chatJid = normaliseJid(id, ctx.lids);
    const occurredAt = ctx.now();
    yield draft(ctx, {
      type: 'chat.deleted',
      branch: 'wa.conversation.ChatDeleted',
      data: { chatJid, deletedAt: occurredAt },
      chatJid,
      occurredAt,
      source: 'APP_STATE_SYNC',
      key: [chatJid, occurredAt],
    });
  }
}

/** `messages.delete {jid, all}` → `chat.cleared` (natural key: chatJid, occurredAt). */
export function chatClearedEvent(jid: string, ctx: TranslateContext): DraftEvent {
  const chatJid = normaliseJid(jid, ctx.lids);
  const occurredAt = ctx.now();
  return draft(ctx, {
    type: 'chat.cleared',
    branch: 'wa.conversation.ChatCleared',
    data: { chatJid, clearedAt: occurredAt, keepStarred: null },
    chatJid,
    occurredAt,
    source: 'APP_STATE_SYNC',
    key: [chatJid, occurredAt],
  });
}

/** `chats.lock` → `chat.updated` with `locked` (a chat-lock change from another device). */
export function chatLockEvent(event: BaileysEventMap['chats.lock'], ctx: TranslateContext): DraftEvent {
  const data = chatRecord({ id: event.id, locked: event.locked }, 'updated', ctx);
  return chatChangedEvent(ctx, 'updated', data, ctx.now(), 'APP_STATE_SYNC');
}

/** `lid-mapping.update` → `lid.mapping` (natural key: lid, pn). */
export function* translateLidMapping(mapping: BaileysEventMap['lid-mapping.update'], ctx: TranslateContext): Generator<DraftEvent> {
  const event = lidMappingEvent(ctx, mapping.lid, mapping.pn, 'LID_MAPPING_UPDATE', 'LIVE', ctx.now());
  if (event !== null) yield event;
}

/** `chats.phoneNumberShare` (older Baileys: `{ lid, jid }`) → `lid.mapping` with source PHONE_NUMBER_SHARE. */
export function* translatePhoneNumberShare(share: unknown, ctx: TranslateContext): Generator<DraftEvent> {
  const shares = Array.isArray(share) ? share : [share];
  for (const item of shares) {
    if (typeof item !== 'object' || item === null) continue;
    const { lid, jid, pn } = item as { lid?: unknown; jid?: unknown; pn?: unknown };
    const lidJid = str(lid);
    const pnJid = str(pn) ?? str(jid);
    if (lidJid === null || pnJid === null) continue;
    const event = lidMappingEvent(ctx, lidJid, pnJid, 'PHONE_NUMBER_SHARE', 'LIVE', ctx.now());
    if (event !== null) yield event;
  }
}
