import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Avro } from '../../projections/events/index.js';
import { EventFactory, type Value } from '../../projections/readModels/testing/index.js';
import type { WebhookView } from '../../services/api/index.js';
import { KafkaWebhookRedelivery, REDELIVERY_TYPE } from '../../services/api/webhooks/index.js';
import { WaError } from '../../services/shared/index.js';
import { HEADER, KafkaProducer, partitionForAccount, recordHeaders, type ConsumedRecord, type TopicSpec } from '../../services/shared/kafka/index.js';
import { globalSubscriptionId } from '../../services/shared/webhooks/index.js';
import { ApiHarness, ConsumedCollector, assertFields, testLogger, waitFor, type ApiAnswer } from '../helpers/index.js';

const DELIVERY = 'wa.webhooks.WebhookDelivery';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const ATTEMPT_FIELDS = {
  attemptId: 'string',
  deliveryId: 'string',
  eventId: 'string',
  eventType: 'string',
  accountId: 'string',
  chatId: 'jid|null',
  attempt: 'integer',
  outcome: 'string',
  statusCode: 'integer|null',
  latencyMs: 'integer',
  error: 'string|null',
  attemptedAt: 'date',
  nextAttemptAt: 'date|null',
};

/** An event record as produced: where it is and its exact bytes. */
interface Produced {
  eventId: string;
  type: string;
  accountId: string;
  topic: string;
  partition: number;
  offset: number;
  bytes: Buffer;
  traceparent: string | null;
}

/**
 * The delivery log and redelivery by API on the real broker: events and `WebhookAttempt`
 * records are produced as the connector and the dispatcher write them, the projector fills
 * PGlite, and the API's redeliveries are read back from the first retry tier.
 */
