import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AvroCodec } from '../../../../schemas/index.js';
import type { Avro } from '../../../../projections/events/index.js';
import { testLogger } from '../../../../test/helpers/broker.js';
import type { ConsumedRecord } from '../consumerRunner.js';
import type { KafkaProducer, OutgoingRecord } from '../producer.js';
import type { TopicSpec } from '../topics.js';
import { DEAD_LETTER_SCHEMA } from './deadLetterRecord.js';
import { DeadLetterWriter, deadLetterTopic } from './DeadLetterWriter.js';

const codec = AvroCodec.load();

/** A producer that keeps what it is sent, or refuses it while `refusing` is set. */
class KeepingProducer {
  readonly sent: OutgoingRecord[][] = [];
  refusing = false;
  async send(_topic: TopicSpec, records: readonly OutgoingRecord[]): Promise<void> {
    await Promise.resolve();
    if (this.refusing) throw new Error('broker away');
    this.sent.push([...records]);
  }
}

function writerWith(producer: KeepingProducer): DeadLetterWriter {
  return new DeadLetterWriter({ producer: producer as unknown as KafkaProducer, topic: deadLetterTopic(4), codec, consumer: 'api', logger: testLogger(), now: () => 7 });
}

function record(offset: number): ConsumedRecord {
  return { topic: 'wa.conversation.v1', partition: 1, offset: String(offset), key: 'acct-1', value: Buffer.from('garbage'), headers: {}, timestamp: 1 };
}

const offsetsOf = (records: readonly OutgoingRecord[]): number[] => records.map((r) => codec.decode<Avro.DeadLetter>(r.value!, DEAD_LETTER_SCHEMA).value.offset);

describe('DeadLetterWriter', () => {
  it('report(): writes each record\'s letter once, however many readers meet it, those met meanwhile in the next write', async () => {
    const producer = new KeepingProducer();
    const writer = writerWith(producer);
    writer.report(record(1), new Error('x'));
    writer.report(record(2), new Error('x'));
    writer.report(record(1), new Error('x'));
    await writer.settled();
    writer.report(record(2), new Error('x'));
    writer.report(record(3), new Error('x'));
    await writer.settled();
    assert.deepEqual(producer.sent.map(offsetsOf), [[1], [2], [3]]);
  });

  it('report(): a refused write is logged, not thrown, and the writer goes on', async () => {
    const producer = new KeepingProducer();
    const writer = writerWith(producer);
    producer.refusing = true;
    writer.report(record(1), new Error('x'));
    await writer.settled();
    producer.refusing = false;
    writer.report(record(2), new Error('x'));
    await writer.settled();
    assert.deepEqual(producer.sent.map(offsetsOf), [[2]]);
  });

  it('write(): resolves once the letters are sent, rejects when they are refused, and sends nothing for none', async () => {
    const producer = new KeepingProducer();
    const writer = writerWith(producer);
    await writer.write([]);
    await writer.write([writer.letter(record(4), new Error('x'))]);
    assert.deepEqual(producer.sent.map(offsetsOf), [[4]]);
    producer.refusing = true;
    await assert.rejects(writer.write([writer.letter(record(5), new Error('x'))]), /broker away/);
  });
});
