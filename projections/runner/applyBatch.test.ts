import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { WaError } from '../../services/shared/index.js';
import { DEAD_LETTER_SCHEMA, deadLetterRecord, type ConsumedRecord } from '../../services/shared/kafka/index.js';
import { TOPIC_SCHEMA, type Avro, type ProjectedTopic } from '../events/index.js';
import { READ_MODELS } from '../readModels/readModelCatalog.js';
import { rowsFrom, statement, type ReadModelDefinition, type SetForm } from '../readModels/shared/index.js';
import { ALICE, EventFactory, ReadModelSpec, type Value } from '../readModels/testing/index.js';
import { isDataError } from '../store/index.js';
import { testLogger } from '../../test/helpers/broker.js';
import { applyBatch, type ApplyOptions, type PartitionBatch } from './applyBatch.js';

const TOPIC = 'conv';
const f = new EventFactory('acc-1');

function record(offset: number, value: Buffer | null): ConsumedRecord {
  return { topic: TOPIC, partition: 0, offset: String(offset), key: 'acc-1', value, headers: {}, timestamp: 0 };
}

function batch(values: (Value | Buffer | null)[], firstOffset = 0, role: ProjectedTopic = 'conversation', lastOffset?: number): PartitionBatch {
  const records = values.map((value, i) => record(firstOffset + i, value === null || Buffer.isBuffer(value) ? value : f.codec.encode(TOPIC_SCHEMA[role], value)));
  return { topic: TOPIC, role, partition: 0, records, lastOffset: String(lastOffset ?? firstOffset + values.length - 1) };
}

const messageValue = (id: string, text = 'hi'): Value =>
  f.envelope('message.received', 'wa.conversation.MessageRecorded', {
    message: { key: { remoteJid: ALICE, id, fromMe: false }, senderJid: ALICE, timestamp: 1_000 + id.length, kind: 'TEXT', content: { 'wa.conversation.TextContent': { text } } },
    direction: 'INBOUND',
  }, { chatJid: ALICE, eventId: `msg-${id}` });

/** A read model the database refuses message BAD of. */
const refusing: ReadModelDefinition = {
  name: 'refusing',
  tables: [],
  schema: '',
  evolve: (event) => (event.topic === 'conversation' && event.type === 'message.received' && event.data.message.key.id === 'BAD' ? [statement('SELECT 1 / 0')] : []),
};

/** Each message's text as a number, many messages in one statement: a text that is no number is refused. */
const NUMBERS: SetForm = {
  name: 'numbers',
  repeat: 'first',
  key: (params) => String(params[0]),
  touches: (params) => [String(params[0])],
  sql: `INSERT INTO numbers (id, value) SELECT p1, p2::integer FROM ${rowsFrom(['text', 'text'])}`,
};
const numbering: ReadModelDefinition = {
  name: 'numbering',
  tables: ['numbers'],
  schema: '',
  evolve: (event) =>
    event.topic === 'conversation' && event.type === 'message.received' && event.data.message.content !== null && 'wa.conversation.TextContent' in event.data.message.content
      ? [statement('INSERT INTO numbers (id, value) VALUES ($1, $2::integer)', [event.data.message.key.id, event.data.message.content['wa.conversation.TextContent'].text], NUMBERS)]
      : [],
};

/** A dead-letter writer that keeps what it is given, decoded. */
function collectLetters(): { deadLetters: NonNullable<ApplyOptions['deadLetters']>; letters: Avro.DeadLetter[] } {
  const letters: Avro.DeadLetter[] = [];
  return {
    letters,
    deadLetters: {
      letter: (record, error, verdict) => deadLetterRecord(f.codec, record, 'projector', error, 42, verdict),
      write: async (records) => {
        letters.push(...records.map((r) => f.codec.decode<Avro.DeadLetter>(r.value!, DEAD_LETTER_SCHEMA).value));
      },
    },
  };
}

