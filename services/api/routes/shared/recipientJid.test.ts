import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PERSON } from '../../../shared/commands/index.js';
import { WaError } from '../../../shared/index.js';
import { personJid, recipientJid, requireJid } from './recipientJid.js';

describe('recipientJid', () => {
  it('turns phone numbers written any usual way into user JIDs', () => {
    assert.equal(recipientJid('919876543210'), '919876543210@s.whatsapp.net');
    assert.equal(recipientJid('+7 999 123-45-67'), '79991234567@s.whatsapp.net');
    assert.equal(recipientJid('+1 (555) 010-0000'), '15550100000@s.whatsapp.net');
    assert.equal(recipientJid('  79991234567 '), '79991234567@s.whatsapp.net');
  });

  it('keeps JIDs of every chat kind, without device suffix, and reads the legacy @c.us', () => {
    assert.equal(recipientJid('919876543210@s.whatsapp.net'), '919876543210@s.whatsapp.net');
    assert.equal(recipientJid('919876543210:12@s.whatsapp.net'), '919876543210@s.whatsapp.net');
    assert.equal(recipientJid('919876543210@c.us'), '919876543210@s.whatsapp.net');
    assert.equal(recipientJid('123456789-1234567890@g.us'), '123456789-1234567890@g.us');
    assert.equal(recipientJid('120363025246125486@g.us'), '120363025246125486@g.us');
    assert.equal(recipientJid('120363025246125486@newsletter'), '120363025246125486@newsletter');
    assert.equal(recipientJid('123456789012345@lid'), '123456789012345@lid');
  });

  it('refuses what is neither a phone number nor a JID of the asked kinds', () => {
    for (const value of ['', 'hello', '12', '+', 'abc@s.whatsapp.net', 'x@g.us', 'status@broadcast', '1234@example.com', '12345678901234567890123']) {
      assert.equal(recipientJid(value), null, value);
    }
    assert.equal(recipientJid('123456789-1234567890@g.us', PERSON), null);
    assert.equal(recipientJid('120363025246125486@newsletter', ['group']), null);
    // A phone number is a user: it is no answer where only groups are accepted.
    assert.equal(recipientJid('79991234567', ['group']), null);
  });

  it('requireJid throws a 400 naming the field', () => {
    assert.equal(requireJid('79991234567', 'to'), '79991234567@s.whatsapp.net');
    assert.throws(
      () => requireJid('nobody', 'to'),
      (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'to',
    );
    assert.throws(() => personJid('123456789-1234567890@g.us', 'participants.0'), (error: unknown) => error instanceof WaError && error.field === 'participants.0');
  });
});
