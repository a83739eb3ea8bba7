import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { readPartitionsToEnd, TransactionalWriter, type ConsumedRecord, type OutgoingRecord, type TopicSpec } from '../../services/shared/kafka/index.js';
import { partitionForAccount } from '../../services/shared/kafka/index.js';
import { freshGroup, freshTopic, testKafka, testLogger, waitFor } from '../helpers/index.js';

function record(accountId: string, text: string): OutgoingRecord {
  return { accountId, value: Buffer.from(text), headers: {} };
}

describe('transactional writer and changelog restore (real broker)', () => {
  let kafka: Kafka;
  let topic: TopicSpec;

  /**
   * Reads one partition of the topic to its stable end until `enough` holds for what it read
   * (the last commits' markers land just after their answers), and returns those records.
   */
  async function readUntil(partition: number, enough: (records: ConsumedRecord[]) => boolean, what: string): Promise<ConsumedRecord[]> {
    let seen: ConsumedRecord[] = [];
    await waitFor(async () => {
      seen = [];
      await readPartitionsToEnd({ kafka, partitions: new Map([[topic.name, [partition]]]), onRecord: (r) => seen.push(r), logger: testLogger() });
      return enough(seen);
    }, what, { timeoutMs: 10_000 });
    return seen;
  }
  const valuesOf = (records: readonly ConsumedRecord[], key: string): string[] => records.filter((r) => r.key === key).map((r) => r.value!.toString());
  before(async () => {
    kafka = testKafka();
    topic = await freshTopic(kafka, 'tx', { partitions: 4 });
  });

  it('given queued writes, when they commit, then a restore reads every record of the chosen partitions up to the end', async () => {
    const writer = await TransactionalWriter.open({ kafka, transactionalId: freshGroup('txid'), consumerGroupId: freshGroup('g'), logger: testLogger() });
    const writes = Array.from({ length: 30 }, (_, i) => writer.write({ batches: [{ topic, records: [record(`acct-${i % 5}`, `v${i}`)] }] }));
    await Promise.all(writes);
    await writer.close();
    const wanted = partitionForAccount('acct-1', 4);
    const expected = Array.from({ length: 30 }, (_, i) => i).filter((i) => partitionForAccount(`acct-${i % 5}`, 4) === wanted).map((i) => `v${i}`);
    const seen = await readUntil(wanted, (records) => records.length >= expected.length, 'every committed record readable');
    assert.equal(seen.length, expected.length);
    assert.deepEqual(seen.map((r) => r.value?.toString()), expected);
    assert.ok(seen.every((r) => r.partition === wanted));
  });

  // The writer takes turns between its producers: the zombie's next transaction falls on either one.
  for (const before of [1, 2]) {
    it(`given a second writer with the same transactional id after ${before} write(s), then the first one is fenced and writes nothing more`, async () => {
      const id = freshGroup('fence');
      const key = `fenced-${before}`;
      const first = await TransactionalWriter.open({ kafka, transactionalId: id, consumerGroupId: freshGroup('g'), logger: testLogger() });
      for (let i = 0; i < before; i += 1) await first.write({ batches: [{ topic, records: [record(key, `before ${i}`)] }] });
      const second = await TransactionalWriter.open({ kafka, transactionalId: id, consumerGroupId: freshGroup('g'), logger: testLogger() });
      await assert.rejects(first.write({ batches: [{ topic, records: [record(key, 'zombie')] }] }), /KAFKA|fenced|epoch/i);
      await second.write({ batches: [{ topic, records: [record(key, 'after')] }] });
      await second.close();
      await first.close();
      const seen = valuesOf(await readUntil(partitionForAccount(key, 4), (records) => valuesOf(records, key).includes('after'), 'the last write readable'), key);
      assert.deepEqual(seen, [...Array.from({ length: before }, (_, i) => `before ${i}`), 'after']);
    });
  }

  it('given writes one after another (each transaction on the other producer), then they read back in order and the last position wins', async () => {
    const group = freshGroup('turns');
    const writer = await TransactionalWriter.open({ kafka, transactionalId: freshGroup('txid'), consumerGroupId: group, logger: testLogger() });
    for (let i = 1; i <= 12; i += 1) {
      await writer.write({ batches: [{ topic, records: [record('turns', `t${i}`)] }], positions: [{ topic: topic.name, partition: 1, offset: String(i * 10) }] });
    }
    await writer.close();
    const seen = valuesOf(await readUntil(partitionForAccount('turns', 4), (records) => valuesOf(records, 'turns').length >= 12, 'every write readable'), 'turns');
    assert.deepEqual(seen, Array.from({ length: 12 }, (_, i) => `t${i + 1}`));
    // The last commit's markers land after its answer: a position from an earlier transaction landing later must not replace it.
    const admin = kafka.admin();
    await admin.connect();
    const committed = async () => (await admin.fetchOffsets({ groupId: group, topics: [topic.name] }))[0]!.partitions.find((p) => p.partition === 1)!.offset;
    try {
      await waitFor(async () => (await committed()) === '120', 'the last position committed', { timeoutMs: 10_000 });
      assert.equal(await committed(), '120');
    } finally {
      await admin.disconnect();
    }
  });

  it('given positions in a write, then the group resumes after them', async () => {
    const group = freshGroup('pos');
    const writer = await TransactionalWriter.open({ kafka, transactionalId: freshGroup('txid'), consumerGroupId: group, logger: testLogger() });
    await writer.write({ batches: [], positions: [{ topic: topic.name, partition: 2, offset: '7' }, { topic: topic.name, partition: 2, offset: '5' }] });
    await writer.close();
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic.name] });
    await admin.disconnect();
    assert.equal(offsets[0]!.partitions.find((p) => p.partition === 2)!.offset, '7');
  });

  after(() => undefined);
});
