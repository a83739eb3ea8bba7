import assert from 'node:assert/strict';
import type { Kafka } from 'kafkajs';
import type { AvroCodec } from '../../schemas/index.js';
import type { Avro } from '../../projections/events/index.js';
import { DEAD_LETTER_SCHEMA, DEAD_LETTER_TYPE, HEADER, readPartitionsToEnd, type DeadLetterReason, type KafkaProducer, type TopicSpec } from '../../services/shared/kafka/index.js';
import { testLogger } from './broker.js';
import { waitFor } from './waitFor.js';

/** A value no consumer can use, and the reason its dead letter must give. */
export interface BadValue {
  name: string;
  value: Buffer;
  reason: DeadLetterReason;
}

/** How long the dead-letter tests wait for a condition: CI runs them on 2 busy cores. */
export const PATIENCE = { timeoutMs: 90_000 } as const;

/** A writer fingerprint no schema has: valid header bytes of a schema nobody knows. */
const UNKNOWN_FINGERPRINT = Buffer.from('0123456789abcdef', 'hex');

/**
 * The broken values every consumer must survive, made from a good value of the topic's schema
 * and a good value of another schema: bad magic, a truncated header, a truncated body, trailing
 * garbage, an unknown writer fingerprint, and a value of the wrong schema.
 */
export function badValues(good: Buffer, otherSchema: Buffer): BadValue[] {
  return [
    { name: 'bad magic', value: Buffer.from('{"not":"avro"}'), reason: 'BAD_MAGIC' },
    { name: 'truncated header', value: Buffer.from(good.subarray(0, 6)), reason: 'TRUNCATED' },
    { name: 'truncated body', value: Buffer.from(good.subarray(0, good.length - 1)), reason: 'TRUNCATED' },
    { name: 'trailing garbage', value: Buffer.concat([good, Buffer.from([0, 0, 0])]), reason: 'CORRUPT' },
    { name: 'unknown fingerprint', value: Buffer.concat([good.subarray(0, 2), UNKNOWN_FINGERPRINT, good.subarray(10)]), reason: 'UNKNOWN_SCHEMA' },
    { name: 'wrong schema', value: Buffer.from(otherSchema), reason: 'INVALID' },
  ];
}

/** A bad record as produced: where it landed. */
export interface ProducedBad extends BadValue {
  key: string;
  partition: number;
  offset: string;
}

/**
 * Produces each bad value on the partition of `accountId` (keyed by it, or by `key` of the
 * value for a compacted topic) with an `x-test` header naming it; returns where each landed.
 */
export async function produceBad(
  producer: KafkaProducer,
  topic: TopicSpec,
  accountId: string,
  values: readonly BadValue[],
  options: { key?: (bad: BadValue, index: number) => string } = {},
): Promise<ProducedBad[]> {
  const produced: ProducedBad[] = [];
  for (const [index, bad] of values.entries()) {
    const key = options.key?.(bad, index) ?? accountId;
    const [meta] = await producer.send(topic, [{ accountId, key, value: bad.value, headers: { 'x-test': bad.name } }]);
    assert.ok(meta, `no metadata for ${bad.name}`);
    produced.push({ ...bad, key, partition: meta.partition, offset: String(meta.baseOffset ?? meta.offset) });
  }
  return produced;
}

/** Every dead letter on the topic (read to its end), decoded, with the headers it was written with. */
export async function readDeadLetters(kafka: Kafka, codec: AvroCodec, topic: TopicSpec): Promise<{ letter: Avro.DeadLetter; key: string | null; partition: number; headers: Record<string, string> }[]> {
  const letters: { letter: Avro.DeadLetter; key: string | null; partition: number; headers: Record<string, string> }[] = [];
  await readPartitionsToEnd({
    kafka,
    partitions: new Map([[topic.name, Array.from({ length: topic.partitions }, (_, p) => p)]]),
    onRecord: (record) => letters.push({ letter: codec.decode<Avro.DeadLetter>(record.value!, DEAD_LETTER_SCHEMA).value, key: record.key, partition: record.partition, headers: record.headers }),
    logger: testLogger(),
  });
  return letters;
}

/**
 * Asserts the dead-letter topic holds exactly one letter per bad record, from `consumer`, with
 * the right reason, the record's coordinates, key and headers, and its original bytes. Letters
 * are counted among those of the bad records' keys (a test's own accounts: other tests may leave
 * letters on the same topics). Waits for them first: a consumer may act on a later record before
 * the letters it writes with it commit.
 */
export async function assertDeadLetters(kafka: Kafka, codec: AvroCodec, topic: TopicSpec, consumer: string, sourceTopic: TopicSpec, bad: readonly ProducedBad[]): Promise<void> {
  const keys = new Set(bad.map((record) => record.key));
  const mine = await waitFor(
    async () => {
      const found = (await readDeadLetters(kafka, codec, topic)).filter((l) => l.letter.consumer === consumer && l.letter.topic === sourceTopic.name && l.key !== null && keys.has(l.key));
      return found.length >= bad.length ? found : null;
    },
    `${bad.length} dead letters from ${consumer}`,
    { ...PATIENCE, intervalMs: 300 },
  );
  assert.deepEqual(
    mine.map((l) => l.letter.offset).sort((a, b) => a - b),
    bad.map((b) => Number(b.offset)).sort((a, b) => a - b),
    `one letter per bad record: ${mine.map((l) => `${l.letter.offset} ${l.letter.reason}`).join(', ')}`,
  );
  for (const record of bad) {
    const found = mine.find((l) => l.letter.offset === Number(record.offset) && l.letter.partition === record.partition);
    assert.ok(found, `letter of ${record.name}`);
    const { letter } = found;
    assert.equal(letter.reason, record.reason, `reason of ${record.name}: ${letter.error}`);
    assert.equal(letter.deadLetterId, `${sourceTopic.name}/${record.partition}/${record.offset}/${consumer}`);
    assert.ok(letter.value?.equals(record.value), `original bytes of ${record.name}`);
    assert.equal(letter.key?.toString('utf8'), record.key);
    assert.equal(letter.headers.find((h) => h.key === 'x-test')?.value?.toString('utf8'), record.name);
    assert.ok(letter.error.length > 0 && letter.error.length <= 300);
    assert.equal(found.partition, record.partition, `${record.name}: the letter is on its record's partition`);
    assert.equal(found.key, record.key, `${record.name}: the letter has its record's key`);
    assert.equal(found.headers[HEADER.type], DEAD_LETTER_TYPE);
    assert.equal(found.headers[HEADER.id], letter.deadLetterId);
  }
}
