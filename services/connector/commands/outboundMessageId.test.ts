import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateMessageIDV2 } from '@whiskeysockets/baileys';
import { outboundMessageId } from './outboundMessageId.js';

describe('outboundMessageId', () => {
  it('given the same commandId, then always the same id', () => {
    assert.equal(outboundMessageId('cmd-42'), outboundMessageId('cmd-42'));
  });

  it('looks like the ids Baileys generates: 3EB0 and uppercase hex, the same length as generateMessageIDV2', () => {
    const id = outboundMessageId('7f8c1c2e-0d6a-4f1e-9d55-2a3b4c5d6e7f');
    assert.match(id, /^3EB0[0-9A-F]{18}$/);
    assert.equal(id.length, generateMessageIDV2('15550000000@s.whatsapp.net').length);
  });

  it('given different commands or parts, then different ids', () => {
    const ids = new Set([outboundMessageId('a'), outboundMessageId('b'), outboundMessageId('a', '1@s.whatsapp.net'), outboundMessageId('a', '2@s.whatsapp.net')]);
    assert.equal(ids.size, 4);
    assert.equal(outboundMessageId('a', 'x'), outboundMessageId('a', 'x'));
  });

  it('is pinned: a change of the recipe would break de-duplication of commands retried across a deploy', () => {
    // 3EB0 + the first 18 hex digits of SHA-256("cmd-0001"), uppercase.
    assert.equal(outboundMessageId('cmd-0001'), '3EB032902C9071E21D08CE');
  });
});
