import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { KafkaProducer, WEBHOOK_RETRY_TIERS } from '../../services/shared/kafka/index.js';
import { SubscriptionLog } from '../../services/shared/webhooks/index.js';
import { Dispatcher } from '../../services/webhooks/index.js';
import { ApiHarness, freshGroup, freshTopic, testLogger, waitFor } from '../helpers/index.js';
import { WebhookReceiver, chatMessageEvent, produceConversation } from '../helpers/webhookHarness.js';

/**
 * The whole webhook path through the real app: a webhook registered with `POST /webhooks`, the
 * dispatcher on the app's topics giving up on an endpoint that always fails, the dead letters
 * listed by the API from the projected delivery log, then `POST /webhooks/:id/redeliver` and
 * the receiver, now up, verifying the redelivery with the secret the API returned.
 */
describe('webhooks end to end: register, dead letters, redeliver by API (real app, real broker)', () => {
  let api: ApiHarness;
  let receiver: WebhookReceiver;
  let subscriptions: SubscriptionLog;
  let dispatcher: Dispatcher;
  let producer: KafkaProducer;
  const logger = testLogger('webhooks-e2e');

  before(async () => {
    api = await ApiHarness.start();
    receiver = await WebhookReceiver.start();
    const { h } = api;
    const partitions = h.topics.conversation.partitions;
    const laterTiers = [];
    for (const tier of WEBHOOK_RETRY_TIERS.slice(1)) laterTiers.push(await freshTopic(h.kafka, `e2e-retry-${tier.label}`, { partitions, valueSchema: 'wa.webhooks.WebhookDelivery' }));
    producer = await KafkaProducer.connect(h.kafka, logger);
    subscriptions = await SubscriptionLog.start({ kafka: h.kafka, producer, codec: h.codec, topic: api.webhookSubscriptions, groupId: freshGroup('e2e-subs'), source: 'test', logger });
    dispatcher = await Dispatcher.start({
      kafka: h.kafka,
      codec: h.codec,
      box: h.box,
      subscriptions,
      topics: {
        // The harness's fresh topics do not name their schemas; the catalog's do.
        events: [
          { ...h.topics.conversation, valueSchema: 'wa.conversation.ConversationEvent' },
          { ...h.topics.account, valueSchema: 'wa.account.AccountEvent' },
          { ...h.topics.presence, valueSchema: 'wa.presence.PresenceEvent' },
        ],
        retries: [api.webhookRetry, ...laterTiers],
        dlq: await freshTopic(h.kafka, 'e2e-dlq', { partitions, valueSchema: 'wa.webhooks.WebhookDelivery' }),
        attempts: api.projected.webhookAttempts,
        deadLetters: h.topics.deadLetters,
      },
      groupId: freshGroup('e2e-webhooks'),
      logger,
      allowPrivate: true,
      timeoutMs: 2_000,
      concurrencyPerEndpoint: 4,
      // The whole schedule in about 5 s.
      retryDelayScale: 0.00005,
    });
  });

  after(async () => {
    await dispatcher?.stop();
    await subscriptions?.stop();
    await producer?.disconnect();
    await receiver?.close();
    await api?.stop();
  });

  it('a dead letter is listed by the API and redelivered with the same webhook-id', async () => {
    receiver.respond = () => 503;
    const registered = await api.call('POST', '/webhooks', { url: receiver.url, events: ['message.received'] });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const secret = String(registered.body.secret);
    const listed = await api.call('GET', '/webhooks');
    const webhookId = String((listed.body.webhooks as { id: string; url: string }[]).find((w) => w.url === receiver.url)!.id);
    await waitFor(() => subscriptions.get(webhookId) !== undefined, 'the dispatcher sees the new webhook');

    await produceConversation(producer, api.h.codec, api.h.topics.conversation, [chatMessageEvent('e2e-acc', '5511999@s.whatsapp.net', 1)]);
    const dead = await api.eventually(`/webhooks/${encodeURIComponent(webhookId)}/dead-letters`, (a) => (a.body.deadLetters as unknown[] | undefined)?.length === 1, 'the dead letter listed by the API');
    const letter = (dead.body.deadLetters as { eventId: string; attempt: number; outcome: string }[])[0]!;
    assert.deepEqual([letter.eventId, letter.attempt, letter.outcome], ['evt-e2e-acc-1', 8, 'dead']);
    const attempts = await api.call('GET', `/webhooks/${encodeURIComponent(webhookId)}/attempts?eventId=evt-e2e-acc-1`);
    assert.equal((attempts.body.attempts as unknown[]).length, 8, 'every attempt in the log');
    assert.equal(receiver.requests.length, 8);

    receiver.respond = () => 200;
    const redelivered = await api.call('POST', `/webhooks/${encodeURIComponent(webhookId)}/redeliver`, { deadLetters: true });
    assert.equal(redelivered.status, 202, JSON.stringify(redelivered.body));
    assert.equal(redelivered.body.queued, 1);
    const delivery = await waitFor(() => receiver.acknowledged()[0], 'the redelivery acknowledged');
    assert.equal(delivery.id, 'evt-e2e-acc-1', 'the same webhook-id as every earlier attempt');
    assert.ok(receiver.requests.every((r) => r.id === delivery.id));
    const verified = new Webhook(secret).verify(delivery.body, { 'webhook-id': delivery.id, 'webhook-timestamp': delivery.timestamp, 'webhook-signature': delivery.signature }) as { message: string; messageId: string };
    assert.equal(verified.message, 'message 1');
    await api.eventually(`/webhooks/${encodeURIComponent(webhookId)}/dead-letters`, (a) => (a.body.deadLetters as unknown[] | undefined)?.length === 0, 'no dead letter once delivered');
  });
});
