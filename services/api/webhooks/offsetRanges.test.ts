import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { offsetRanges, partitionOf, type PartitionBounds } from './offsetRanges.js';

const T = 'wa.conversation.v1';
const A = 'wa.account.v1';

function bounds(entries: Record<string, [number, number]>): Map<string, PartitionBounds> {
  return new Map(Object.entries(entries).map(([key, [low, high]]) => [key, { low: BigInt(low), high: BigInt(high) }]));
}

describe('offset ranges of logged events', () => {
  it('one range per partition, from the lowest to just past the highest offset', () => {
    const { ranges, wanted, missing } = offsetRanges(
      [
        { topic: T, partition: 0, offset: 17n },
        { topic: T, partition: 0, offset: 3n },
        { topic: T, partition: 2, offset: 9n },
        { topic: A, partition: 0, offset: 0n },
        { topic: T, partition: 0, offset: 10n },
      ],
      bounds({ [partitionOf(T, 0)]: [0, 100], [partitionOf(T, 2)]: [0, 10], [partitionOf(A, 0)]: [0, 1] }),
    );
    assert.deepEqual(ranges, [
      { topic: T, partition: 0, from: 3n, to: 18n },
      { topic: T, partition: 2, from: 9n, to: 10n },
      { topic: A, partition: 0, from: 0n, to: 1n },
    ]);
    assert.deepEqual([...wanted].sort(), [`${T}:0:10`, `${T}:0:17`, `${T}:0:3`, `${T}:2:9`, `${A}:0:0`].sort());
    assert.deepEqual(missing, []);
  });

  it('offsets past retention, not yet written, or of an unknown partition are missing, not read', () => {
    const { ranges, missing } = offsetRanges(
      [
        { topic: T, partition: 0, offset: 4n },
        { topic: T, partition: 0, offset: 5n },
        { topic: T, partition: 0, offset: 12n },
        { topic: T, partition: 7, offset: 1n },
      ],
      bounds({ [partitionOf(T, 0)]: [5, 12] }),
    );
    assert.deepEqual(ranges, [{ topic: T, partition: 0, from: 5n, to: 6n }]);
    assert.deepEqual(
      missing.map((m) => `${m.partition}:${m.offset}`),
      ['0:4', '0:12', '7:1'],
    );
  });

  it('the same event twice is read once', () => {
    const { ranges, wanted } = offsetRanges(
      [
        { topic: T, partition: 1, offset: 8n },
        { topic: T, partition: 1, offset: 8n },
      ],
      bounds({ [partitionOf(T, 1)]: [0, 9] }),
    );
    assert.deepEqual(ranges, [{ topic: T, partition: 1, from: 8n, to: 9n }]);
    assert.equal(wanted.size, 1);
  });
});
