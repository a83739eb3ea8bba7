import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { AvroCodec } from '../../schemas/index.js';
import type { WaError } from '../../services/shared/index.js';
import { DeadLetterWriter, KafkaProducer, recordHeaders } from '../../services/shared/kafka/index.js';
import { SecretBox } from '../../services/shared/secrets/index.js';
import { partitioningKey, SubscriptionLog, type WebhookSubscriptionValue } from '../../services/shared/webhooks/index.js';
import { Dispatcher, firstDelivery } from '../../services/webhooks/index.js';
import type { WebhookEvent } from '../../services/webhooks/payloads/index.js';
import { freshGroup, testKafka, testLogger, waitFor } from '../helpers/index.js';
import { PATIENCE, assertDeadLetters, badValues, produceBad, type BadValue } from '../helpers/badRecords.js';
import { WebhookReceiver, chatMessageEvent, freshWebhookTopics, produceConversation, subscribe } from '../helpers/webhookHarness.js';

const ACCOUNT = 'dlq-webhooks';
const CHAT = '5511777@s.whatsapp.net';
const EVENT_SCHEMA = 'wa.conversation.ConversationEvent';
const DELIVERY_SCHEMA = 'wa.webhooks.WebhookDelivery';

/**
 * The webhooks role meets broken records on the event topics, on a retry topic and on the
 * subscriptions topic: it delivers what comes after them, and leaves one dead letter per broken
 * record (in the batch's transaction for the dispatcher, as it reads for the subscription table).
 */
describe('dead letters of the webhooks role (real broker, real HTTP receiver)', () => {
  const codec = AvroCodec.load();
  const box = new SecretBox(randomBytes(32));
  const logger = testLogger('webhooks');
  const fatal: WaError[] = [];
  let kafka: Kafka;
  let topics: Awaited<ReturnType<typeof freshWebhookTopics>>;
  let producer: KafkaProducer;
  let letters: DeadLetterWriter;
  let log: SubscriptionLog;
  let receiver: WebhookReceiver;
  let dispatcher: Dispatcher;

  before(async () => {
    kafka = testKafka();
    topics = await freshWebhookTopics(kafka, 2);
    producer = await KafkaProducer.connect(kafka, logger);
    letters = new DeadLetterWriter({ producer, topic: topics.deadLetters, codec, consumer: 'webhooks', logger });
    log = await SubscriptionLog.start({ kafka, producer, codec, topic: topics.subscriptions, groupId: freshGroup('dlq-subs'), source: 'test', logger, deadLetters: letters });
    await log.ready();
    receiver = await WebhookReceiver.start();
    await subscribe(log, box, { id: 'global:dlq', url: receiver.url, format: 'WILDCAT' });
    dispatcher = await Dispatcher.start({
      kafka,
      codec,
      box,
      subscriptions: log,
      topics,
      groupId: freshGroup('dlq-webhooks'),
      logger,
      allowPrivate: true,
      timeoutMs: 2_000,
      concurrencyPerEndpoint: 4,
      onFatal: (error) => fatal.push(error),
    });
  });

  after(async () => {
    await dispatcher?.stop().catch(() => undefined);
    await log?.stop();
    await letters?.settled();
    await producer?.disconnect();
    await receiver?.close();
  });

  const delivered = (eventId: string): boolean => receiver.acknowledged().some((request) => request.id === eventId);

  it('dispatcher: delivers the event after broken event records, with a letter for each in its transaction', async () => {
    const good = codec.encode(EVENT_SCHEMA, chatMessageEvent(ACCOUNT, CHAT, 1));
    const bad = await produceBad(producer, topics.events[0]!, ACCOUNT, badValues(good, codec.encode('wa.webhooks.WebhookSubscription', subscriptionValue('other'))));
    const after = chatMessageEvent(ACCOUNT, CHAT, 2, 'after the bad ones');
    await produceConversation(producer, codec, topics.events[0]!, [after]);
    await waitFor(() => delivered(String(after.eventId)), 'the good event delivered', PATIENCE);
    await assertDeadLetters(kafka, codec, topics.deadLetters, 'webhooks', topics.events[0]!, bad);
    assert.deepEqual(fatal, []);
  });

  it('dispatcher: delivers a retry after broken delivery records, with a letter for each', async () => {
    const now = Date.now();
    const delivery = (sequence: number, eventBytes?: Buffer): Buffer => {
      const bytes = codec.encode(EVENT_SCHEMA, chatMessageEvent(ACCOUNT, CHAT, sequence));
      const event = codec.decode<WebhookEvent>(bytes, EVENT_SCHEMA).value;
      const record = { topic: topics.events[0]!.name, partition: 0, offset: String(1_000 + sequence), key: ACCOUNT, value: bytes, headers: {}, timestamp: now };
      return codec.encode(DELIVERY_SCHEMA, { ...firstDelivery(record, event, 'global:dlq', now), eventBytes: eventBytes ?? bytes });
    };
    const broken: BadValue[] = [
      ...badValues(delivery(10), codec.encode(EVENT_SCHEMA, chatMessageEvent(ACCOUNT, CHAT, 11))),
      // The delivery decodes; the event it carries does not.
      { name: 'delivery of a broken event', value: delivery(12, Buffer.from('not an event')), reason: 'BAD_MAGIC' },
    ];
    const retry = topics.retries[0]!;
    const bad = await produceBad(producer, retry, ACCOUNT, broken);
    await producer.send(retry, [{ accountId: ACCOUNT, value: delivery(13), headers: recordHeaders({ id: 'retry-13', type: 'webhook.retry', source: 'test', time: now }) }]);
    await waitFor(() => delivered(`evt-${ACCOUNT}-13`), 'the good retry delivered', PATIENCE);
    await assertDeadLetters(kafka, codec, topics.deadLetters, 'webhooks', retry, bad);
    assert.deepEqual(fatal, []);
  });

  it('subscription table: keeps reading past broken subscription records, with a letter for each', async () => {
    const good = subscriptionValue('global:after');
    const key = partitioningKey(good);
    const bad = await produceBad(producer, topics.subscriptions, key, badValues(codec.encode('wa.webhooks.WebhookSubscription', good), codec.encode(EVENT_SCHEMA, chatMessageEvent(ACCOUNT, CHAT, 20))), {
      key: (_, i) => `broken-${i}`,
    });
    await log.write(good);
    assert.equal(log.get('global:after')?.url, good.url);
    await letters.settled();
    await assertDeadLetters(kafka, codec, topics.deadLetters, 'webhooks', topics.subscriptions, bad);
  });

  function subscriptionValue(id: string): WebhookSubscriptionValue {
    return {
      id,
      scope: 'GLOBAL',
      accountId: null,
      url: 'http://127.0.0.1:9/hook',
      eventTypes: ['poll.vote'],
      secret: box.seal('whsec_x', id),
      enabled: true,
      disabledReason: null,
      payloadFormat: 'WILDCAT',
      createdBy: 'test',
      createdAt: Date.now(),
      updatedAt: Date.now(),
      version: 1,
    };
  }
});
