import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { patchKafkaEncoder } from './encoderPatch.js';

const require = createRequire(import.meta.url);

interface ProduceMessage {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: Record<string, string>;
  timestamp: number;
}

type EncodeRequest = (request: { correlationId: number; clientId: string; request: { encode: () => Promise<{ buffer: Buffer }> } & Record<string, unknown> }) => Promise<{ buffer: Buffer }>;
type ProduceRequest = (options: Record<string, unknown>) => { encode: () => Promise<{ buffer: Buffer }> } & Record<string, unknown>;

// What kafkajs' producer builds for a produce: the framed request, its topic data and record batches.
const encodeRequest = require('kafkajs/src/protocol/request') as EncodeRequest;
const produceV7 = require('kafkajs/src/protocol/requests/produce/v7/request') as ProduceRequest;
const Long = require('kafkajs/src/utils/long') as { fromValue(value: number): unknown };

/** The bytes of one transactional produce request of these partitions' messages, as kafkajs sends it. */
async function produceBytes(partitions: readonly ProduceMessage[][]): Promise<Buffer> {
  const request = produceV7({
    acks: -1,
    timeout: 30_000,
    transactionalId: 'wa.commands.v1.connector.p3',
    producerId: Long.fromValue(4_000_123),
    producerEpoch: 7,
    compression: 0,
    topicData: [
      {
        topic: 'wa.conversation.v1',
        partitions: partitions.map((messages, partition) => ({ partition, firstSequence: 41 * partition, messages })),
      },
    ],
  });
  const framed = await encodeRequest({ correlationId: 12_345, clientId: 'wa-backbone-connector', request });
  return Buffer.from(framed.buffer);
}

const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const bytes = fc.uint8Array({ maxLength: 3_000 }).map((array) => Buffer.from(array));
const message: fc.Arbitrary<ProduceMessage> = fc.record({
  key: fc.option(fc.oneof(text, bytes), { nil: null }),
  value: fc.option(fc.oneof(bytes, text, fc.uint8Array({ minLength: 500, maxLength: 70_000 }).map((array) => Buffer.from(array))), { nil: null }),
  headers: fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), text, { maxKeys: 9 }),
  timestamp: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
});

describe('patchKafkaEncoder', () => {
  after(() => patchKafkaEncoder(true));

  it('changes no byte of the produce requests kafkajs writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(message, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 4 }), async (partitions) => {
        patchKafkaEncoder(false);
        const plain = await produceBytes(partitions);
        patchKafkaEncoder(true);
        const patched = await produceBytes(partitions);
        assert.ok(patched.equals(plain), 'the patched encoder wrote other bytes');
      }),
      { numRuns: 150 },
    );
  });

  it('writes the varints of the whole 32-bit range as the original does', async () => {
    const Encoder = require('kafkajs/src/protocol/encoder') as new () => { writeVarInt(value: number): unknown; writeUVarInt(value: number): unknown; buffer: Buffer };
    const values = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8_191, 8_192, 2 ** 20, -(2 ** 20), 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1];
    const encode = (on: boolean): Buffer => {
      patchKafkaEncoder(on);
      const encoder = new Encoder();
      for (const value of values) encoder.writeVarInt(value);
      for (const value of values.filter((v) => v >= 0)) encoder.writeUVarInt(value);
      return Buffer.from(encoder.buffer);
    };
    assert.deepEqual(encode(true), encode(false));
  });

  it('starts an encoder without the 512 zero-filled bytes', () => {
    const Encoder = require('kafkajs/src/protocol/encoder') as new () => { buf: Buffer };
    patchKafkaEncoder(false);
    assert.equal(new Encoder().buf.length, 512);
    patchKafkaEncoder(true);
    assert.equal(new Encoder().buf.length, 0);
  });
});
