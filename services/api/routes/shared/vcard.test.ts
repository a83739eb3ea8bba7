import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sendMessageCommand } from './sendMessageCommand.js';
import { roundTripCommand } from './testing/encodeCommand.js';
import { contactContent, contactsContent, vcard } from './vcard.js';

describe('vcard', () => {
  it('writes a vCard 3.0 whose number WhatsApp can message (waid)', () => {
    assert.equal(
      vcard('John Doe', '+7 999 123-45-67'),
      ['BEGIN:VCARD', 'VERSION:3.0', 'FN:John Doe', 'N:John Doe;;;;', 'TEL;type=CELL;type=VOICE;waid=79991234567:+79991234567', 'END:VCARD'].join('\n'),
    );
  });

  it('escapes the characters vCard text gives a meaning to', () => {
    assert.match(vcard('Doe, John; Jr.\nCEO', '+123456'), /^FN:Doe\\, John\\; Jr\.\\nCEO$/m);
  });

  it('keeps a number it cannot read as it was written, without waid', () => {
    assert.match(vcard('Desk', 'ext. 12'), /^TEL;type=CELL:ext\. 12$/m);
  });

  it('contact and contact-list contents encode in a SendMessage', () => {
    const one = sendMessageCommand('79991234567@s.whatsapp.net', contactContent({ fullName: 'John', phone: '+123456' }));
    roundTripCommand('message.send', one);
    const many = contactsContent([
      { fullName: 'John', phone: '+123456' },
      { fullName: 'Jane', phone: '+654321' },
    ]);
    roundTripCommand('message.send', sendMessageCommand('79991234567@s.whatsapp.net', many));
    assert.equal((many as { 'wa.conversation.ContactsArrayContent': { displayName: string } })['wa.conversation.ContactsArrayContent'].displayName, '2 contacts');
  });
});
