import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { WebhookAttemptOutcome } from '../ReadModels.js';
import { ALICE, EventFactory, ReadModelSpec, T0 } from '../testing/index.js';
import { WEBHOOK_ATTEMPT_OUTCOMES } from './webhookAttemptOutcomes.js';

const PAGE = { limit: 100, offset: 0 };

describe('webhook delivery log read model', () => {
  let spec: ReadModelSpec;
  const f = new EventFactory('acc-1');

  before(async () => {
    spec = await ReadModelSpec.start();
  });
  after(() => spec.close());
  beforeEach(() => spec.reset());

  const deadLetterIds = async (subscriptionId = 'sub-1'): Promise<string[]> => (await spec.reads.webhookDeadLetters(subscriptionId, PAGE)).items.map((row) => row.attemptId);

  it('given nothing, when an attempt arrives twice, then it is one row with every field of the record', async () => {
    await spec.when(f.webhookAttempt('E1', 'sub-1', 1, { outcome: 'RETRYING', statusCode: 503, latencyMs: 87, error: 'HTTP 503', nextAttemptAt: T0 + 6_000, sourcePartition: 2, sourceOffset: 9_007_199_254 }));
    assert.deepEqual(await spec.reads.webhookAttempts('sub-1', {}, PAGE), {
      items: [
        {
          attemptId: 'E1.sub-1#1',
          deliveryId: 'E1.sub-1',
          subscriptionId: 'sub-1',
          eventId: 'E1',
          eventType: 'message.received',
          accountId: 'acc-1',
          chatJid: ALICE,
          attempt: 1,
          outcome: 'RETRYING',
          statusCode: 503,
          latencyMs: 87,
          error: 'HTTP 503',
          attemptedAt: T0 + 1_000,
          nextAttemptAt: T0 + 6_000,
          sourceTopic: 'wa.conversation.v1',
          sourcePartition: 2,
          sourceOffset: 9_007_199_254,
        },
      ],
      total: 1,
      nextCursor: null,
    });
  });

  it('given an attempt, when the same attempt is logged again with other figures (after a crash), then the first record stays', async () => {
    await spec.given(f.webhookAttempt('E1', 'sub-1', 1, { latencyMs: 40 }));
    await spec.when(f.webhookAttempt('E1', 'sub-1', 1, { latencyMs: 55, attemptedAt: T0 + 9_000 }));
    const { items, total } = await spec.reads.webhookAttempts('sub-1', {}, PAGE);
    assert.equal(total, 1);
    assert.deepEqual([items[0]!.latencyMs, items[0]!.attemptedAt], [40, T0 + 1_000]);
  });

  it('given one delivery per outcome, then each is logged as it came, and only DEAD, GONE and DISABLED are dead letters', async () => {
    const outcomes: WebhookAttemptOutcome[] = ['UNKNOWN', 'DELIVERED', 'RETRYING', 'DEAD', 'GONE', 'DISABLED', 'CANCELLED'];
    assert.deepEqual([...outcomes].sort(), [...WEBHOOK_ATTEMPT_OUTCOMES].sort(), 'every outcome of the schema is covered');
    for (const [i, outcome] of outcomes.entries()) {
      await spec.when(f.webhookAttempt(`E-${outcome}`, 'sub-1', 1, { outcome, attemptedAt: T0 + i * 1_000, statusCode: outcome === 'GONE' ? 410 : null }));
    }
    for (const outcome of outcomes) {
      const { items } = await spec.reads.webhookAttempts('sub-1', { outcome }, PAGE);
      assert.deepEqual(items.map((row) => [row.eventId, row.outcome]), [[`E-${outcome}`, outcome]]);
    }
    assert.equal((await spec.reads.webhookAttempts('sub-1', { outcome: 'GONE' }, PAGE)).items[0]!.statusCode, 410);
    assert.deepEqual(await deadLetterIds(), ['E-DISABLED.sub-1#1', 'E-GONE.sub-1#1', 'E-DEAD.sub-1#1'], 'newest first');
  });

  it('given a dead delivery, when a later attempt of it is delivered (a redelivery), then it is no longer a dead letter', async () => {
    await spec.given(f.webhookAttempt('E1', 'sub-1', 1, { outcome: 'RETRYING', statusCode: 500 }), f.webhookAttempt('E1', 'sub-1', 2, { outcome: 'DEAD', statusCode: 500 }));
    await spec.given(f.webhookAttempt('E2', 'sub-1', 1, { outcome: 'GONE', statusCode: 410 }));
    assert.deepEqual(await deadLetterIds(), ['E1.sub-1#2', 'E2.sub-1#1'], 'newest first: attempt 2 came a second after the first tries');
    await spec.when(f.webhookAttempt('E1', 'sub-1', 3, { outcome: 'DELIVERED', statusCode: 200 }));
    assert.deepEqual(await deadLetterIds(), ['E2.sub-1#1']);
    assert.equal((await spec.reads.webhookAttempts('sub-1', { eventId: 'E1' }, PAGE)).total, 3, 'every attempt stays in the log');
  });

  it('given attempts arriving out of order, then the latest by attemptedAt (then attempt number) decides', async () => {
    // The redelivered success is applied before the dead attempt it follows.
    await spec.given(f.webhookAttempt('E1', 'sub-1', 3, { outcome: 'DELIVERED', attemptedAt: T0 + 50_000 }), f.webhookAttempt('E1', 'sub-1', 2, { outcome: 'DEAD', attemptedAt: T0 + 20_000 }));
    assert.deepEqual(await deadLetterIds(), []);
    // Same time: the higher attempt number is the later one.
    await spec.given(f.webhookAttempt('E2', 'sub-1', 1, { outcome: 'RETRYING', attemptedAt: T0 + 7_000 }), f.webhookAttempt('E2', 'sub-1', 2, { outcome: 'DISABLED', attemptedAt: T0 + 7_000 }));
    assert.deepEqual(await deadLetterIds(), ['E2.sub-1#2']);
    await spec.given(f.webhookAttempt('E3', 'sub-1', 2, { outcome: 'DELIVERED', attemptedAt: T0 + 8_000 }), f.webhookAttempt('E3', 'sub-1', 1, { outcome: 'DEAD', attemptedAt: T0 + 8_000 }));
    assert.deepEqual(await deadLetterIds(), ['E2.sub-1#2']);
  });

  it('keeps the log when the account is deleted (it is about our deliveries, and a rebuild could not order the two topics as the live run did)', async () => {
    await spec.given(f.webhookAttempt('E1', 'sub-1', 1, { outcome: 'DEAD' }));
    await spec.when(f.account('account.deleted', 'AccountDeleted', { deletedBy: 'admin', purgeData: true }));
    assert.deepEqual(await deadLetterIds(), ['E1.sub-1#1']);
  });

  it('ignores every event of the other topics', async () => {
    await spec.when(f.commandResult('cmd-1'));
    await spec.when(f.message({ id: 'M1' }));
    assert.deepEqual(await spec.rowsOf('webhook_attempts'), []);
  });
});
