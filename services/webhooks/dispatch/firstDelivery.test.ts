import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AvroCodec } from '../../../schemas/index.js';
import type { Avro } from '../../../projections/events/index.js';
import { everyWebhookEvent } from '../payloads/testing/index.js';
import { chatOfEvent } from '../payloads/index.js';
import { firstDelivery } from './deliveries.js';

const NOW = 1_736_942_400_000;
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('an event\'s first delivery (also what a redelivery by API queues)', () => {
  const codec = AvroCodec.load();

  it('is attempt 1, due now, with the event’s bytes and trace, under the dispatcher’s delivery id', () => {
    for (const sample of everyWebhookEvent('acme')) {
      const record = { topic: `wa.${sample.topic}.v1`, partition: 2, offset: '41', key: 'acme', value: sample.bytes, headers: { traceparent: TRACEPARENT }, timestamp: NOW - 5_000 };
      const delivery = firstDelivery(record, sample.event, 'acct:acme', NOW);
      assert.deepEqual(delivery, {
        deliveryId: `${sample.event.eventId}.acct:acme`,
        subscriptionId: 'acct:acme',
        eventId: sample.event.eventId,
        eventType: sample.event.type,
        accountId: 'acme',
        chatJid: chatOfEvent(sample.event),
        sourceTopic: `wa.${sample.topic}.v1`,
        sourcePartition: 2,
        sourceOffset: 41,
        attempt: 1,
        firstAttemptAt: NOW,
        lastAttemptAt: null,
        notBefore: NOW,
        lastStatusCode: null,
        lastError: null,
        eventBytes: sample.bytes,
        traceparent: TRACEPARENT,
      }, sample.event.type);
      // It is a valid WebhookDelivery, and its bytes come back exactly.
      const back = codec.decode<Avro.WebhookDelivery>(codec.encode('wa.webhooks.WebhookDelivery', delivery), 'wa.webhooks.WebhookDelivery').value;
      assert.ok(Buffer.from(back.eventBytes).equals(sample.bytes));
      assert.equal(back.deliveryId, delivery.deliveryId);
    }
  });

  it('carries no trace when the event record had none', () => {
    const [sample] = everyWebhookEvent('acme');
    const delivery = firstDelivery({ topic: 't', partition: 0, offset: '0', key: 'acme', value: sample!.bytes, headers: {}, timestamp: NOW }, sample!.event, 'global:abc', NOW);
    assert.equal(delivery.traceparent, null);
    assert.equal(delivery.deliveryId, `${sample!.event.eventId}.global:abc`);
  });
});
