import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventFilter, wantsAccount, wantsEvent, wantsRecord, wantsType } from './eventFilter.js';

describe('event filters', () => {
  it('passes everything when no account and no type is named', () => {
    const all = eventFilter(null, null);
    assert.ok(wantsAccount(all, 'a') && wantsAccount(all, null) && wantsType(all, 'presence.updated'));
    assert.ok(wantsType(eventFilter(null, []), 'x') && wantsType(eventFilter(null, ['message.received', '*']), 'x'));
  });

  it('keeps only the named accounts', () => {
    const filter = eventFilter(['a', 'b'], null);
    assert.ok(wantsAccount(filter, 'a') && wantsAccount(filter, 'b'));
    assert.ok(!wantsAccount(filter, 'c') && !wantsAccount(filter, null));
  });

  it('matches exact types and `family.*` prefixes, never a mere string prefix', () => {
    const filter = eventFilter(null, ['connection.state', 'message.*']);
    assert.ok(wantsType(filter, 'connection.state'));
    assert.ok(wantsType(filter, 'message.received') && wantsType(filter, 'message.status'));
    assert.ok(!wantsType(filter, 'connection.qr'));
    assert.ok(!wantsType(filter, 'messages.other'));
  });

  it('judges a record by key and ce_type, and a decoded event by its envelope', () => {
    const filter = eventFilter(['a'], ['message.received']);
    assert.ok(wantsRecord(filter, 'a', 'message.received'));
    assert.ok(wantsRecord(filter, 'a', undefined), 'no header: decided after decoding');
    assert.ok(!wantsRecord(filter, 'a', 'message.sent'));
    assert.ok(!wantsRecord(filter, 'b', 'message.received'));
    assert.ok(wantsEvent(filter, { accountId: 'a', type: 'message.received' }));
    assert.ok(!wantsEvent(filter, { accountId: 'a', type: 'message.sent' }));
  });
});
