import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Partitioners } from 'kafkajs';
import { murmur2, partitionForKey, toPositive } from './murmur2.js';

// Vectors published in Apache Kafka's UtilsTest.testMurmur2 (the Java client's own hash).
const JAVA_VECTORS: ReadonlyArray<[string, number]> = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
  ['', 275646681],
];

describe('murmur2', () => {
  for (const [input, expected] of JAVA_VECTORS) {
    it(`hashes "${input}" like the Java client`, () => {
      assert.equal(murmur2(Buffer.from(input, 'utf8')), expected);
    });
  }

  it('toPositive clears the sign bit like Utils.toPositive', () => {
    assert.equal(toPositive(-1), 0x7fffffff);
    assert.equal(toPositive(-2147483648), 0);
    assert.equal(toPositive(42), 42);
  });

  it('picks the partition the Java default partitioner picks', () => {
    assert.equal(partitionForKey('foobar', 50), 16);
  });

  it('agrees with kafkajs JavaCompatiblePartitioner for many account ids', () => {
    const partitioner = Partitioners.JavaCompatiblePartitioner();
    const partitionMetadata = Array.from({ length: 12 }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
    }));
    for (let i = 0; i < 500; i++) {
      const accountId = `account-${i}-${'x'.repeat(i % 7)}`;
      const expected = partitioner({
        topic: 't',
        partitionMetadata,
        message: { key: Buffer.from(accountId), value: null },
      });
      assert.equal(partitionForKey(accountId, 12), expected, accountId);
    }
  });
});
