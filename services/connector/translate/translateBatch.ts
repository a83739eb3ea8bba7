import type { BaileysEventMap } from '@whiskeysockets/baileys';
import type { BaileysEventBatch } from '../drivers/Driver.js';
import type { DraftEvent } from '../events/index.js';
import { assertNever } from './assertNever.js';
import { translateCalls } from './calls.js';
import { chatLockEvent, translateChatsDelete, translateChatsUpdate, translateChatsUpsert, translateLidMapping, translatePhoneNumberShare } from './chats.js';
import { translateConnectionUpdate } from './connection.js';
import { translateContacts } from './contacts.js';
import { joinRequestEvent, translateGroupParticipants, translateGroups } from './groups.js';
import { translateHistory } from './history.js';
import { blocklistEvent, labelAssociationEvent, labelEvent } from './labels.js';
import { translateMessagesDelete, translateMediaUpdates, translateMessagesReaction, translateMessagesUpdate, translateReceipts } from './messageUpdates.js';
import { translateMessage } from './messages.js';
import { newsletterParticipantEvent, newsletterReactionEvent, newsletterSettingsEvent, newsletterViewEvent } from './newsletters.js';
import { translatePresence } from './presence.js';
import type { TranslateContext } from './TranslateContext.js';

type Family = keyof BaileysEventMap;

/**
 * Order in which the families of one batch are translated. Mappings and contacts come first so
 * the messages of the same batch get normalised chat ids; messages before the updates that refer
 * to them; stub messages before Baileys' own participant events derived from them. Being a Record
 * over every family, it stops compiling when Baileys adds one.
 */
const RANK: Readonly<Record<Family, number>> = {
  'connection.update': 0,
  'creds.update': 1,
  'lid-mapping.update': 2,
  'contacts.upsert': 3,
  'contacts.update': 4,
  'groups.upsert': 5,
  'groups.update': 6,
  'messaging-history.set': 7,
  'messaging-history.status': 8,
  'chats.upsert': 9,
  'chats.update': 10,
  'chats.lock': 11,
  'chats.delete': 12,
  'messages.upsert': 13,
  'messages.update': 14,
  'messages.reaction': 15,
  'message-receipt.update': 16,
  'messages.media-update': 17,
  'messages.delete': 18,
  'group-participants.update': 19,
  'group.join-request': 20,
  'group.member-tag.update': 21,
  'labels.edit': 22,
  'labels.association': 23,
  'blocklist.set': 24,
  'blocklist.update': 25,
  call: 26,
  'presence.update': 27,
  'newsletter.reaction': 28,
  'newsletter.view': 29,
  'newsletter-participants.update': 30,
  'newsletter-settings.update': 31,
  'message-capping.update': 32,
  'settings.update': 33,
};

// Emitted by older Baileys versions and simulators; not in rc14's event map.
const PHONE_NUMBER_SHARE = 'chats.phoneNumberShare';

/**
 * Translates one coalesced Baileys batch into draft events, lazily: the caller pulls events and
 * writes them in chunks, so a history sync of tens of thousands of messages is never held whole.
 */
export function* translateBatch(batch: BaileysEventBatch, ctx: TranslateContext): Generator<DraftEvent> {
  const families = (Object.keys(batch) as Family[]).filter((family) => family in RANK && batch[family] !== undefined).sort((a, b) => RANK[a] - RANK[b]);
  for (const family of families) {
    yield* translateFamily(family, batch, ctx);
    if (family === 'lid-mapping.update') yield* phoneNumberShares(batch, ctx);
  }
  if (!families.includes('lid-mapping.update')) yield* phoneNumberShares(batch, ctx);
}

function* phoneNumberShares(batch: BaileysEventBatch, ctx: TranslateContext): Generator<DraftEvent> {
  const share = (batch as Record<string, unknown>)[PHONE_NUMBER_SHARE];
  if (share !== undefined) yield* translatePhoneNumberShare(share, ctx);
}

