import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { AvroCodec } from './AvroCodec.js';
import { CodecError } from './CodecError.js';
import { SchemaRegistry } from './SchemaRegistry.js';
import { removeTempSchemaDirs, writeTempSchemaDir } from './writeTempSchemaDir.js';

after(removeTempSchemaDirs);
const tempDir = writeTempSchemaDir;

const KIND_V1 = { type: 'enum', name: 'Kind', namespace: 'wa.common', symbols: ['TEXT', 'REACTION'] };
const TEXT = { type: 'record', name: 'Text', namespace: 'wa.test', fields: [{ name: 'body', type: 'string' }] };
const REACTION = { type: 'record', name: 'Reaction', namespace: 'wa.test', fields: [{ name: 'emoji', type: 'string' }] };
const EVENT_V1 = {
  type: 'record',
  name: 'Event',
  namespace: 'wa.test',
  fields: [
    { name: 'eventId', type: 'string' },
    { name: 'sequence', type: 'int' },
    { name: 'occurredAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'chatJid', type: ['null', 'string'], default: null },
    { name: 'kind', type: 'wa.common.Kind' },
    { name: 'data', type: ['wa.test.Text', 'wa.test.Reaction'] },
    { name: 'raw', type: 'bytes' },
    { name: 'labels', type: { type: 'map', values: { type: 'array', items: 'string' } } },
  ],
};
// v2: a new optional field, an int widened to long, a new enum symbol, a new union branch at the end.
const EVENT_V2 = {
  ...EVENT_V1,
  fields: [
    ...EVENT_V1.fields.map((f) => (f.name === 'sequence' ? { name: 'sequence', type: 'long' } : f)),
    { name: 'causationId', type: ['null', 'string'], default: null },
  ].map((f) => (f.name === 'data' ? { name: 'data', type: ['wa.test.Text', 'wa.test.Reaction', 'wa.test.Deleted'] } : f)),
};
const DELETED = { type: 'record', name: 'Deleted', namespace: 'wa.test', fields: [{ name: 'by', type: 'string' }] };
const OTHER = { type: 'record', name: 'Other', namespace: 'wa.test', fields: [{ name: 'x', type: 'int' }] };

const v1Files = { 'common/Kind.avsc': KIND_V1, 'test/Text.avsc': TEXT, 'test/Reaction.avsc': REACTION, 'test/Event.avsc': EVENT_V1 };
const v2Files = {
  'common/Kind.avsc': { ...KIND_V1, symbols: ['TEXT', 'REACTION', 'DELETE'] },
  'test/Text.avsc': TEXT,
  'test/Reaction.avsc': REACTION,
  'test/Deleted.avsc': DELETED,
  'test/Event.avsc': EVENT_V2,
  'test/Other.avsc': OTHER,
};

const V1_VALUE = {
  eventId: 'e-1',
  sequence: 7,
  occurredAt: 1_700_000_000_123,
  chatJid: '123@s.whatsapp.net',
  kind: 'REACTION',
  data: { 'wa.test.Reaction': { emoji: '👍' } },
  raw: Buffer.from([1, 2, 3]),
  labels: { a: ['x', 'y'], b: [] },
};

/** A codec for v2 whose history holds v1 as released version 1. */
function upgradedCodec(): { v1: AvroCodec; v2: AvroCodec } {
  const v1Dir = tempDir(v1Files);
  const v1 = AvroCodec.load({ schemasDir: v1Dir });
  const v1Event = SchemaRegistry.load(v1Dir).schemaOf('wa.test.Event');
  const v2Dir = tempDir({ ...v2Files, 'history/wa.test.Event/1.avsc': v1Event });
  return { v1, v2: AvroCodec.load({ schemasDir: v2Dir }) };
}

function codecError(code: CodecError['reason'], message?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof CodecError, `expected a CodecError, got ${String(error)}`);
    assert.equal(error.reason, code, error.message);
    assert.equal(error.retriable, false);
    if (message) assert.match(error.message, message);
    return true;
  };
}

