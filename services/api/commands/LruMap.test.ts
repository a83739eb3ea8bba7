import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LruMap } from './LruMap.js';

describe('LruMap', () => {
  it('forgets the least recently used entry beyond its capacity', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    assert.equal(lru.get('a'), 1, 'reading a makes b the oldest');
    lru.set('c', 3);
    assert.equal(lru.has('b'), false);
    assert.equal(lru.get('a'), 1);
    assert.equal(lru.get('c'), 3);
    assert.equal(lru.size, 2);
    lru.set('c', 4);
    assert.equal(lru.size, 2, 'replacing does not grow it');
    assert.equal(lru.delete('a'), true);
    assert.equal(lru.get('a'), undefined);
  });
});