function* translateFamily(family: Family, batch: BaileysEventBatch, ctx: TranslateContext): Generator<DraftEvent> {
  switch (family) {
    case 'connection.update':
      return yield* translateConnectionUpdate(batch[family] ?? {}, ctx);
    case 'lid-mapping.update': {
      const mapping = batch[family];
      if (mapping) yield* translateLidMapping(mapping, ctx);
      return;
    }
    case 'contacts.upsert':
      return yield* translateContacts(batch[family] ?? [], 'upserted', ctx, 'LIVE');
    case 'contacts.update':
      return yield* translateContacts(batch[family] ?? [], 'updated', ctx, 'LIVE');
    case 'groups.upsert':
      return yield* translateGroups(batch[family] ?? [], 'upserted', ctx);
    case 'groups.update':
      return yield* translateGroups(batch[family] ?? [], 'updated', ctx);
    case 'messaging-history.set': {
      const set = batch[family];
      if (set) yield* translateHistory(set, ctx);
      return;
    }
    case 'chats.upsert':
      return yield* translateChatsUpsert(batch[family] ?? [], ctx, 'LIVE');
    case 'chats.update':
      return yield* translateChatsUpdate(batch[family] ?? [], ctx);
    case 'chats.lock': {
      const lock = batch[family];
      if (lock) yield chatLockEvent(lock, ctx);
      return;
    }
    case 'chats.delete':
      return yield* translateChatsDelete(batch[family] ?? [], ctx);
    case 'messages.upsert': {
      const upsert = batch[family];
      if (!upsert) return;
      const origin = { kind: 'upsert', upsertType: upsert.type, requestId: upsert.requestId ?? null } as const;
      for (const message of upsert.messages) yield* translateMessage(message, origin, ctx);
      return;
    }
    case 'messages.update':
      return yield* translateMessagesUpdate(batch[family] ?? [], ctx);
    case 'messages.reaction':
      return yield* translateMessagesReaction(batch[family] ?? [], ctx);
    case 'message-receipt.update':
      return yield* translateReceipts(batch[family] ?? [], ctx);
    case 'messages.media-update':
      return yield* translateMediaUpdates(batch[family] ?? [], ctx);
    case 'messages.delete': {
      const deletion = batch[family];
      if (deletion) yield* translateMessagesDelete(deletion, ctx);
      return;
    }
    case 'group-participants.update': {
      const change = batch[family];
      if (change) yield* translateGroupParticipants(change, ctx);
      return;
    }
    case 'group.join-request': {
      const request = batch[family];
      if (request) yield joinRequestEvent(request, ctx);
      return;
    }
    case 'labels.edit': {
      const label = batch[family];
      if (label) yield labelEvent(label, ctx);
      return;
    }
    case 'labels.association': {
      const association = batch[family];
      if (association) yield labelAssociationEvent(association, ctx);
      return;
    }
    case 'blocklist.set': {
      const set = batch[family];
      if (set) yield blocklistEvent(set.blocklist, 'SET', ctx);
      return;
    }
    case 'blocklist.update': {
      const update = batch[family];
      if (update) yield blocklistEvent(update.blocklist, update.type === 'add' ? 'ADD' : 'REMOVE', ctx);
      return;
    }
    case 'call':
      return yield* translateCalls(batch[family] ?? [], ctx);
    case 'presence.update': {
      const presence = batch[family];
      if (presence) yield* translatePresence(presence, ctx);
      return;
    }
    case 'newsletter.reaction': {
      const reaction = batch[family];
      if (reaction) yield newsletterReactionEvent(reaction, ctx);
      return;
    }
    case 'newsletter.view': {
      const view = batch[family];
      if (view) yield newsletterViewEvent(view, ctx);
      return;
    }
    case 'newsletter-participants.update': {
      const participant = batch[family];
      if (participant) yield newsletterParticipantEvent(participant, ctx);
      return;
    }
    case 'newsletter-settings.update': {
      const settings = batch[family];
      if (settings) yield newsletterSettingsEvent(settings, ctx);
      return;
    }
    // Credentials become SessionStateEntry records, not events; the rest has no event type.
    case 'creds.update':
    case 'messaging-history.status':
    case 'group.member-tag.update':
    case 'message-capping.update':
    case 'settings.update':
      return;
    default:
      return assertNever(family);
  }
}
