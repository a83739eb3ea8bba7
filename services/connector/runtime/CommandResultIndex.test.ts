import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandResultIndex } from './CommandResultIndex.js';

const DAY = 86_400_000;

describe('CommandResultIndex', () => {
  it('answers a known command with its first result and offset', () => {
    const index = new CommandResultIndex({ retentionMs: 7 * DAY });
    index.remember('c1', '10', Buffer.from('first'), 0);
    index.remember('c1', '11', Buffer.from('second'), 1);
    assert.deepEqual(index.find('c1'), { offset: '10', value: Buffer.from('first') });
    assert.equal(index.find('c2'), null);
  });

  it('keeps only fingerprints beyond the cache, still knowing the command offset', () => {
    const index = new CommandResultIndex({ retentionMs: 7 * DAY, cacheSize: 2 });
    for (let i = 0; i < 5; i += 1) index.remember(`c${i}`, String(100 + i), Buffer.from(`r${i}`), i);
    assert.deepEqual(index.find('c0'), { offset: '100', value: null });
    assert.deepEqual(index.find('c4'), { offset: '104', value: Buffer.from('r4') });
    assert.equal(index.size, 5);
  });

  it('drops fingerprints older than the retention, a bucket at a time', () => {
    const index = new CommandResultIndex({ retentionMs: 7 * DAY, cacheSize: 0 });
    index.remember('old', '1', Buffer.from('x'), 0);
    index.remember('new', '2', Buffer.from('y'), 6 * DAY);
    index.expire(7 * DAY + 1);
    assert.deepEqual(index.find('old'), { offset: '1', value: null }, 'still within retention of its bucket');
    index.expire(8 * DAY + 1);
    assert.equal(index.find('old'), null);
    assert.deepEqual(index.find('new'), { offset: '2', value: null });
  });
});
