import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebhookSubscriptionValue } from '../../shared/webhooks/index.js';
import { attemptRecord, deliveryIdOf, orderingKey, wantsEvent } from './deliveries.js';

const subscription = (over: Partial<WebhookSubscriptionValue> = {}): WebhookSubscriptionValue => ({
  id: 'acct:a',
  scope: 'ACCOUNT',
  accountId: 'a',
  url: 'https://example.com/hook',
  eventTypes: ['message.*', 'chat.updated'],
  secret: { keyId: 'k', iv: Buffer.alloc(12), authTag: Buffer.alloc(16), ciphertext: Buffer.alloc(1) },
  enabled: true,
  disabledReason: null,
  payloadFormat: 'WHAPI',
  createdBy: null,
  createdAt: 1_000,
  updatedAt: 1_000,
  version: 1,
  ...over,
});

describe('wantsEvent', () => {
  it('follows scope, event types, enabled and the subscription\'s creation time', () => {
    const event = { accountId: 'a', type: 'message.received' };
    assert.equal(wantsEvent(subscription(), event, 1_000), true);
    assert.equal(wantsEvent(subscription(), { accountId: 'b', type: 'message.received' }, 2_000), false, 'another account');
    assert.equal(wantsEvent(subscription({ scope: 'GLOBAL', accountId: null }), { accountId: 'b', type: 'message.received' }, 2_000), true, 'global sees every account');
    assert.equal(wantsEvent(subscription(), { accountId: 'a', type: 'presence.updated' }, 2_000), false, 'a type it did not ask for');
    assert.equal(wantsEvent(subscription(), { accountId: 'a', type: 'chat.updated' }, 2_000), true);
    assert.equal(wantsEvent(subscription({ enabled: false }), event, 2_000), false, 'disabled');
    assert.equal(wantsEvent(subscription(), event, 999), false, 'recorded before the subscription existed');
    assert.equal(wantsEvent(subscription({ scope: 'UNKNOWN' }), event, 2_000), false, 'a scope this build does not know');
    assert.equal(wantsEvent(subscription({ eventTypes: [] }), { accountId: 'a', type: 'presence.updated' }, 2_000), true, 'no filter: everything');
  });
});

describe('delivery ids and keys', () => {
  it('names a delivery by event and subscription, and orders by subscription, account and chat', () => {
    assert.equal(deliveryIdOf('evt-1', 'global:x'), 'evt-1.global:x');
    assert.notEqual(orderingKey('s', 'a', 'c1'), orderingKey('s', 'a', 'c2'));
    assert.notEqual(orderingKey('s', 'a', null), orderingKey('s', 'b', null));
    assert.notEqual(orderingKey('s1', 'a', 'c'), orderingKey('s2', 'a', 'c'));
  });

  it('logs an attempt with a unique id and a bounded latency', () => {
    const delivery = {
      deliveryId: 'e.s', subscriptionId: 's', eventId: 'e', eventType: 'message.received', accountId: 'a', chatJid: null,
      sourceTopic: 't', sourcePartition: 0, sourceOffset: 5, attempt: 3, firstAttemptAt: 1, lastAttemptAt: null, notBefore: 1,
      lastStatusCode: null, lastError: null, eventBytes: Buffer.alloc(0), traceparent: null,
    };
    const line = attemptRecord(delivery, { outcome: 'RETRYING', statusCode: 503, latencyMs: 12.6, error: 'HTTP 503', at: 42, nextAttemptAt: 99 });
    assert.equal(line.attemptId, 'e.s#3@42');
    assert.equal(line.latencyMs, 13);
    assert.equal(line.attempt, 3);
    assert.equal(attemptRecord(delivery, { outcome: 'DEAD', statusCode: null, latencyMs: 1e12, error: null, at: 1, nextAttemptAt: null }).latencyMs, 2_147_483_647);
  });
});
