import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { readPartitionsToEnd, TransactionalWriter, type ConsumedRecord, type OutgoingRecord, type TopicSpec } from '../../services/shared/kafka/index.js';
import { partitionForAccount } from '../../services/shared/kafka/index.js';
import { freshGroup, freshTopic, testKafka, testLogger } from '../helpers/index.js';

function record(accountId: string, text: string): OutgoingRecord {
  return { accountId, value: Buffer.from(text), headers: {} };
}

describe('transactional writer and changelog restore (real broker)', () => {
  let kafka: Kafka;
  let topic: TopicSpec;
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
    const seen: ConsumedRecord[] = [];
    const count = await readPartitionsToEnd({ kafka, partitions: new Map([[topic.name, [wanted]]]), onRecord: (r) => seen.push(r), logger: testLogger() });
    const expected = Array.from({ length: 30 }, (_, i) => i).filter((i) => partitionForAccount(`acct-${i % 5}`, 4) === wanted).map((i) => `v${i}`);
    assert.equal(count, expected.length);
    assert.deepEqual(seen.map((r) => r.value?.toString()), expected);
    assert.ok(seen.every((r) => r.partition === wanted));
  });

  it('given a second writer with the same transactional id, then the first one is fenced and writes nothing more', async () => {
    const id = freshGroup('fence');
    const first = await TransactionalWriter.open({ kafka, transactionalId: id, consumerGroupId: freshGroup('g'), logger: testLogger() });
    await first.write({ batches: [{ topic, records: [record('fenced', 'before')] }] });
    const second = await TransactionalWriter.open({ kafka, transactionalId: id, consumerGroupId: freshGroup('g'), logger: testLogger() });
    await assert.rejects(first.write({ batches: [{ topic, records: [record('fenced', 'zombie')] }] }), /KAFKA|fenced|epoch/i);
    await second.write({ batches: [{ topic, records: [record('fenced', 'after')] }] });
    await second.close();
    await first.close();
    const seen: string[] = [];
    await readPartitionsToEnd({ kafka, partitions: new Map([[topic.name, [partitionForAccount('fenced', 4)]]]), onRecord: (r) => { if (r.key === 'fenced') seen.push(r.value!.toString()); }, logger: testLogger() });
    assert.deepEqual(seen, ['before', 'after']);
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
