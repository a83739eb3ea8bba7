import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache } from './BoundedCache.js';

describe('BoundedCache', () => {
  it('drops the least recently used entry beyond its size', () => {
    const cache = new BoundedCache(2);
    cache.set('a', 1);
    cache.set('b', 2);
    assert.equal(cache.get('a'), 1); // a is now the most recent
    cache.set('c', 3);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('c'), 3);
    assert.equal(cache.size, 2);
  });

  it('keeps falsy values, deletes and flushes', () => {
    const cache = new BoundedCache();
    cache.set('zero', 0);
    cache.set('null', null);
    assert.equal(cache.get('zero'), 0);
    assert.equal(cache.get('null'), null);
    cache.del('zero');
    assert.equal(cache.get('zero'), undefined);
    cache.flushAll();
    assert.equal(cache.size, 0);
  });
});
