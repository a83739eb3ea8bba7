import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AvroCodec, CodecError } from '../../../../schemas/index.js';
import type { Avro } from '../../../../projections/events/index.js';
import { badValues } from '../../../../test/helpers/badRecords.js';
import { sendTextCommand, textReceivedEvent } from '../../../../test/helpers/fixtures.js';
import { metrics } from '../../ops/index.js';
import { WaError } from '../../WaError.js';
import type { ConsumedRecord } from '../consumerRunner.js';
import { HEADER, TOPIC } from '../topics.js';
import { DEAD_LETTER_SCHEMA, DEAD_LETTER_TYPE, deadLetterReason, deadLetterRecord } from './deadLetterRecord.js';
import { deadLetterTopic } from './DeadLetterWriter.js';

const codec = AvroCodec.load();
const EVENT = 'wa.conversation.ConversationEvent';
const COMMAND = 'wa.commands.Command';
const event = codec.encode(EVENT, textReceivedEvent('acct-1', 1));
const command = codec.encode(COMMAND, sendTextCommand('acct-1', 1));

/** What the codec throws for these bytes read as that schema. */
function failure(bytes: Buffer, reader: string): unknown {
  try {
    codec.decode(bytes, reader);
  } catch (error) {
    return error;
  }
  throw new Error('decoded');
}

function consumed(value: Buffer | null, key: string | null = 'acct-1'): ConsumedRecord {
  return { topic: 'wa.conversation.v1', partition: 7, offset: '1234', key, value, headers: { [HEADER.type]: 'message.received', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }, timestamp: 1 };
}

describe('deadLetterReason: one mapping from a failure to the reason a letter gives', () => {
  it('names each way a record fails to decode, whatever the schema', () => {
    for (const [good, other, reader] of [[event, command, EVENT], [command, event, COMMAND]] as const) {
      for (const bad of badValues(good, other)) {
        assert.equal(deadLetterReason(failure(bad.value, reader)), bad.reason, `${bad.name} read as ${reader}`);
      }
    }
  });

  it('calls a body that cannot be read CORRUPT and an empty value TRUNCATED', () => {
    // avsc reads most garbled bytes as a length running past the end (truncated); what it throws on is corrupt.
    assert.equal(deadLetterReason(new CodecError('CORRUPT_RECORD', 'record has a corrupt body: invalid union index')), 'CORRUPT');
    assert.equal(deadLetterReason(failure(Buffer.alloc(0), EVENT)), 'TRUNCATED');
  });

  it('calls any other bad data INVALID, and leaves the rest to the consumer\'s verdict', () => {
    assert.equal(deadLetterReason(new CodecError('INVALID_VALUE', 'no')), 'INVALID');
    assert.equal(deadLetterReason(new WaError('CODEC', 'sealed value failed authentication')), 'INVALID');
    assert.equal(deadLetterReason(new WaError('CODEC', 'x'), 'UNPROCESSABLE'), 'INVALID');
    assert.equal(deadLetterReason(new WaError('INVALID_ARGUMENT', 'a command needs a commandId')), 'INVALID');
    assert.equal(deadLetterReason(Object.assign(new Error('value too long for type character varying(64)'), { code: '22001' }), 'UNPROCESSABLE'), 'UNPROCESSABLE');
  });
});

describe('deadLetterRecord', () => {
  it('keeps the record byte for byte, on its partition with its key, under an id of record and consumer', () => {
    const value = Buffer.from(event.subarray(0, 40));
    const out = deadLetterRecord(codec, consumed(value), 'projector', failure(value, EVENT), 99);
    assert.equal(out.partition, 7);
    assert.equal(out.key, 'acct-1');
    assert.equal(out.timestamp, 99);
    assert.equal(out.headers[HEADER.type], DEAD_LETTER_TYPE);
    assert.equal(out.headers[HEADER.id], 'wa.conversation.v1/7/1234/projector');
    assert.equal(out.headers[HEADER.source], 'wa-backbone/projector');
    assert.equal(out.headers[HEADER.traceparent], consumed(null).headers['traceparent'], 'the letter continues its record\'s trace');
    const letter = codec.decode<Avro.DeadLetter>(out.value!, DEAD_LETTER_SCHEMA).value;
    assert.deepEqual({ ...letter, value: null, key: null, headers: [] }, {
      deadLetterId: 'wa.conversation.v1/7/1234/projector',
      consumer: 'projector',
      topic: 'wa.conversation.v1',
      partition: 7,
      offset: 1234,
      key: null,
      value: null,
      headers: [],
      reason: 'TRUNCATED',
      error: letter.error,
      at: 99,
    });
    assert.ok(letter.value?.equals(value));
    assert.equal(letter.key?.toString('utf8'), 'acct-1');
    assert.deepEqual(letter.headers.map((h) => [h.key, h.value?.toString('utf8')]), Object.entries(consumed(null).headers));
    assert.match(letter.error, /truncated/);
  });

  it('keeps a record without key or value, and cuts a long error short', () => {
    const out = deadLetterRecord(codec, consumed(null, null), 'api', new WaError('INVALID_ARGUMENT', 'x'.repeat(5_000)), 1, 'INVALID');
    assert.equal(out.key, null);
    assert.equal(out.partition, 7);
    const letter = codec.decode<Avro.DeadLetter>(out.value!, DEAD_LETTER_SCHEMA).value;
    assert.equal(letter.key, null);
    assert.equal(letter.value, null);
    assert.equal(letter.error.length, 300);
  });

  it('is the same letter however often the record is given up on', () => {
    const a = deadLetterRecord(codec, consumed(Buffer.from('x')), 'webhooks', new Error('a'), 1);
    const b = deadLetterRecord(codec, consumed(Buffer.from('x')), 'webhooks', new Error('a'), 2);
    assert.equal(a.headers[HEADER.id], b.headers[HEADER.id]);
    assert.notEqual(deadLetterRecord(codec, consumed(Buffer.from('x')), 'api', new Error('a'), 1).headers[HEADER.id], a.headers[HEADER.id]);
  });

  it('counts every letter in wa_records_failed_total by consumer, topic and reason', async () => {
    const count = async (consumer: string, reason: string): Promise<number> =>
      (await metrics.recordsFailed.get()).values.find((v) => v.labels.consumer === consumer && v.labels.topic === TOPIC.conversation && v.labels.reason === reason)?.value ?? 0;
    const before = await count('counted', 'TRUNCATED');
    deadLetterRecord(codec, consumed(Buffer.alloc(0)), 'counted', failure(Buffer.alloc(0), EVENT), 1);
    deadLetterRecord(codec, consumed(Buffer.alloc(0)), 'counted', failure(Buffer.alloc(0), EVENT), 2);
    assert.equal(await count('counted', 'TRUNCATED'), before + 2);
    assert.equal(await count('counted', 'CORRUPT'), 0);
  });
});

describe('deadLetterTopic', () => {
  it('is partitioned like the account topics, keeps letters 30 days and takes the original bytes', () => {
    const spec = deadLetterTopic(12);
    assert.equal(spec.name, TOPIC.deadLetters);
    assert.equal(spec.name, 'wa.dead-letters.v1');
    assert.equal(spec.partitions, 12);
    assert.equal(spec.key, 'accountId');
    assert.equal(spec.cleanup, 'delete');
    assert.equal(spec.retentionMs, 30 * 24 * 60 * 60 * 1000);
    assert.equal(spec.maxMessageBytes, 2 * 1_048_576);
    assert.equal(spec.valueSchema, DEAD_LETTER_SCHEMA);
  });
});
