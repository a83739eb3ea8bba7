import { CHAT, PERSON, bareJid, isJidOf, phoneDigits, type JidKind } from '../../../shared/commands/index.js';
import { WaError } from '../../../shared/index.js';

/**
 * A recipient as a client writes it, normalised to a JID: a phone number (`+1 555-010-0000`,
 * `15550100000`) becomes `<digits>@s.whatsapp.net`; a JID keeps its server (`@g.us`,
 * `@newsletter`, `@lid`), loses its device suffix, and the legacy `@c.us` becomes
 * `@s.whatsapp.net`. Null when it is neither, or a JID of another kind than `kinds`.
 */
export function recipientJid(value: string, kinds: readonly JidKind[] = CHAT): string | null {
  const trimmed = value.trim();
  if (trimmed.includes('@')) {
    const jid = bareJid(trimmed.replace(/@c\.us$/i, '@s.whatsapp.net').toLowerCase());
    return isJidOf(jid, kinds) ? jid : null;
  }
  const digits = phoneDigits(trimmed);
  if (digits === null || !kinds.includes('user')) return null;
  return `${digits}@s.whatsapp.net`;
}

/** `recipientJid` for a validated field; a value that slipped through is still a 400 naming the field. */
export function requireJid(value: string, field: string, kinds: readonly JidKind[] = CHAT): string {
  const jid = recipientJid(value, kinds);
  if (jid === null) throw new WaError('INVALID_ARGUMENT', `${field} is not a phone number or a WhatsApp ${kinds.join(' / ')} JID`, { field });
  return jid;
}

/** A person's JID (user or LID) from a phone number or JID. */
export function personJid(value: string, field: string): string {
  return requireJid(value, field, PERSON);
}