describe('AvroCodec', () => {
  it('writes C3 01, the 8-byte little-endian fingerprint, then the Avro body', () => {
    const codec = AvroCodec.load({ schemasDir: tempDir(v1Files) });
    const record = codec.encode('wa.test.Event', V1_VALUE);
    assert.deepEqual([...record.subarray(0, 2)], [0xc3, 0x01]);
    assert.equal(record.toString('hex', 2, 10), codec.fingerprintOf('wa.test.Event'));
    assert.deepEqual(record.subarray(10), codec.registry.typeOf('wa.test.Event').toBuffer(V1_VALUE));
  });

  it('decodes what it encodes into plain objects with the writer name and fingerprint', () => {
    const codec = AvroCodec.load({ schemasDir: tempDir(v1Files) });
    const decoded = codec.decode(codec.encode('wa.test.Event', V1_VALUE));
    assert.equal(decoded.schemaName, 'wa.test.Event');
    assert.equal(decoded.fingerprint, codec.fingerprintOf('wa.test.Event'));
    assert.deepStrictEqual(decoded.value, V1_VALUE);
    const value = decoded.value as typeof V1_VALUE;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.equal(Object.getPrototypeOf(value.data), Object.prototype);
  });

  it('fills defaults for fields the writer did not have when an old record is read with the current schema', () => {
    const { v1, v2 } = upgradedCodec();
    const old = v1.encode('wa.test.Event', V1_VALUE);
    const decoded = v2.decode(old, 'wa.test.Event');
    assert.equal(decoded.fingerprint, v1.fingerprintOf('wa.test.Event'), 'the writer is the recorded version');
    assert.notEqual(decoded.fingerprint, v2.fingerprintOf('wa.test.Event'));
    assert.deepStrictEqual(decoded.value, { ...V1_VALUE, causationId: null });
    assert.deepStrictEqual(v2.decode(old).value, V1_VALUE, 'without a reader, the value keeps the writer shape');
    // The resolver is cached per writer/reader pair; a second read must give the same answer.
    assert.deepStrictEqual(v2.decode(old, 'wa.test.Event').value, { ...V1_VALUE, causationId: null });
  });

  it('decodes records of a writer schema registered at run time, checking the published key', () => {
    const { v1 } = upgradedCodec();
    const current = AvroCodec.load({ schemasDir: tempDir(v2Files) });
    const old = v1.encode('wa.test.Event', V1_VALUE);
    assert.throws(() => current.decode(old, 'wa.test.Event'), codecError('UNKNOWN_FINGERPRINT', new RegExp(v1.fingerprintOf('wa.test.Event'))));
    const [published] = v1.writerSchemas(['wa.test.Event']);
    assert.throws(() => current.register(published!.schema, '0000000000000000'), codecError('INVALID_SCHEMA', /fingerprint/));
    assert.equal(current.knows(published!.fingerprint), false);
    assert.deepEqual(current.register(published!.schema, published!.fingerprint), published);
    assert.equal(current.knows(published!.fingerprint), true);
    assert.deepStrictEqual(current.decode(old, 'wa.test.Event').value, { ...V1_VALUE, causationId: null });
  });

  it('publishes the current top-level schemas and every released version', () => {
    const { v1, v2 } = upgradedCodec();
    const published = v2.writerSchemas();
    assert.deepEqual(
      published.map((s) => [s.name, s.fingerprint]),
      [
        ['wa.test.Event', v2.fingerprintOf('wa.test.Event')],
        ['wa.test.Other', v2.fingerprintOf('wa.test.Other')],
        ['wa.test.Event', v1.fingerprintOf('wa.test.Event')],
      ],
    );
    assert.equal(JSON.parse(published[0]!.schema).name, 'wa.test.Event');
  });

  it('refuses to read a record as an unrelated schema', () => {
    const codec = AvroCodec.load({ schemasDir: tempDir(v2Files) });
    const record = codec.encode('wa.test.Event', { ...V1_VALUE, causationId: null });
    assert.throws(() => codec.decode(record, 'wa.test.Other'), codecError('INCOMPATIBLE_SCHEMA', /cannot read wa\.test\.Event .* as wa\.test\.Other/));
    assert.throws(() => codec.decode(record, 'wa.test.Nope'), codecError('SCHEMA_NOT_FOUND'));
    assert.throws(() => codec.encode('wa.test.Nope', {}), codecError('SCHEMA_NOT_FOUND'));
  });

  it('refuses bad magic, short records, truncated bodies and trailing bytes', () => {
    const codec = AvroCodec.load({ schemasDir: tempDir(v1Files) });
    const record = codec.encode('wa.test.Event', V1_VALUE);
    assert.throws(() => codec.decode(Buffer.from('{"json":true}')), codecError('BAD_MAGIC', /starts with 7b22/));
    assert.throws(() => codec.decode(Buffer.from([0xc3, 0x00, ...record.subarray(2)])), codecError('BAD_MAGIC'));
    assert.throws(() => codec.decode(record.subarray(0, 6)), codecError('CORRUPT_RECORD', /shorter than the 10-byte/));
    assert.throws(() => codec.decode(Buffer.alloc(0)), codecError('CORRUPT_RECORD'));
    assert.throws(() => codec.decode(record.subarray(0, record.length - 1)), codecError('CORRUPT_RECORD', /truncated/));
    assert.throws(() => codec.decode(Buffer.concat([record, Buffer.from([0])])), codecError('CORRUPT_RECORD', /1 unexpected trailing bytes/));
    // Ending too early is told apart from a body that cannot be read (dead letters say TRUNCATED or CORRUPT).
    const truncated = (bytes: Buffer): boolean => {
      try {
        codec.decode(bytes);
      } catch (error) {
        return (error as CodecError).truncated;
      }
      throw new Error('decoded');
    };
    assert.deepEqual([record.subarray(0, 6), record.subarray(0, record.length - 1), Buffer.concat([record, Buffer.from([0])])].map(truncated), [true, true, false]);
    const unknown = Buffer.from(record);
    unknown[9] = unknown[9]! ^ 0xff;
    assert.throws(() => codec.decode(unknown), codecError('UNKNOWN_FINGERPRINT', new RegExp(unknown.toString('hex', 2, 10))));
  });

  it('turns any garbled body into CORRUPT_RECORD, never another error', () => {
    const codec = AvroCodec.load({ schemasDir: tempDir(v1Files) });
    const record = codec.encode('wa.test.Event', V1_VALUE);
    let seed = 42;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2_000; i++) {
      const garbled = Buffer.from(record.subarray(0, 10 + Math.floor(random() * (record.length + 10))));
      for (let j = 10; j < garbled.length; j++) if (random() < 0.2) garbled[j] = Math.floor(random() * 256);
      try {
        codec.decode(garbled);
      } catch (error) {
        codecError('CORRUPT_RECORD')(error);
      }
    }
  });

  it('refuses invalid values, naming the path and the expected type but not the value', () => {
    const codec = AvroCodec.load({ schemasDir: tempDir(v1Files) });
    assert.throws(
      () => codec.encode('wa.test.Event', { ...V1_VALUE, sequence: 1.5, data: { 'wa.test.Text': { body: 42 } }, labels: { a: ['ok', 'secret-text', 3] } }),
      codecError('INVALID_VALUE', /sequence: expected int, got a non-integer number; data\.wa\.test\.Text\.body: expected string, got a 32-bit integer; labels\.a\.2: expected string/),
    );
    assert.throws(() => codec.encode('wa.test.Event', { ...V1_VALUE, kind: 'VIDEO' }), codecError('INVALID_VALUE', /kind: expected enum wa\.common\.Kind, got a string/));
    assert.throws(() => codec.encode('wa.test.Event', { ...V1_VALUE, eventId: undefined }), codecError('INVALID_VALUE', /eventId: expected string, got a undefined/));
    assert.throws(() => codec.encode('wa.test.Event', { ...V1_VALUE, chatJId: 'typo' }), codecError('INVALID_VALUE', /<root>: undeclared field\(s\) chatJId for wa\.test\.Event/));
    assert.throws(
      () => codec.encode('wa.test.Event', { ...V1_VALUE, data: { body: 'unwrapped' } }),
      (error: Error) => !error.message.includes('unwrapped') && /data: expected wrapped union \[wa\.test\.Text, wa\.test\.Reaction\]/.test(error.message),
    );
    // Fields with a default may be left out.
    const { chatJid: _omitted, ...withoutChat } = V1_VALUE;
    assert.equal(codec.decode<typeof V1_VALUE>(codec.encode('wa.test.Event', withoutChat)).value.chatJid, null);
  });

  it('encodes records larger than its scratch buffer', () => {
    const codec = AvroCodec.load({ schemasDir: tempDir(v1Files) });
    const big = { ...V1_VALUE, raw: Buffer.alloc(3 * 1024 * 1024, 7) };
    assert.deepStrictEqual(codec.decode(codec.encode('wa.test.Event', big)).value, big);
    assert.deepStrictEqual(codec.decode(codec.encode('wa.test.Event', V1_VALUE)).value, V1_VALUE);
  });

  it('unwraps only the optional-value unions, so adding a branch later never changes a value\'s shape', () => {
    const codec = AvroCodec.load({
      schemasDir: tempDir({
        'A.avsc': { type: 'record', name: 'wa.u.A', fields: [{ name: 'a', type: 'int' }] },
        'B.avsc': { type: 'record', name: 'wa.u.B', fields: [{ name: 'b', type: 'int' }] },
        'U.avsc': {
          type: 'record',
          name: 'wa.u.U',
          fields: [
            { name: 'optional', type: ['null', 'string'] },
            { name: 'optionalRecord', type: ['null', 'wa.u.A'] },
            { name: 'single', type: ['wa.u.B'] },
            { name: 'distinct', type: ['string', 'int'] },
            { name: 'nullableChoice', type: ['null', 'wa.u.A', 'wa.u.B'] },
          ],
        },
      }),
    });
    const value = {
      optional: 'x',
      optionalRecord: { a: 1 },
      single: { 'wa.u.B': { b: 2 } },
      distinct: { int: 3 },
      nullableChoice: { 'wa.u.B': { b: 4 } },
    };
    assert.deepStrictEqual(codec.decode(codec.encode('wa.u.U', value)).value, value);
    const nulls = { ...value, optional: null, optionalRecord: null, nullableChoice: null };
    assert.deepStrictEqual(codec.decode(codec.encode('wa.u.U', nulls)).value, nulls);
    assert.throws(() => codec.encode('wa.u.U', { ...value, single: { b: 2 } }), codecError('INVALID_VALUE', /single: expected wrapped union/));
  });

  it('loads the project schemas and round-trips values of every writer schema', () => {
    const codec = AvroCodec.load();
    for (const name of codec.registry.listTopLevel()) {
      const type = codec.registry.typeOf(name);
      for (let i = 0; i < 50; i++) {
        const value: unknown = type.random();
        assert.deepStrictEqual(codec.decode(codec.encode(name, value), name).value, value, name);
      }
    }
  });
});