describe('webhook delivery log and redelivery (real app, real broker, projector into PGlite)', () => {
  let api: ApiHarness;
  let producer: KafkaProducer;
  let retry: ConsumedCollector;
  const acme = new EventFactory('acme');
  const globex = new EventFactory('globex');
  const HOOK_URL = 'http://127.0.0.1:9/hooks/all';
  const GLOBAL = globalSubscriptionId(HOOK_URL);
  const ACME = 'acct:acme';
  const now = Date.now();
  /** Kafka timestamps: an old event, then two groups of recent ones. */
  const OLD = now - 2 * 3_600_000;
  const T1 = now - 60_000;
  const T2 = now - 30_000;
  const events = new Map<string, Produced>();

  async function produceEvent(name: string, topic: TopicSpec, schema: string, value: Value, timestamp: number, traceparent: string | null = null): Promise<Produced> {
    const bytes = acme.codec.encode(schema, value);
    const headers = recordHeaders({ id: value.eventId as string, type: value.type as string, source: 'test', time: timestamp });
    if (traceparent !== null) headers[HEADER.traceparent] = traceparent;
    else delete headers[HEADER.traceparent];
    const [meta] = await producer.send(topic, [{ accountId: value.accountId as string, value: bytes, headers, timestamp }]);
    const produced = {
      eventId: value.eventId as string,
      type: value.type as string,
      accountId: value.accountId as string,
      topic: topic.name,
      partition: meta!.partition,
      offset: Number(meta!.baseOffset ?? meta!.offset),
      bytes,
      traceparent,
    };
    events.set(name, produced);
    return produced;
  }

  async function produceAttempt(event: Produced, subscriptionId: string, attempt: number, outcome: Avro.AttemptOutcome, at: number, coordinates: Partial<Pick<Produced, 'offset'>> = {}): Promise<void> {
    const value = acme.webhookAttemptValue(event.eventId, subscriptionId, attempt, {
      attemptId: `${event.eventId}.${subscriptionId}#${attempt}@${at}`,
      eventType: event.type,
      accountId: event.accountId,
      outcome,
      statusCode: outcome === 'DELIVERED' ? 200 : outcome === 'GONE' ? 410 : 500,
      error: outcome === 'DELIVERED' ? null : `HTTP ${outcome === 'GONE' ? 410 : 500}`,
      attemptedAt: at,
      nextAttemptAt: outcome === 'RETRYING' ? at + 5_000 : null,
      sourceTopic: event.topic,
      sourcePartition: event.partition,
      sourceOffset: coordinates.offset ?? event.offset,
    });
    await producer.send(api.projected.webhookAttempts, [
      { accountId: event.accountId, value: acme.codec.encode('wa.webhooks.WebhookAttempt', value), headers: recordHeaders({ id: value.attemptId as string, type: 'webhook.attempt', source: 'test', time: at }) },
    ]);
  }

  async function call(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    return api.call(method, path, body);
  }

  /** The retry records from `from` on, once there are `count` of them, by delivery id. */
  async function queued(from: number, count: number): Promise<Map<string, { record: ConsumedRecord; delivery: Avro.WebhookDelivery }>> {
    await retry.waitForCount(from + count);
    const records = retry.records.slice(from);
    const byId = new Map(records.map((record) => [record.headers[HEADER.id]!, { record, delivery: acme.codec.decode<Avro.WebhookDelivery>(record.value!, DELIVERY).value }]));
    assert.equal(byId.size, records.length, 'one record per delivery');
    return byId;
  }

  /** Asserts a queued redelivery is the event's, exactly: ids, coordinates, bytes, trace, attempt 1 due now. */
  function assertRedelivery(found: { record: ConsumedRecord; delivery: Avro.WebhookDelivery } | undefined, event: Produced, subscriptionId: string, asked: number): void {
    assert.ok(found, `${event.eventId} was queued for ${subscriptionId}`);
    const { record, delivery } = found;
    assert.equal(record.key, event.accountId);
    assert.equal(record.partition, partitionForAccount(event.accountId, api.webhookRetry.partitions));
    assert.equal(record.headers[HEADER.type], REDELIVERY_TYPE);
    assert.equal(record.headers[HEADER.id], `${event.eventId}.${subscriptionId}`);
    assert.equal(record.headers[HEADER.source], 'wa-backbone/api');
    assert.equal(delivery.deliveryId, `${event.eventId}.${subscriptionId}`);
    assert.equal(delivery.subscriptionId, subscriptionId);
    assert.equal(delivery.eventId, event.eventId);
    assert.equal(delivery.eventType, event.type);
    assert.equal(delivery.accountId, event.accountId);
    assert.deepEqual([delivery.sourceTopic, delivery.sourcePartition, delivery.sourceOffset], [event.topic, event.partition, event.offset]);
    assert.ok(Buffer.from(delivery.eventBytes).equals(event.bytes), 'the event bytes exactly as on the topic');
    assert.equal(delivery.traceparent, event.traceparent);
    assert.equal(delivery.attempt, 1);
    assert.equal(delivery.lastAttemptAt, null);
    assert.equal(delivery.lastStatusCode, null);
    assert.equal(delivery.lastError, null);
    assert.equal(delivery.firstAttemptAt, delivery.notBefore);
    assert.ok(delivery.notBefore >= asked && delivery.notBefore <= Date.now(), 'due now');
  }

  function subscription(id: string, overrides: Partial<WebhookView> = {}): WebhookView {
    return { id, scope: 'ACCOUNT', accountId: 'acme', url: 'http://127.0.0.1:9/x', events: ['message.*', 'connection.state'], enabled: true, disabledReason: null, createdAt: now, updatedAt: now, ...overrides };
  }

  before(async () => {
    api = await ApiHarness.start({ partitions: 4 });
    producer = await KafkaProducer.connect(api.h.kafka, testLogger());
    retry = await ConsumedCollector.start(api.h.kafka, [api.webhookRetry.name]);
    const { conversation, account } = api.h.topics;
    const CONVERSATION = 'wa.conversation.ConversationEvent';
    await produceEvent('old', conversation, CONVERSATION, acme.messageEnvelope({ id: 'OLD1', at: OLD }), OLD);
    await produceEvent('e1', conversation, CONVERSATION, acme.messageEnvelope({ id: 'E1', at: T1 }), T1, TRACEPARENT);
    await produceEvent('e2', conversation, CONVERSATION, acme.messageEnvelope({ id: 'E2', type: 'message.sent', at: T1 }), T1);
    await produceEvent('e3', conversation, CONVERSATION, acme.messageEnvelope({ id: 'E3', at: T2 }), T2);
    await produceEvent('e4', conversation, CONVERSATION, acme.messageEnvelope({ id: 'E4', at: T2 }), T2);
    await produceEvent('c1', account, 'wa.account.AccountEvent', acme.envelope('connection.state', 'wa.account.ConnectionStateChanged', { state: 'CONNECTED', connectionId: 'c1' }, { at: T2 }), T2);
    await produceEvent('g1', conversation, CONVERSATION, globex.messageEnvelope({ id: 'G1', at: T2 }), T2);

    // The subscriptions: the channel's own (messages and connection state), and a global one (WILDCAT's default: messages in and out).
    const put = await call('PUT', '/channels/acme/webhook', { url: 'http://127.0.0.1:9/hooks/acme', events: ['message.*', 'connection.state'] });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await call('POST', '/webhooks', { url: HOOK_URL })).status, 201);

    // The delivery log, as the dispatcher writes it.
    const e = (name: string): Produced => events.get(name)!;
    await produceAttempt(e('e1'), ACME, 1, 'DELIVERED', now - 50_000);
    await produceAttempt(e('e2'), ACME, 1, 'RETRYING', now - 49_000);
    await produceAttempt(e('e2'), ACME, 2, 'DEAD', now - 44_000);
    await produceAttempt(e('e3'), ACME, 1, 'GONE', now - 20_000);
    await produceAttempt(e('e4'), ACME, 1, 'DEAD', now - 19_000);
    await produceAttempt(e('e4'), ACME, 2, 'DELIVERED', now - 10_000);
    // A dead letter whose event the topic no longer holds (here: an offset never written).
    await produceAttempt({ ...e('old'), eventId: 'gone-event' }, ACME, 1, 'DEAD', now - 5_000, { offset: 1_000_000 });
    await produceAttempt(e('g1'), GLOBAL, 1, 'DELIVERED', now - 15_000);
    await api.eventually(`/webhooks/${ACME}/attempts`, (answer) => answer.body.total === 7, 'the delivery log in the read models');
    await api.eventually(`/webhooks/${GLOBAL}/attempts`, (answer) => answer.body.total === 1, 'the global webhook’s log');
  });

  after(async () => {
    await retry?.stop();
    await producer?.disconnect();
    await api?.stop();
  });

  it('lists the attempts newest first, with their outcomes, filtered by event or outcome, in both envelopes', async () => {
    const all = await call('GET', `/webhooks/${ACME}/attempts`);
    assert.equal(all.status, 200);
    assert.equal(all.body.ok, true);
    assert.equal(all.body.nextCursor, null);
    for (const attempt of all.body.attempts) assertFields(attempt, ATTEMPT_FIELDS, 'attempt');
    assert.deepEqual(
      all.body.attempts.map((a: Value) => `${a.eventId as string}#${a.attempt as number}:${a.outcome as string}`),
      [
        'gone-event#1:dead',
        `${events.get('e4')!.eventId}#2:delivered`,
        `${events.get('e4')!.eventId}#1:dead`,
        `${events.get('e3')!.eventId}#1:gone`,
        `${events.get('e2')!.eventId}#2:dead`,
        `${events.get('e2')!.eventId}#1:retrying`,
        `${events.get('e1')!.eventId}#1:delivered`,
      ],
    );
    const retrying = all.body.attempts[5];
    assert.equal(retrying.nextAttemptAt, new Date(now - 49_000 + 5_000).toISOString());
    assert.equal(retrying.statusCode, 500);
    assert.equal(retrying.error, 'HTTP 500');

    const page = await call('GET', `/webhooks/${ACME}/attempts?limit=3`);
    assert.equal(page.body.attempts.length, 3);
    assert.equal(page.body.nextCursor, '3');
    const next = await call('GET', `/webhooks/${ACME}/attempts?limit=3&cursor=3`);
    assert.deepEqual(next.body.attempts, all.body.attempts.slice(3, 6));

    const dead = await call('GET', `/channels/acme/webhook/attempts?outcome=dead`);
    assert.equal(dead.status, 200);
    assert.equal(dead.body.success, true);
    assert.deepEqual(dead.body.data.attempts.map((a: Value) => a.eventId), ['gone-event', events.get('e4')!.eventId, events.get('e2')!.eventId]);
    const one = await call('GET', `/channels/acme/webhook/attempts?eventId=${events.get('e2')!.eventId}`);
    assert.deepEqual(one.body.data.attempts.map((a: Value) => a.attempt), [2, 1]);
  });

  it('lists the dead letters: per delivery its last attempt, when that one gave up', async () => {
    const dead = await call('GET', `/webhooks/${ACME}/dead-letters`);
    assert.equal(dead.status, 200);
    assert.deepEqual(dead.body.deadLetters.map((a: Value) => `${a.eventId as string}:${a.outcome as string}`), ['gone-event:dead', `${events.get('e3')!.eventId}:gone`, `${events.get('e2')!.eventId}:dead`]);
    assert.equal(dead.body.total, 3);
    const whapi = await call('GET', '/channels/acme/webhook/dead-letters');
    assert.deepEqual(whapi.body.data.deadLetters, dead.body.deadLetters);
  });

  it('redelivers one event: its record exactly, under the same delivery id', async () => {
    const asked = Date.now();
    const answer = await call('POST', '/channels/acme/webhook/redeliver', { eventId: events.get('e1')!.eventId });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, { success: true, data: { queued: 1, missing: 0 } });
    const found = await queued(0, 1);
    assertRedelivery(found.get(`${events.get('e1')!.eventId}.${ACME}`), events.get('e1')!, ACME, asked);
  });

  it('redelivers the dead letters; one whose event is gone is counted as missing', async () => {
    const from = retry.records.length;
    const asked = Date.now();
    const answer = await call('POST', `/webhooks/${ACME}/redeliver`, { deadLetters: true });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, { ok: true, queued: 2, missing: 1 });
    const found = await queued(from, 2);
    assert.equal(found.size, 2);
    assertRedelivery(found.get(`${events.get('e2')!.eventId}.${ACME}`), events.get('e2')!, ACME, asked);
    assertRedelivery(found.get(`${events.get('e3')!.eventId}.${ACME}`), events.get('e3')!, ACME, asked);
  });

  it('redelivers everything since a time that the webhook gets: its account and event types only, up to until', async () => {
    let from = retry.records.length;
    let asked = Date.now();
    const own = await call('POST', `/webhooks/${ACME}/redeliver`, { since: new Date(T1 - 1_000).toISOString() });
    assert.equal(own.status, 202, JSON.stringify(own.body));
    assert.deepEqual(own.body, { ok: true, queued: 5, missing: 0 }, 'e1 to e4 and the connection state; not the old event, not globex’s');
    let found = await queued(from, 5);
    for (const name of ['e1', 'e2', 'e3', 'e4', 'c1']) assertRedelivery(found.get(`${events.get(name)!.eventId}.${ACME}`), events.get(name)!, ACME, asked);

    from = retry.records.length;
    asked = Date.now();
    const global = await call('POST', `/webhooks/${GLOBAL}/redeliver`, { since: T1 - 1_000, until: new Date(T2 - 1_000).toISOString() });
    assert.equal(global.status, 202, JSON.stringify(global.body));
    assert.deepEqual(global.body, { ok: true, queued: 2, missing: 0 }, 'the messages of every account before until: e1 and e2');
    found = await queued(from, 2);
    for (const name of ['e1', 'e2']) assertRedelivery(found.get(`${events.get(name)!.eventId}.${GLOBAL}`), events.get(name)!, GLOBAL, asked);

    from = retry.records.length;
    asked = Date.now();
    const later = await call('POST', `/webhooks/${GLOBAL}/redeliver`, { since: T2 - 1_000 });
    assert.deepEqual(later.body, { ok: true, queued: 3, missing: 0 }, 'e3, e4 and globex’s message; the connection state is not a message');
    found = await queued(from, 3);
    for (const name of ['e3', 'e4', 'g1']) assertRedelivery(found.get(`${events.get(name)!.eventId}.${GLOBAL}`), events.get(name)!, GLOBAL, asked);
  });

  it('caps what one request may queue, and runs one redelivery per webhook at a time', async () => {
    const capped = new KafkaWebhookRedelivery({
      kafka: api.h.kafka,
      producer,
      codec: acme.codec,
      topics: { conversation: api.h.topics.conversation, account: api.h.topics.account, presence: api.h.topics.presence, retry: api.webhookRetry },
      reads: api.services.reads,
      instanceId: 'cap-test',
      logger: testLogger('api'),
      maxDeliveries: 2,
    });
    const webhook = subscription(ACME);
    const first = capped.redeliver(webhook, { kind: 'since', since: T1 - 1_000, until: null });
    await assert.rejects(capped.redeliver(webhook, { kind: 'deadLetters' }), (error: unknown) => error instanceof WaError && error.code === 'CONFLICT');
    await assert.rejects(first, (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'since' && error.details?.['count'] === 5);
    await assert.rejects(capped.redeliver(webhook, { kind: 'deadLetters' }), (error: unknown) => error instanceof WaError && error.field === 'deadLetters' && /more than 2/.test(error.message));

    // Nothing was queued by the refused requests: the next one's records follow directly.
    const from = retry.records.length;
    assert.deepEqual(await capped.redeliver(webhook, { kind: 'event', eventId: events.get('e4')!.eventId }), { queued: 1, missing: 0 });
    const found = await queued(from, 1);
    assert.deepEqual([...found.keys()], [`${events.get('e4')!.eventId}.${ACME}`]);
    assert.equal(retry.records.length, from + 1);
  });

  it('404 for an event never delivered to the webhook or no longer on its topic; 409 once the webhook is disabled', async () => {
    const never = await call('POST', `/webhooks/${ACME}/redeliver`, { eventId: events.get('g1')!.eventId });
    assert.equal(never.status, 404);
    assert.equal(never.body.field, 'eventId');
    const gone = await call('POST', '/channels/acme/webhook/redeliver', { eventId: 'gone-event' });
    assert.equal(gone.status, 404);
    assert.match(gone.body.error.message, /no longer on/);
    const unknown = await call('POST', '/webhooks/global:0123/redeliver', { deadLetters: true });
    assert.equal(unknown.status, 404);

    const disabled = await call('PUT', '/channels/acme/webhook', { url: 'http://127.0.0.1:9/hooks/acme', events: ['message.*'], enabled: false });
    assert.equal(disabled.status, 200);
    const refused = await call('POST', '/channels/acme/webhook/redeliver', { deadLetters: true });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'CONFLICT');
    assert.equal((await call('GET', '/channels/acme/webhook/attempts')).body.data.total, 7, 'the log stays readable');
    // Every record on the retry tier came from the requests above, none from a refused one.
    await waitFor(() => retry.records.length === 1 + 2 + 5 + 2 + 3 + 1, `the retry tier holds ${retry.records.length} records`);
  });
});
