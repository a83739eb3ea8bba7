import type { BaileysEventMap, WAPresence } from '@whiskeysockets/baileys';
import type { DraftEvent } from '../events/index.js';
import { draft } from './draft.js';
import { normaliseJid, userForms } from './jids.js';
import type { TranslateContext } from './TranslateContext.js';
import { epochMillis } from './values.js';

const PRESENCE: Readonly<Record<WAPresence, string>> = {
  unavailable: 'UNAVAILABLE',
  available: 'AVAILABLE',
  composing: 'COMPOSING',
  recording: 'RECORDING',
  paused: 'PAUSED',
};

/** `presence.update` → one `presence.updated` per participant entry (natural key: chatJid, participantJid, presence, occurredAt). */
export function* translatePresence(update: BaileysEventMap['presence.update'], ctx: TranslateContext): Generator<DraftEvent> {
  const chatJid = normaliseJid(update.id, ctx.lids);
  for (const [participant, data] of Object.entries(update.presences)) {
    const participantJid = normaliseJid(participant, ctx.lids);
    const forms = userForms(participant, null, ctx.lids);
    const presence = PRESENCE[data.lastKnownPresence] ?? 'UNKNOWN';
    const occurredAt = ctx.now();
    yield draft(ctx, {
      type: 'presence.updated',
      branch: 'wa.presence.PresenceUpdated',
      data: {
        chatJid,
        participantJid,
        participantAlt: participantJid === forms.pn ? forms.lid : forms.pn,
        presence,
        lastSeen: epochMillis(data.lastSeen),
      },
      chatJid,
      occurredAt,
      source: 'LIVE',
      key: [chatJid, participantJid, presence, occurredAt],
    });
  }
}
