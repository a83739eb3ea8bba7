/** Phone numbers and JIDs as the simulated network understands them. */

export const USER_SERVER = 's.whatsapp.net';
export const GROUP_SERVER = 'g.us';

/** Digits of a phone given as `+91 98765-43210`, `919876543210` or `919876543210@s.whatsapp.net`; null when it is not one. */
export function phoneDigits(input: string): string | null {
  const user = input.includes('@') ? userOf(input) : input.replace(/[\s\-()]/g, '').replace(/^\+/, '');
  return /^\d{5,20}$/.test(user) ? user : null;
}

/** The user part of a JID, without the device suffix (`91987:3@s.whatsapp.net` → `91987`). */
export function userOf(jid: string): string {
  return (jid.split('@')[0] ?? '').split(':')[0] ?? '';
}

/** `<digits>@s.whatsapp.net`. */
export function phoneJid(phone: string): string {
  return `${phone}@${USER_SERVER}`;
}

/** The simulator's one rule about who exists: numbers starting with 000 are not on WhatsApp. */
export function isOnWhatsApp(phone: string): boolean {
  return !phone.startsWith('000');
}

/** True for a group JID. */
export function isGroupJid(jid: string): boolean {
  return jid.endsWith(`@${GROUP_SERVER}`);
}

/**
 * A group id given as `120363...@g.us`, or bare (`120363012345678901`, `15550001111-1600000000`),
 * as a JID; null otherwise. Bare digits count only when too long for a phone number (over 15).
 */
export function groupJidOf(input: string): string | null {
  if (input.endsWith(`@${GROUP_SERVER}`)) {
    const bare = input.slice(0, -GROUP_SERVER.length - 1);
    return /^\d{5,30}(-\d{5,20})?$/.test(bare) ? input : null;
  }
  return /^\d{16,30}$/.test(input) || /^\d{5,20}-\d{5,20}$/.test(input) ? `${input}@${GROUP_SERVER}` : null;
}

/** A phone-number user JID in normal form (device suffix dropped); null for anything else. */
export function userJidOf(input: string): string | null {
  if (input.includes('@') && !input.endsWith(`@${USER_SERVER}`)) return null;
  const phone = phoneDigits(input);
  return phone === null ? null : phoneJid(phone);
}
