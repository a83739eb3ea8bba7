import type { BaileysEventMap } from '@whiskeysockets/baileys';
import type { DraftEvent } from '../events/index.js';
import { digestOf, draft } from './draft.js';
import { normaliseJid } from './jids.js';
import type { TranslateContext } from './TranslateContext.js';
import { str, toInt } from './values.js';

const LABEL_BRANCH = 'wa.account.Label';

/**
 * `labels.edit` → `label.upserted` (natural key: labelId, occurredAt, digest(data)) or
 * `label.deleted` (labelId, occurredAt). Baileys learns labels from app-state sync only.
 */
export function labelEvent(label: BaileysEventMap['labels.edit'], ctx: TranslateContext): DraftEvent {
  const data = {
    labelId: String(label.id),
    name: label.name ?? '',
    color: toInt(label.color) ?? 0,
    predefinedId: label.predefinedId === undefined || label.predefinedId === null ? null : String(label.predefinedId),
    deleted: label.deleted === true,
  };
  const occurredAt = ctx.now();
  const deleted = data.deleted;
  return draft(ctx, {
    type: deleted ? 'label.deleted' : 'label.upserted',
    branch: LABEL_BRANCH,
    data,
    chatJid: null,
    occurredAt,
    source: 'APP_STATE_SYNC',
    key: deleted ? [data.labelId, occurredAt] : [data.labelId, occurredAt, digestOf(ctx, LABEL_BRANCH, data)],
  });
}

/** `labels.association` → `label.association` (natural key: labelId, targetType, chatJid, messageId, action, occurredAt). */
export function labelAssociationEvent(event: BaileysEventMap['labels.association'], ctx: TranslateContext): DraftEvent {
  const association = event.association;
  const chatJid = normaliseJid(association.chatId, ctx.lids);
  const messageId = 'messageId' in association ? str(association.messageId) : null;
  const targetType = association.type === 'label_message' ? 'MESSAGE' : 'CHAT';
  const action = event.type === 'add' ? 'ADD' : 'REMOVE';
  const occurredAt = ctx.now();
  return draft(ctx, {
    type: 'label.association',
    branch: 'wa.account.LabelAssociation',
    data: { labelId: association.labelId, targetType, chatJid, messageId, action },
    chatJid,
    occurredAt,
    source: 'APP_STATE_SYNC',
    key: [association.labelId, targetType, chatJid, messageId, action, occurredAt],
  });
}

/** `blocklist.set` / `blocklist.update` → `blocklist.changed` (natural key: action, the sorted JIDs as separate parts, occurredAt). */
export function blocklistEvent(jids: readonly string[], action: 'SET' | 'ADD' | 'REMOVE', ctx: TranslateContext): DraftEvent {
  const sorted = [...new Set(jids.filter((jid) => jid.length > 0).map((jid) => normaliseJid(jid, ctx.lids)))].sort();
  const occurredAt = ctx.now();
  return draft(ctx, {
    type: 'blocklist.changed',
    branch: 'wa.account.BlocklistChanged',
    data: { action, jids: sorted },
    chatJid: null,
    occurredAt,
    source: 'LIVE',
    key: [action, ...sorted, occurredAt],
  });
}
