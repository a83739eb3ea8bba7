import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Kafka } from 'kafkajs';
import { AvroCodec, SchemaRegistry } from '../../schemas/index.js';
import {
  HEADER,
  KafkaProducer,
  TOPIC,
  bootstrapKafka,
  recordHeaders,
  topicCatalog,
} from '../../services/shared/kafka/index.js';
import { ConsumedCollector, freshTopic, sendTextCommand, testKafka, testLogger, textReceivedEvent } from '../helpers/index.js';

const EVENT = 'wa.conversation.ConversationEvent';
const COMMAND = 'wa.commands.Command';

describe('Avro records on the real broker', () => {
  let kafka: Kafka;
  let producer: KafkaProducer;
  const codec = AvroCodec.load();

  before(async () => {
    kafka = testKafka();
    producer = await KafkaProducer.connect(kafka, testLogger());
  });

  after(async () => {
    await producer.disconnect();
  });

  it('round-trips single-object encoded events and commands through Kafka', async () => {
    const topic = await freshTopic(kafka, 'records', { valueSchema: EVENT });
    const events = Array.from({ length: 30 }, (_, i) => textReceivedEvent(`acct-${i % 3}`, i));
    const commands = Array.from({ length: 10 }, (_, i) => sendTextCommand(`acct-${i % 3}`, i));
    const outgoing = [
      ...events.map((event) => ({ schema: EVENT, value: event, id: event['eventId'] as string, type: event['type'] as string })),
      ...commands.map((command) => ({ schema: COMMAND, value: command, id: command['commandId'] as string, type: command['type'] as string })),
    ];
    await producer.send(
      topic,
      outgoing.map((o) => ({
        accountId: o.value['accountId'] as string,
        value: codec.encode(o.schema, o.value),
        headers: recordHeaders({ id: o.id, type: o.type, source: 'test', time: Date.now() }),
      })),
    );

    const collector = await ConsumedCollector.start(kafka, [topic.name]);
    const received = await collector.waitForCount(outgoing.length);
    await collector.stop();

    for (const o of outgoing) {
      const record = received.find((r) => r.headers[HEADER.id] === o.id);
      assert.ok(record, `record ${o.id} consumed`);
      assert.deepEqual([...record.value!.subarray(0, 2)], [0xc3, 0x01], 'single-object marker');
      assert.equal(record.value!.subarray(2, 10).toString('hex'), codec.fingerprintOf(o.schema));
      const decoded = codec.decode<Record<string, unknown>>(record.value!);
      assert.equal(decoded.schemaName, o.schema);
      const text = o.schema === EVENT
        ? (decoded.value as any).data['wa.conversation.MessageRecorded'].message.content['wa.conversation.TextContent'].text
        : (decoded.value as any).payload['wa.commands.SendMessage'].content['wa.conversation.TextContent'].text;
      const expected = o.schema === EVENT
        ? (o.value as any).data['wa.conversation.MessageRecorded'].message.content['wa.conversation.TextContent'].text
        : (o.value as any).payload['wa.commands.SendMessage'].content['wa.conversation.TextContent'].text;
      assert.equal(text, expected);
      assert.equal(decoded.value['accountId'], o.value['accountId']);
      assert.equal(record.key, o.value['accountId']);
    }
  });

  it('publishes every writer schema so a consumer with no schema files can decode from the topics alone', async () => {
    const catalog = topicCatalog(12);
    const names = [...new Set(catalog.flatMap((spec) => (spec.valueSchema ? [spec.valueSchema] : [])))];
    await bootstrapKafka({ kafka, partitions: 12, logger: testLogger(), schemas: codec.writerSchemas(names), source: 'wa-backbone/test' });

    const collector = await ConsumedCollector.start(kafka, [TOPIC.schemas]);
    const published = await collector.waitForCount(names.length);
    await collector.stop();

    const blank = new AvroCodec(SchemaRegistry.fromSources([]));
    const encoded = codec.encode(EVENT, textReceivedEvent('acct-x', 7));
    assert.throws(() => blank.decode(encoded), /UNKNOWN_FINGERPRINT|unknown/i);
    for (const record of published) blank.register(record.value!.toString('utf8'), record.key!);
    for (const name of names) assert.ok(blank.knows(codec.fingerprintOf(name)), `${name} learned from ${TOPIC.schemas}`);
    const decoded = blank.decode<Record<string, unknown>>(encoded);
    assert.equal(decoded.schemaName, EVENT);
    assert.equal(decoded.value['eventId'], 'evt-acct-x-7');
  });
});
