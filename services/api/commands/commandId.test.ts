import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandIdFor } from './commandId.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('commandIdFor', () => {
  it('is a fresh UUID without an Idempotency-Key', () => {
    const a = commandIdFor('admin', 'acct', null);
    assert.match(a, UUID);
    assert.notEqual(a, commandIdFor('admin', 'acct', null));
  });

  it('is the same id for the same key, client and account: a retry is the same command', () => {
    const id = commandIdFor('key-1', 'acct', 'order-42');
    assert.equal(id, commandIdFor('key-1', 'acct', 'order-42'));
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'an RFC 9562 version-8 UUID');
  });

  it('differs when the client, the account or the key differs, even where plain concatenation would collide', () => {
    const id = commandIdFor('key-1', 'acct', 'order-42');
    assert.notEqual(id, commandIdFor('key-2', 'acct', 'order-42'));
    assert.notEqual(id, commandIdFor('key-1', 'acct-2', 'order-42'));
    assert.notEqual(id, commandIdFor('key-1', 'acct', 'order-43'));
    assert.notEqual(commandIdFor('a', 'bc', 'k'), commandIdFor('ab', 'c', 'k'));
  });
});
