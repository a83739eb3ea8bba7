import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebhookAttemptOutcome, WebhookAttemptRow } from '../../../../projections/readModels/index.js';
import { WaError } from '../../../shared/index.js';
import { assertRejects, valid } from '../whapi/testing/whapiTesting.js';
import {
  instantOf,
  outcomeName,
  redeliverBody,
  redeliverySelection,
  webhookAttemptBody,
  webhookAttemptSchema,
  webhookAttemptsFilter,
  webhookAttemptsQuery,
  webhookLogBody,
  webhookLogPage,
  webhookLogPagingSchema,
  type RedeliverBody,
} from './webhookLogViews.js';

const NOW = Date.parse('2025-01-15T12:00:00.000Z');

function row(overrides: Partial<WebhookAttemptRow> = {}): WebhookAttemptRow {
  return {
    attemptId: 'ev-1.acct:acme#2@1736942400000',
    deliveryId: 'ev-1.acct:acme',
    subscriptionId: 'acct:acme',
    eventId: 'ev-1',
    eventType: 'message.received',
    accountId: 'acme',
    chatJid: '15550000002@s.whatsapp.net',
    attempt: 2,
    outcome: 'RETRYING',
    statusCode: 503,
    latencyMs: 118,
    error: 'HTTP 503',
    attemptedAt: NOW - 60_000,
    nextAttemptAt: NOW + 240_000,
    sourceTopic: 'wa.conversation.v1',
    sourcePartition: 3,
    sourceOffset: 41,
    ...overrides,
  };
}

/** The 400 a selection is refused with: the field it names. */
function refusedField(body: RedeliverBody, now = NOW): string | undefined {
  try {
    redeliverySelection(body, now);
  } catch (error) {
    assert.ok(error instanceof WaError && error.code === 'INVALID_ARGUMENT', String(error));
    return error.field;
  }
  assert.fail(`expected ${JSON.stringify(body)} to be refused`);
}

describe('the delivery log in the API', () => {
  it('shows an attempt with the outcome in lower case and times as ISO 8601', () => {
    const body = webhookAttemptBody(row());
    assert.deepEqual(body, {
      attemptId: 'ev-1.acct:acme#2@1736942400000',
      deliveryId: 'ev-1.acct:acme',
      eventId: 'ev-1',
      eventType: 'message.received',
      accountId: 'acme',
      chatId: '15550000002@s.whatsapp.net',
      attempt: 2,
      outcome: 'retrying',
      statusCode: 503,
      latencyMs: 118,
      error: 'HTTP 503',
      attemptedAt: '2025-01-15T11:59:00.000Z',
      nextAttemptAt: '2025-01-15T12:04:00.000Z',
    });
    assert.deepEqual(webhookAttemptSchema.parse(body), body, 'the documented shape');
    const delivered = webhookAttemptBody(row({ outcome: 'DELIVERED', statusCode: 200, error: null, nextAttemptAt: null, chatJid: null }));
    assert.equal(delivered.nextAttemptAt, null);
    assert.equal(delivered.chatId, null);
    assert.deepEqual(webhookAttemptSchema.parse(delivered), delivered);
  });

  it('names every outcome', () => {
    const all: WebhookAttemptOutcome[] = ['UNKNOWN', 'DELIVERED', 'RETRYING', 'DEAD', 'GONE', 'DISABLED', 'CANCELLED'];
    assert.deepEqual(all.map(outcomeName), ['unknown', 'delivered', 'retrying', 'dead', 'gone', 'disabled', 'cancelled']);
  });

  it('filters by event and outcome (any case), pages by limit and offset or the cursor of the last page', () => {
    const query = valid(webhookAttemptsQuery, { eventId: 'ev-1', outcome: 'Dead', limit: '20', cursor: '40' }, 'query');
    assert.deepEqual(webhookAttemptsFilter(query), { eventId: 'ev-1', outcome: 'DEAD' });
    assert.deepEqual(webhookLogPage(query), { limit: 20, offset: 40 });
    const plain = valid(webhookAttemptsQuery, {}, 'query');
    assert.deepEqual(webhookAttemptsFilter(plain), {}, 'no filter: nothing passed on');
    assert.deepEqual(webhookLogPage(plain), { limit: 50, offset: 0 });
    assert.deepEqual(webhookLogPage(valid(webhookLogPagingSchema, { offset: '7' }, 'query')), { limit: 50, offset: 7 });
    assertRejects(webhookAttemptsQuery, { outcome: 'lost' }, 'outcome', 'query');
    assertRejects(webhookAttemptsQuery, { outcome: ['dead', 'gone'] }, 'outcome', 'query');
    assertRejects(webhookAttemptsQuery, { eventId: '' }, 'eventId', 'query');
    assertRejects(webhookAttemptsQuery, { limit: '101' }, 'limit', 'query');
    assertRejects(webhookLogPagingSchema, { cursor: 'abc' }, 'cursor', 'query');
    assertRejects(webhookLogPagingSchema, { offset: '-1' }, 'offset', 'query');
  });

  it('a page gives the next offset as its cursor, null on the last', () => {
    const more = webhookLogBody('attempts', { items: [row(), row({ attemptId: 'b' })], total: 9, nextCursor: 'whatever-the-store-says' }, { limit: 2, offset: 4 });
    assert.equal(more.nextCursor, '6');
    assert.equal(more.total, 9);
    assert.equal(more.attempts.length, 2);
    const last = webhookLogBody('deadLetters', { items: [row({ outcome: 'DEAD' })], total: 1, nextCursor: null }, { limit: 2, offset: 0 });
    assert.deepEqual(Object.keys(last).sort(), ['deadLetters', 'nextCursor', 'total']);
    assert.equal(last.nextCursor, null);
  });
});

