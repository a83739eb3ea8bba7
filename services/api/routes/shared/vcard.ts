import { phoneDigits } from '../../../shared/commands/index.js';
import type { SendableContent } from '../../../shared/commands/index.js';

/** vCard 3.0 text values escape backslash, comma, semicolon and newlines (RFC 2426 §4). */
function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/([,;])/g, '\\$1').replace(/\r?\n/g, '\\n');
}

/**
 * The vCard WhatsApp shows as a contact card: the `waid` parameter is what makes the number
 * tappable ("Message", "Add contact") in the app.
 */
export function vcard(fullName: string, phone: string): string {
  const name = escapeText(fullName.trim());
  const digits = phoneDigits(phone);
  const tel = digits === null ? `TEL;type=CELL:${escapeText(phone.trim())}` : `TEL;type=CELL;type=VOICE;waid=${digits}:+${digits}`;
  return ['BEGIN:VCARD', 'VERSION:3.0', `FN:${name}`, `N:${name};;;;`, tel, 'END:VCARD'].join('\n');
}

/** A contact card content branch (WHAPI `contact {fullName, phone}`). */
export function contactContent(contact: { fullName: string; phone: string }): SendableContent {
  return { 'wa.conversation.ContactContent': { displayName: contact.fullName.trim(), vcard: vcard(contact.fullName, contact.phone) } };
}

/** Several contact cards in one message (WHAPI `contacts [{fullName, phone}]`). */
export function contactsContent(contacts: readonly { fullName: string; phone: string }[]): SendableContent {
  const cards = contacts.map((contact) => ({ displayName: contact.fullName.trim(), vcard: vcard(contact.fullName, contact.phone) }));
  const displayName = cards.length === 1 ? cards[0]!.displayName : `${cards.length} contacts`;
  return { 'wa.conversation.ContactsArrayContent': { displayName, contacts: cards } };
}
