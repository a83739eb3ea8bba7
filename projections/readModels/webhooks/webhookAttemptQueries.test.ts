import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WaError } from '../../../services/shared/index.js';
import { MAX_LIMIT } from '../pagination.js';
import { EventFactory, ReadModelSpec, T0 } from '../testing/index.js';

describe('webhook delivery log queries (SqlReadModels on PGlite)', () => {
  let spec: ReadModelSpec;
  const acc1 = new EventFactory('acc-1');
  const acc2 = new EventFactory('acc-2');

  // sub-1: 6 deliveries of acc-1 and acc-2 (E0..E5), every odd one retried then dead; sub-2: one delivery.
  before(async () => {
    spec = await ReadModelSpec.start();
    for (let e = 0; e < 6; e += 1) {
      const f = e % 2 === 0 ? acc1 : acc2;
      const at = T0 + e * 10_000;
      if (e % 2 === 0) await spec.given(f.webhookAttempt(`E${e}`, 'sub-1', 1, { attemptedAt: at }));
      else await spec.given(f.webhookAttempt(`E${e}`, 'sub-1', 1, { outcome: 'RETRYING', statusCode: 502, attemptedAt: at }), f.webhookAttempt(`E${e}`, 'sub-1', 2, { outcome: 'DEAD', statusCode: 502, attemptedAt: at + 5_000 }));
    }
    await spec.given(acc1.webhookAttempt('E0', 'sub-2', 1, { outcome: 'DEAD', attemptedAt: T0 + 99_000 }));
  });
  after(() => spec.close());

  it('lists a subscription’s attempts of every account newest first (by attemptedAt, then attemptId), paged by offset', async () => {
    const all = await spec.reads.webhookAttempts('sub-1', {}, { limit: 100, offset: 0 });
    assert.equal(all.total, 9);
    assert.deepEqual(all.items.map((row) => row.attemptId), ['E5.sub-1#2', 'E5.sub-1#1', 'E4.sub-1#1', 'E3.sub-1#2', 'E3.sub-1#1', 'E2.sub-1#1', 'E1.sub-1#2', 'E1.sub-1#1', 'E0.sub-1#1']);
    assert.deepEqual(new Set(all.items.map((row) => row.accountId)), new Set(['acc-1', 'acc-2']));
    const first = await spec.reads.webhookAttempts('sub-1', {}, { limit: 4, offset: 0 });
    assert.deepEqual([first.items.length, first.total, first.nextCursor], [4, 9, '4']);
    const last = await spec.reads.webhookAttempts('sub-1', {}, { limit: 4, offset: 8 });
    assert.deepEqual([last.items.map((row) => row.attemptId), last.nextCursor], [['E0.sub-1#1'], null]);
  });

  it('filters by event and by outcome, together too', async () => {
    const ofEvent = await spec.reads.webhookAttempts('sub-1', { eventId: 'E3' }, { limit: 10, offset: 0 });
    assert.deepEqual([ofEvent.total, ofEvent.items.map((row) => row.attempt)], [2, [2, 1]]);
    const dead = await spec.reads.webhookAttempts('sub-1', { outcome: 'DEAD' }, { limit: 10, offset: 0 });
    assert.deepEqual([dead.total, dead.items.map((row) => row.eventId)], [3, ['E5', 'E3', 'E1']]);
    const both = await spec.reads.webhookAttempts('sub-1', { eventId: 'E3', outcome: 'RETRYING' }, { limit: 10, offset: 0 });
    assert.deepEqual(both.items.map((row) => row.attemptId), ['E3.sub-1#1']);
    assert.deepEqual(await spec.reads.webhookAttempts('sub-1', { eventId: 'nothing' }, { limit: 10, offset: 0 }), { items: [], total: 0, nextCursor: null });
    assert.deepEqual(await spec.reads.webhookAttempts('nobody', {}, { limit: 10, offset: 0 }), { items: [], total: 0, nextCursor: null });
  });

  it('gives each subscription its own dead letters, paged', async () => {
    const page1 = await spec.reads.webhookDeadLetters('sub-1', { limit: 2, offset: 0 });
    assert.deepEqual([page1.items.map((row) => row.attemptId), page1.total, page1.nextCursor], [['E5.sub-1#2', 'E3.sub-1#2'], 3, '2']);
    const page2 = await spec.reads.webhookDeadLetters('sub-1', { limit: 2, offset: 2 });
    assert.deepEqual([page2.items.map((row) => row.attemptId), page2.nextCursor], [['E1.sub-1#2'], null]);
    assert.deepEqual((await spec.reads.webhookDeadLetters('sub-2', { limit: 10, offset: 0 })).items.map((row) => row.deliveryId), ['E0.sub-2']);
  });

  it('is safe with any input: an unknown outcome is a 400 naming outcome, pages are clamped', async () => {
    await assert.rejects(
      spec.reads.webhookAttempts('sub-1', { outcome: 'dead' as never }, { limit: 10, offset: 0 }),
      (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'outcome',
    );
    const huge = await spec.reads.webhookAttempts('sub-1', null as never, { limit: 10_000, offset: -5 });
    assert.equal(huge.items.length, 9);
    assert.ok(MAX_LIMIT.lists < 10_000);
    assert.equal((await spec.reads.webhookDeadLetters('sub-1', null as never)).total, 3);
  });
});
