import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKeyTable, type ApiKeyRecord } from './ApiKeyTable.js';
import { hashKey } from './keyMaterial.js';

function record(keyId: string, key: string, kind: 'admin' | 'account', accountId: string | null = null): ApiKeyRecord {
  return { v: 1, keyId, kind, accountId, label: null, sha256: hashKey(key).toString('hex'), createdAt: 1 };
}

describe('ApiKeyTable', () => {
  it('given account keys, then each authenticates as its account; unknown keys are null', () => {
    const table = new ApiKeyTable();
    table.apply('k1', record('k1', 'wab_one', 'account', 'acc-a'));
    table.apply('k2', record('k2', 'wab_two', 'account', 'acc-b'));
    assert.deepEqual(table.owner('wab_one', null), { kind: 'account', keyId: 'k1', accountId: 'acc-a' });
    assert.deepEqual(table.owner('wab_two', null), { kind: 'account', keyId: 'k2', accountId: 'acc-b' });
    assert.equal(table.owner('wab_three', null), null);
    assert.deepEqual(table.accountKeys('acc-a').map((r) => r.keyId), ['k1']);
  });

  it('given the same record applied twice, then the table is unchanged', () => {
    const table = new ApiKeyTable();
    const one = record('k1', 'wab_one', 'account', 'acc-a');
    table.apply('k1', one);
    table.apply('k1', one);
    assert.deepEqual(table.accountKeys(), [one]);
  });

  it('given a tombstone, then the key no longer authenticates', () => {
    const table = new ApiKeyTable();
    table.apply('k1', record('k1', 'wab_one', 'account', 'acc-a'));
    table.apply('k1', null);
    assert.equal(table.owner('wab_one', null), null);
    assert.deepEqual(table.accountKeys(), []);
  });

  it('given two generated admin keys (a start-up race), then the first in the log is the admin', () => {
    const table = new ApiKeyTable();
    table.apply('admin_1', record('admin_1', 'wab_first', 'admin'));
    table.apply('admin_2', record('admin_2', 'wab_second', 'admin'));
    assert.equal(table.admin()?.keyId, 'admin_1');
    assert.deepEqual(table.owner('wab_first', null), { kind: 'admin' });
    assert.equal(table.owner('wab_second', null), null);
    table.apply('admin_2', null);
    assert.equal(table.admin()?.keyId, 'admin_1');
  });

  it('given a configured admin key (API_KEY), then it replaces the generated one', () => {
    const table = new ApiKeyTable();
    table.apply('admin_1', record('admin_1', 'wab_generated', 'admin'));
    assert.deepEqual(table.owner('configured', hashKey('configured')), { kind: 'admin' });
    assert.equal(table.owner('wab_generated', hashKey('configured')), null);
  });
});