describe('what a redelivery asks for', () => {
  it('one event, the dead letters, or everything since a time (until optional)', () => {
    assert.deepEqual(redeliverySelection({ eventId: 'ev-1' }, NOW), { kind: 'event', eventId: 'ev-1' });
    assert.deepEqual(redeliverySelection({ deadLetters: true }, NOW), { kind: 'deadLetters' });
    assert.deepEqual(redeliverySelection({ since: '2025-01-15T10:00:00Z' }, NOW), { kind: 'since', since: NOW - 7_200_000, until: null });
    assert.deepEqual(redeliverySelection({ since: NOW - 1_000, until: '2025-01-15T12:00:00.000+00:00' }, NOW), { kind: 'since', since: NOW - 1_000, until: NOW });
    assert.deepEqual(redeliverySelection({ since: String(NOW) }, NOW), { kind: 'since', since: NOW, until: null }, 'now itself is not the future');
  });

  it('anything else is a 400 naming the field', () => {
    assert.equal(refusedField({}), 'body');
    assert.equal(refusedField({ eventId: 'ev-1', since: NOW - 1 }), 'since');
    assert.equal(refusedField({ eventId: 'ev-1', deadLetters: true }), 'deadLetters');
    assert.equal(refusedField({ deadLetters: true, since: NOW - 1 }), 'since');
    assert.equal(refusedField({ deadLetters: false }), 'deadLetters');
    assert.equal(refusedField({ until: NOW }), 'until');
    assert.equal(refusedField({ eventId: 'ev-1', until: NOW }), 'until');
    assert.equal(refusedField({ since: NOW + 1 }), 'since', 'the future');
    assert.equal(refusedField({ since: 'yesterday' }), 'since');
    assert.equal(refusedField({ since: '2025-13-45T99:00:00Z' }), 'since');
    assert.equal(refusedField({ since: -5 }), 'since');
    assert.equal(refusedField({ since: 1.5 }), 'since');
    assert.equal(refusedField({ since: NOW - 10, until: NOW - 10 }), 'until', 'an empty span');
    assert.equal(refusedField({ since: NOW - 10, until: 'soon' }), 'until');
  });

  it('the body schema: known fields only, deadLetters as a boolean or a query word, times as numbers or strings', () => {
    assert.deepEqual(valid(redeliverBody, { deadLetters: 'true' }), { deadLetters: true });
    assert.deepEqual(valid(redeliverBody, { since: 1_736_935_200_000, until: '2025-01-15T12:00:00Z' }), { since: 1_736_935_200_000, until: '2025-01-15T12:00:00Z' });
    assertRejects(redeliverBody, { everything: true }, 'everything');
    assertRejects(redeliverBody, { deadLetters: 'yes' }, 'deadLetters');
    assertRejects(redeliverBody, { since: { at: 1 } }, 'since');
    assertRejects(redeliverBody, { until: [1] }, 'until');
    assertRejects(redeliverBody, { eventId: '' }, 'eventId');
  });

  it('times: ISO 8601 with or without zone and fraction, or epoch milliseconds', () => {
    assert.equal(instantOf('2025-01-15T12:00:00Z', 'since'), NOW);
    assert.equal(instantOf('2025-01-15T14:00:00.000+02:00', 'since'), NOW);
    assert.equal(instantOf('2025-01-15', 'since'), Date.parse('2025-01-15T00:00:00Z'));
    assert.equal(instantOf(' 1736942400000 ', 'since'), NOW);
    assert.equal(instantOf(0, 'since'), 0);
    for (const bad of ['', 'now', '15/01/2025', '2025-01-15T12:00:00Zjunk', '2025-01-15T12:00:00', '1e12']) assert.throws(() => instantOf(bad, 'until'), (error: unknown) => error instanceof WaError && error.field === 'until', bad);
    assert.throws(() => instantOf(Number.MAX_VALUE, 'since'), WaError);
  });
});
