import type { ChatKind } from '../ReadModels.js';
import type { Avro } from '../../events/index.js';

/** The status chat where stories live. */
export const STATUS_JID = 'status@broadcast';

/** How "muted forever" is kept in `mutedUntil`: the last millisecond of year 9999. */
export const MUTED_FOREVER = 253_402_300_799_999;

/** The kind of chat a JID names. */
export function chatKindOfJid(jid: string): ChatKind {
  if (jid === STATUS_JID) return 'status';
  if (jid.endsWith('@g.us')) return 'group';
  if (jid.endsWith('@newsletter')) return 'newsletter';
  if (jid.endsWith('@broadcast')) return 'broadcast';
  return 'user';
}

/** The read model's chat kind for a `wa.conversation.ChatKind`, falling back on the JID. */
export function chatKindOf(kind: Avro.ChatKind | null, jid: string): ChatKind {
  switch (kind) {
    case 'USER':
    case 'BOT':
      return 'user';
    case 'GROUP':
    case 'COMMUNITY':
      return 'group';
    case 'BROADCAST':
      return 'broadcast';
    case 'STATUS':
      return 'status';
    case 'NEWSLETTER':
      return 'newsletter';
    case 'UNKNOWN':
    case null:
      return chatKindOfJid(jid);
    default: {
      const unreachable: never = kind;
      return chatKindOfJid(String(unreachable));
    }
  }
}

/** Digits of a phone-number JID or of a phone number as written; null for anything else. */
export function phoneOf(value: string | null): string | null {
  if (value === null) return null;
  if (value.endsWith('@s.whatsapp.net')) return value.split('@')[0]!.split(':')[0]! || null;
  if (value.includes('@')) return null;
  const digits = value.replace(/\D/g, '');
  return digits === '' ? null : digits;
}
