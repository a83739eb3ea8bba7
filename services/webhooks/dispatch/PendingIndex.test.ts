import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PendingIndex } from './PendingIndex.js';

const entry = (deliveryId: string, order: number, tier = 0, notBefore = 0) => ({ deliveryId, order, tier, notBefore });

describe('PendingIndex', () => {
  it('makes the earliest event of a key its head, whatever the order of arrival', () => {
    const index = new PendingIndex();
    index.put('k', entry('d5', 5));
    index.put('k', entry('d2', 2));
    index.put('k', entry('d9', 9));
    index.put('other', entry('o1', 1));
    assert.equal(index.head('k')?.deliveryId, 'd2');
    index.remove('d2');
    assert.equal(index.head('k')?.deliveryId, 'd5');
    index.remove('d5');
    index.remove('d9');
    assert.equal(index.head('k'), undefined);
    assert.equal(index.head('other')?.deliveryId, 'o1');
    assert.equal(index.size, 1);
  });

  it('keeps one entry per delivery: putting it again moves it', () => {
    const index = new PendingIndex();
    index.put('k', entry('d1', 1, 0, 100));
    index.put('k', entry('d1', 1, 3, 900));
    assert.equal(index.size, 1);
    assert.deepEqual(index.head('k'), entry('d1', 1, 3, 900));
    assert.ok(index.has('d1'));
    index.remove('d1');
    assert.ok(!index.has('d1'));
    index.remove('never-there');
    assert.equal(index.size, 0);
  });

  it('always answers the smallest pending order of a key (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 60 }), (operations) => {
        const index = new PendingIndex();
        const model = new Map<string, number>();
        operations.forEach(([order, add], i) => {
          if (add || model.size === 0) {
            index.put('k', entry(`d${i}`, order));
            model.set(`d${i}`, order);
          } else {
            const victim = [...model.keys()][order % model.size]!;
            index.remove(victim);
            model.delete(victim);
          }
          const expected = [...model].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))[0];
          assert.equal(index.head('k')?.deliveryId, expected?.[0]);
          assert.equal(index.size, model.size);
        });
      }),
    );
  });
});
