import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sendRounds } from './transactionalWriter.js';

const message = (partition: number, bytes: number, id: number) => ({ key: 'k', value: Buffer.alloc(bytes, id % 256), partition, headers: { id: String(id) }, timestamp: '0' });

describe('sendRounds: a transaction\'s records in requests the broker accepts', () => {
  it('keeps small writes in one request and slices a large partition, in order', () => {
    const small = sendRounds([{ topic: 'a', messages: [message(0, 10, 1), message(1, 10, 2)] }, { topic: 'b', messages: [message(0, 10, 3)] }], 1_000);
    assert.equal(small.length, 1);
    assert.deepEqual(small[0]!.map((t) => [t.topic, t.messages.length]), [['a', 2], ['b', 1]]);

    const large = sendRounds([{ topic: 'a', messages: [message(0, 400, 1), message(0, 400, 2), message(0, 400, 3), message(1, 400, 4)] }], 1_000);
    assert.equal(large.length, 2);
    assert.deepEqual(large.map((round) => round[0]!.messages.map((m) => m.headers.id)), [['1', '2', '4'], ['3']]);
  });

  it('sends a record larger than the limit alone', () => {
    const rounds = sendRounds([{ topic: 'a', messages: [message(0, 10, 1), message(0, 5_000, 2), message(0, 10, 3)] }], 1_000);
    assert.deepEqual(rounds.map((round) => round[0]!.messages.map((m) => m.headers.id)), [['1'], ['2'], ['3']]);
  });

  it('loses nothing, keeps each partition\'s order and stays under the limit unless one record is bigger (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 900 })), { maxLength: 80 }), (specs) => {
        const topics = ['a', 'b'].map((topic) => ({ topic, messages: specs.map(([t, p, size], i) => (t === topic ? message(p, size, i) : null)).filter((m) => m !== null) }));
        const rounds = sendRounds(topics, 1_000);
        for (const { topic, messages } of topics) {
          for (const partition of [0, 1, 2, 3]) {
            const sent = rounds.flatMap((round) => round.filter((t) => t.topic === topic).flatMap((t) => t.messages.filter((m) => m.partition === partition)));
            assert.deepEqual(sent.map((m) => m.headers.id), messages.filter((m) => m.partition === partition).map((m) => m.headers.id));
          }
        }
        for (const round of rounds) {
          for (const { messages } of round) {
            for (const partition of [0, 1, 2, 3]) {
              const own = messages.filter((m) => m.partition === partition);
              const bytes = own.reduce((sum, m) => sum + (m.value?.length ?? 0) + 80, 0);
              assert.ok(own.length <= 1 || bytes <= 1_000 + 80 * own.length, `partition ${partition}: ${bytes} bytes in one request`);
            }
          }
        }
      }),
    );
  });
});
