import { createHash } from 'node:crypto';
import { proto, type BaileysEventMap } from '@whiskeysockets/baileys';
import type { DraftEvent } from '../events/index.js';
import { translateChatsUpsert } from './chats.js';
import { translateContacts } from './contacts.js';
import { draft } from './draft.js';
import { lidMappingEvent } from './jids.js';
import { keyParts } from './messageKey.js';
import { translateMessage } from './messages.js';
import type { TranslateContext } from './TranslateContext.js';
import { enumName, secondsToMillis, toInt } from './values.js';

/**
 * `messaging-history.set` → `lid.mapping` (first, so every chat id below is normalised with
 * them), `chat.upserted`, `contact.upserted`, `message.history` (and the reactions, receipts and
 * poll votes inside history messages), then one `history.sync`, all with source HISTORY_SYNC.
 * Lazy: messages are read one at a time as the caller pulls events, so a chunk of tens of
 * thousands of messages is never translated whole in memory.
 */
export function* translateHistory(set: BaileysEventMap['messaging-history.set'], ctx: TranslateContext): Generator<DraftEvent> {
  for (const mapping of set.lidPnMappings ?? []) {
    const event = lidMappingEvent(ctx, mapping.lid, mapping.pn, 'LID_MAPPING_UPDATE', 'HISTORY_SYNC', ctx.now());
    if (event !== null) yield event;
  }
  yield* translateChatsUpsert(set.chats, ctx, 'HISTORY_SYNC');
  yield* translateContacts(set.contacts, 'upserted', ctx, 'HISTORY_SYNC');

  const keysDigest = createHash('sha256');
  let oldestMessageAt: number | null = null;
  const messages = set.messages;
  const count = messages.length;
  for (let index = 0; index < count; index++) {
    const message = messages[index];
    if (message === undefined || message === null) continue;
    yield* translateMessage(message, { kind: 'history' }, ctx);
    if (message.key?.id) keysDigest.update(`${keyParts(message.key, ctx).join('\u001f')}\u001e`, 'utf8');
    const at = secondsToMillis(message.messageTimestamp);
    if (at !== null && (oldestMessageAt === null || at < oldestMessageAt)) oldestMessageAt = at;
  }

  const syncType = enumName(proto.HistorySync.HistorySyncType, set.syncType) ?? 'UNKNOWN';
  const chunkOrder = toInt(set.chunkOrder);
  const progress = toInt(set.progress);
  yield draft(ctx, {
    type: 'history.sync',
    branch: 'wa.conversation.HistorySyncProgress',
    data: {
      syncType: KNOWN_SYNC_TYPES.has(syncType) ? syncType : 'UNKNOWN',
      chunkOrder,
      progress,
      isLatest: typeof set.isLatest === 'boolean' ? set.isLatest : null,
      messageCount: count,
      chatCount: set.chats.length,
      contactCount: set.contacts.length,
      oldestMessageAt,
      peerDataRequestSessionId: set.peerDataRequestSessionId ?? null,
    },
    chatJid: null,
    occurredAt: ctx.now(),
    source: 'HISTORY_SYNC',
    key: [syncType, chunkOrder, progress, keysDigest.digest('hex')],
  });
}

const KNOWN_SYNC_TYPES: ReadonlySet<string> = new Set([
  'INITIAL_BOOTSTRAP',
  'INITIAL_STATUS_V3',
  'FULL',
  'RECENT',
  'PUSH_NAME',
  'NON_BLOCKING_DATA',
  'ON_DEMAND',
  'NO_HISTORY',
  'MESSAGE_ACCESS_STATUS',
]);
