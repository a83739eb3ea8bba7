import type { WAMessageKey } from '@whiskeysockets/baileys';
import type { AvroValue, DraftEvent, EventSource } from '../events/index.js';
import { messageKeyParts } from '../events/index.js';
import { bareJid, isBroadcast, isStatus, learnMapping, normaliseJid } from './jids.js';
import type { TranslateContext } from './TranslateContext.js';
import { str } from './values.js';

/** A Baileys key, possibly a bare `proto.IMessageKey` without the Baileys 7 extras. */
export type AnyMessageKey = WAMessageKey | { remoteJid?: string | null; id?: string | null; fromMe?: boolean | null; participant?: string | null };

interface KeyExtras {
  remoteJidAlt?: string | null;
  participantAlt?: string | null;
  addressingMode?: string | null;
  server_id?: string | null;
}

const extras = (key: AnyMessageKey): KeyExtras => key as KeyExtras;

/** `wa.common.MessageKey` of a Baileys key: JIDs without device suffix, alternates kept. */
export function messageKeyRecord(key: AnyMessageKey): AvroValue {
  const more = extras(key);
  const mode = more.addressingMode === 'lid' ? 'LID' : more.addressingMode === 'pn' ? 'PN' : 'UNKNOWN';
  return {
    remoteJid: bareJid(key.remoteJid ?? ''),
    id: key.id ?? '',
    fromMe: key.fromMe === true,
    participant: optionalBare(key.participant),
    remoteJidAlt: optionalBare(more.remoteJidAlt),
    participantAlt: optionalBare(more.participantAlt),
    addressingMode: mode,
    serverId: str(more.server_id),
  };
}

/**
 * The normalised chat a key belongs to, as Baileys' `getChatId`: a message someone sent through
 * a broadcast list shows in their own chat; everything else in `remoteJid`.
 */
export function chatOfKey(key: AnyMessageKey, ctx: TranslateContext): string {
  const remoteJid = key.remoteJid ?? '';
  if (isBroadcast(remoteJid) && !isStatus(remoteJid) && key.fromMe !== true && typeof key.participant === 'string') {
    return normaliseJid(key.participant, ctx.lids);
  }
  return normaliseJid(remoteJid, ctx.lids);
}

/** `key(m)` of the natural-key tables, with the normalised chat. */
export function keyParts(key: AnyMessageKey, ctx: TranslateContext): string[] {
  return messageKeyParts(chatOfKey(key, ctx), key.id ?? '', key.fromMe === true);
}

/** Learns the LID / PN pairs Baileys 7 puts on keys (`remoteJidAlt`, `participantAlt`). */
export function learnFromKey(key: AnyMessageKey, ctx: TranslateContext, source: EventSource, occurredAt: number): DraftEvent[] {
  const more = extras(key);
  const learnt: DraftEvent[] = [];
  for (const [jid, alt] of [
    [key.remoteJid, more.remoteJidAlt],
    [key.participant, more.participantAlt],
  ] as const) {
    const event = learnMapping(ctx, jid, alt, 'MESSAGE_KEY', source, occurredAt);
    if (event !== null) learnt.push(event);
  }
  return learnt;
}

function optionalBare(jid: string | null | undefined): string | null {
  return typeof jid === 'string' && jid.length > 0 ? bareJid(jid) : null;
}
