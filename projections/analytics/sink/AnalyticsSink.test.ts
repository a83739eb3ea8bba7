import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { AvroCodec } from '../../../schemas/index.js';
import { testLogger } from '../../../test/helpers/index.js';
import { TOPIC_SCHEMA } from '../../events/index.js';
import { EventFactory, T0, type Value } from '../../readModels/testing/index.js';
import type { PartitionBatch } from '../../runner/index.js';
import { openChdb, type AnalyticsClient } from '../client/AnalyticsClient.js';
import { qualified } from '../sql/analyticsSchema.js';
import { AnalyticsSink, type FlushReport } from './AnalyticsSink.js';

const TOPICS = { conversation: { name: 'conv' }, account: { name: 'acct' }, commandResults: { name: 'results' }, webhookAttempts: { name: 'attempts' } };

describe('AnalyticsSink on chDB (no broker: batches built by hand)', () => {
  const codec = AvroCodec.load();
  const f = new EventFactory('acc-1', codec);
  let client: AnalyticsClient;

  before(async () => {
    client = await openChdb(null);
  });
  after(async () => {
    await client.close();
  });

  const batch = (partition: number, firstOffset: number, values: Value[]): PartitionBatch => ({
    topic: 'conv',
    role: 'conversation',
    partition,
    records: values.map((value, i) => ({ topic: 'conv', partition, offset: String(firstOffset + i), key: 'acc-1', value: codec.encode(TOPIC_SCHEMA.conversation, value), headers: {}, timestamp: T0 })),
    lastOffset: String(firstOffset + values.length - 1),
  });
  const message = (id: string): Value => f.messageEnvelope({ id, type: 'message.received', timestamp: T0 + 1_000 });
  const open = async (flushIntervalMs: number): Promise<{ sink: AnalyticsSink; db: string; flushes: FlushReport[] }> => {
    const db = `wa_sink_${randomBytes(4).toString('hex')}`;
    const sink = await AnalyticsSink.open({ client, database: db, codec, logger: testLogger(), flushIntervalMs }, TOPICS);
    const flushes: FlushReport[] = [];
    sink.onFlush = (report) => flushes.push(report);
    return { sink, db, flushes };
  };
  const messages = async (db: string): Promise<number> => Number((await client.query<{ n: string }>(`SELECT count() AS n FROM ${qualified(db, 'messages')}`))[0]!.n);

  it('batches arriving within the interval go into one insert per table, and every promise waits for it', async () => {
    const { sink, db, flushes } = await open(300);
    await sink.apply(batch(0, 0, [message('first')]));
    assert.equal(flushes.length, 1, 'the first batch after idle flushes at once');
    const settled: number[] = [];
    const waiting = [0, 1, 2, 3].map((p) => sink.apply(batch(p, 10, [message(`p${p}-a`), message(`p${p}-b`)])).then(() => settled.push(p)));
    assert.deepEqual(settled, []);
    await Promise.all(waiting);
    assert.equal(flushes.length, 2);
    assert.deepEqual([flushes[1]!.batches, flushes[1]!.inserted.messages], [4, 8]);
    assert.equal(await messages(db), 9);
    await sink.close();
  });

  it('an event delivered twice, in one flush or in two, is one row; positions skip what is stored', async () => {
    const { sink, db, flushes } = await open(0);
    const again = message('dup');
    await sink.apply(batch(1, 0, [again, message('other'), again]));
    assert.deepEqual([flushes[0]!.inserted.messages, flushes[0]!.duplicates], [2, 1]);
    // The same event re-emitted later at another offset (a connector that crashed after writing).
    await sink.apply(batch(1, 3, [again]));
    assert.deepEqual([flushes[1]!.inserted.messages, flushes[1]!.duplicates], [0, 1]);
    assert.equal(await messages(db), 2);
    // A fresh sink on the same database reads the positions and skips a redelivered batch whole.
    const reopened = await AnalyticsSink.open({ client, database: db, codec, logger: testLogger(), flushIntervalMs: 0 }, TOPICS);
    assert.deepEqual(await reopened.readPositions([{ topic: 'conv', partitions: [1] }]), [{ topic: 'conv', partition: 1, nextOffset: 4 }]);
    const outcome = await reopened.apply(batch(1, 0, [again, message('other'), again, again]));
    assert.deepEqual(outcome, { applied: 0, alreadyApplied: 4, ignored: 0, setAside: 0 });
    await reopened.close();
    await sink.close();
  });

  it('a broken record is skipped and counted; a failed insert fails every waiting batch and repairs first when retried', async () => {
    const { sink, db } = await open(0);
    const broken: PartitionBatch = { ...batch(2, 0, [message('ok')]), records: [{ topic: 'conv', partition: 2, offset: '0', key: 'acc-1', value: Buffer.from([0xc3, 0x01, 1, 2]), headers: {}, timestamp: T0 }] };
    assert.equal((await sink.apply(broken)).setAside, 1);
    await client.command(`RENAME TABLE ${qualified(db, 'messages')} TO ${qualified(db, 'messages_away')}`);
    await assert.rejects(sink.apply(batch(2, 1, [message('later')])), (error: unknown) => error instanceof Error && /inserting into|analytics query failed/.test(error.message));
    await client.command(`RENAME TABLE ${qualified(db, 'messages_away')} TO ${qualified(db, 'messages')}`);
    assert.equal((await sink.apply(batch(2, 1, [message('later')]))).applied, 1);
    assert.equal(await messages(db), 1);
    await sink.close();
  });
});