describe('applyBatch', () => {
  let spec: ReadModelSpec;
  let options: ApplyOptions;

  before(async () => {
    spec = await ReadModelSpec.start();
    options = { store: spec.store, codec: f.codec, models: READ_MODELS, logger: testLogger(), now: () => 42, isolate: false };
  });
  after(() => spec.close());
  beforeEach(() => spec.reset());

  const position = async () => (await spec.rowsOf('projection_positions'))[0]?.next_offset ?? null;

  it('applies a batch and saves the position past its last offset (transaction markers included)', async () => {
    const outcome = await applyBatch(batch([messageValue('A'), messageValue('B')], 0, 'conversation', 2), options);
    assert.deepEqual(outcome, { applied: 2, alreadyApplied: 0, ignored: 0, setAside: 0 });
    assert.equal(await position(), 3);
    assert.equal((await spec.reads.chat('acc-1', ALICE))?.unreadCount, 2);
    assert.ok((await spec.reads.lag()).appliedUpTo! > 0);
  });

  it('skips what an earlier delivery applied, even when a batch overlaps it', async () => {
    await applyBatch(batch([messageValue('A'), messageValue('B')]), options);
    const before = await spec.snapshot();
    const again = await applyBatch(batch([messageValue('A'), messageValue('B')]), options);
    assert.deepEqual(again, { applied: 0, alreadyApplied: 2, ignored: 0, setAside: 0 });
    assert.deepEqual(await spec.snapshot(), before);
    const overlap = await applyBatch(batch([messageValue('B'), messageValue('C')], 1), options);
    assert.deepEqual(overlap, { applied: 1, alreadyApplied: 1, ignored: 0, setAside: 0 });
    assert.equal(await position(), 3);
  });

  it('leaves nothing behind when the batch fails half way', async () => {
    const crash = { ...options, afterEvent: (applied: number) => {
      if (applied === 1) throw new WaError('INTERNAL', 'injected crash');
    } };
    await assert.rejects(applyBatch(batch([messageValue('A'), messageValue('B')]), crash), /injected crash/);
    assert.equal(await position(), null);
    assert.equal(await spec.reads.message('acc-1', 'A'), null);
    await applyBatch(batch([messageValue('A'), messageValue('B')]), options);
    assert.equal((await spec.reads.chat('acc-1', ALICE))?.unreadCount, 2);
  });

  it('ignores tombstones and unknown event types, and sets aside a corrupt record', async () => {
    const unknown = { ...messageValue('U'), type: 'message.teleported' };
    const corrupt = Buffer.concat([f.codec.encode(TOPIC_SCHEMA.conversation, messageValue('X')).subarray(0, 20)]);
    const outcome = await applyBatch(batch([null, unknown, corrupt, messageValue('A')]), options);
    assert.deepEqual(outcome, { applied: 1, alreadyApplied: 0, ignored: 2, setAside: 1 });
    const [error] = await spec.rowsOf('projection_errors');
    assert.equal(error?.record_offset, 2);
    assert.equal(await position(), 4);
  });

  it('sets aside a record of an unknown writer schema and moves on: its dead letter keeps the bytes', async () => {
    const bytes = Buffer.from(f.codec.encode(TOPIC_SCHEMA.conversation, messageValue('A')));
    bytes.writeUInt32LE(0xdeadbeef, 2);
    const { deadLetters, letters } = collectLetters();
    const outcome = await applyBatch(batch([bytes, messageValue('B')]), { ...options, deadLetters });
    assert.deepEqual(outcome, { applied: 1, alreadyApplied: 0, ignored: 0, setAside: 1 });
    assert.equal(await position(), 2);
    assert.deepEqual(letters.map((l) => [l.offset, l.reason, l.consumer]), [[0, 'UNKNOWN_SCHEMA', 'projector']]);
    assert.ok(letters[0]!.value?.equals(bytes));
  });

  it('hands every record it sets aside to the dead letters, in the batch\'s transaction', async () => {
    const { deadLetters, letters } = collectLetters();
    const corrupt = f.codec.encode(TOPIC_SCHEMA.conversation, messageValue('X')).subarray(0, 20);
    const wrong = f.codec.encode(TOPIC_SCHEMA.commandResults, { commandId: 'c', accountId: 'acc-1', type: 'message.send', status: 'SUCCEEDED', completedAt: 1, error: null, result: null, eventIds: [], durationMs: null, correlationId: 'r', replayed: false });
    const outcome = await applyBatch(batch([corrupt, wrong, messageValue('A')]), { ...options, deadLetters });
    assert.deepEqual(outcome, { applied: 1, alreadyApplied: 0, ignored: 0, setAside: 2 });
    assert.deepEqual(letters.map((l) => [l.offset, l.reason]), [[0, 'TRUNCATED'], [1, 'INVALID']]);
    assert.deepEqual((await spec.rowsOf('projection_errors')).map((row) => row.record_offset), [0, 1], 'projection_errors keeps them too');

    letters.length = 0;
    const failing = { letter: deadLetters.letter, write: async () => Promise.reject(new WaError('KAFKA', 'broker away', { retriable: true })) };
    await assert.rejects(applyBatch(batch([corrupt, messageValue('B')], 3), { ...options, deadLetters: failing }), /broker away/);
    assert.equal(await position(), 3, 'a letter not written leaves the batch uncommitted');
  });

  it('in isolating mode, sets aside only the event the database refuses', async () => {
    const models = [...READ_MODELS, refusing];
    const values = [messageValue('A'), messageValue('BAD'), messageValue('C')];
    await assert.rejects(applyBatch(batch(values), { ...options, models }), { code: '22012' });
    const outcome = await applyBatch(batch(values), { ...options, models, isolate: true });
    assert.deepEqual(outcome, { applied: 2, alreadyApplied: 0, ignored: 0, setAside: 1 });
    assert.equal(await spec.reads.message('acc-1', 'BAD'), null, 'the refused event left nothing half applied');
    assert.equal((await spec.reads.messagesOfChat('acc-1', ALICE, { limit: 10, offset: 0 })).total, 2);
    assert.equal((await spec.rowsOf('projection_errors'))[0]?.event_id, 'msg-BAD');
  });

  it('given a value refused inside a statement over many rows, then the batch fails as a data error, and isolating sets aside only its event', async () => {
    await spec.store.exec('CREATE TABLE IF NOT EXISTS numbers (id text PRIMARY KEY, value integer NOT NULL); TRUNCATE numbers');
    const models = [...READ_MODELS, numbering];
    const values = [messageValue('A', '1'), messageValue('BAD', 'one'), messageValue('C', '3')];
    await assert.rejects(applyBatch(batch(values), { ...options, models }), (error: unknown) => isDataError(error));
    assert.equal(await position(), null);
    const outcome = await applyBatch(batch(values), { ...options, models, isolate: true });
    assert.deepEqual(outcome, { applied: 2, alreadyApplied: 0, ignored: 0, setAside: 1 });
    assert.deepEqual(await spec.rowsOf('numbers'), [{ id: 'A', value: 1 }, { id: 'C', value: 3 }]);
    assert.equal((await spec.reads.messagesOfChat('acc-1', ALICE, { limit: 10, offset: 0 })).total, 2);
    await spec.store.exec('TRUNCATE numbers');
    await spec.reset();
    await applyBatch(batch([messageValue('A', '1'), messageValue('C', '3')]), { ...options, models });
    assert.deepEqual(await spec.rowsOf('numbers'), [{ id: 'A', value: 1 }, { id: 'C', value: 3 }]);
  });

  it('calls an event the database refuses UNPROCESSABLE in its dead letter', async () => {
    const { deadLetters, letters } = collectLetters();
    await applyBatch(batch([messageValue('A'), messageValue('BAD')]), { ...options, models: [...READ_MODELS, refusing], isolate: true, deadLetters });
    assert.deepEqual(letters.map((l) => [l.offset, l.reason]), [[1, 'UNPROCESSABLE']]);
  });
});
