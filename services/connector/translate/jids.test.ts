import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bareJid } from './jids.js';

describe('bareJid', () => {
  it('drops the device and agent suffixes of the user part', () => {
    assert.equal(bareJid('15550001111:12@s.whatsapp.net'), '15550001111@s.whatsapp.net');
    assert.equal(bareJid('15550001111_1:3@s.whatsapp.net'), '15550001111@s.whatsapp.net');
    assert.equal(bareJid('123456789:4_2@lid'), '123456789@lid');
  });

  it('folds the c.us and hosted servers into s.whatsapp.net and lid', () => {
    assert.equal(bareJid('15550001111@c.us'), '15550001111@s.whatsapp.net');
    assert.equal(bareJid('15550001111:2@hosted'), '15550001111@s.whatsapp.net');
    assert.equal(bareJid('123456789@hosted.lid'), '123456789@lid');
  });

  it('gives a bare JID back as it is, and leaves suffix marks after the @ alone', () => {
    for (const jid of ['15550001111@s.whatsapp.net', '120363000000000042@g.us', 'status@broadcast', '123@newsletter', 'a@b:c_d']) assert.equal(bareJid(jid), jid);
    assert.equal(bareJid('no-server'), 'no-server');
  });
});
