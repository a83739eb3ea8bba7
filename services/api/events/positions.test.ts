import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaError } from '../../shared/index.js';
import { formatPositions, parsePositions, partitionKey, splitPartitionKey } from './positions.js';

describe('position lists (Last-Event-ID)', () => {
  it('round-trips topic:partition:offset lists, topics with dots and dashes included', () => {
    const text = 'wa.conversation.v1:3:42,wa.account.v1:0:-1,test.presence.lx2-ab12:11:9007199254740993';
    const positions = parsePositions(text);
    assert.equal(positions.get('wa.conversation.v1:3'), 42n);
    assert.equal(positions.get('wa.account.v1:0'), -1n);
    assert.equal(positions.get('test.presence.lx2-ab12:11'), 9007199254740993n, 'offsets beyond 2^53 stay exact');
    assert.equal(formatPositions(positions), text);
  });

  it('keeps the furthest offset when a partition is named twice, and ignores blanks', () => {
    assert.deepEqual([...parsePositions(' t:1:5 , ,t:1:9,t:1:7 ')], [['t:1', 9n]]);
    assert.equal(parsePositions('').size, 0);
  });

  it('refuses anything else with a 400 naming the header', () => {
    for (const bad of ['abc', 't:1', 't:x:1', 't:1:-2', 't:1:1.5', 'a b:1:2', 't:1:2;t:2:3']) {
      assert.throws(
        () => parsePositions(bad),
        (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'Last-Event-ID',
        bad,
      );
    }
  });

  it('splits partition keys back into topic and partition', () => {
    assert.deepEqual(splitPartitionKey(partitionKey('wa.presence.v1', 7)), { topic: 'wa.presence.v1', partition: 7 });
  });
});
