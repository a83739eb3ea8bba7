import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coPartitionedAssignment } from './coPartitionedAssigner.js';

const topics = new Map([
  ['events', [0, 1, 2, 3, 4]],
  ['retry.5s', [0, 1, 2, 3, 4]],
  ['retry.5m', [0, 1, 2, 3, 4]],
]);

describe('coPartitionedAssignment', () => {
  it('gives partition p of every topic to one member, spreading partitions over the members', () => {
    const assignment = coPartitionedAssignment(['m-b', 'm-a'], topics);
    assert.deepEqual(assignment.get('m-a'), { events: [0, 2, 4], 'retry.5s': [0, 2, 4], 'retry.5m': [0, 2, 4] });
    assert.deepEqual(assignment.get('m-b'), { events: [1, 3], 'retry.5s': [1, 3], 'retry.5m': [1, 3] });
  });

  it('hands everything to a lone member and nothing to members beyond the partition count', () => {
    assert.deepEqual(coPartitionedAssignment(['solo'], topics).get('solo'), { events: [0, 1, 2, 3, 4], 'retry.5s': [0, 1, 2, 3, 4], 'retry.5m': [0, 1, 2, 3, 4] });
    const crowded = coPartitionedAssignment(['a', 'b', 'c', 'd', 'e', 'f', 'g'], topics);
    assert.deepEqual(crowded.get('f'), {});
    const owners = new Map<number, string>();
    for (const [member, assigned] of crowded) {
      for (const partitions of Object.values(assigned)) for (const p of partitions) assert.equal(owners.get(p) ?? member, member, `partition ${p} has one owner`), owners.set(p, member);
    }
    assert.equal(owners.size, 5);
  });
});
