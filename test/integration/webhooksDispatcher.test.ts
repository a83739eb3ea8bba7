import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { AvroCodec } from '../../schemas/index.js';
import type { WebhookAttempt, WebhookDelivery } from '../../projections/events/avroTypes.js';
import { KafkaProducer, recordHeaders, type ConsumedRecord } from '../../services/shared/kafka/index.js';
import { SecretBox } from '../../services/shared/secrets/index.js';
import { SubscriptionLog } from '../../services/shared/webhooks/index.js';
import { Dispatcher, type DispatcherOptions } from '../../services/webhooks/index.js';
import { sleep } from '../../services/shared/index.js';
import { ConsumedCollector, JsonLinesChild, freshGroup, testBrokers, testKafka, testLogger, waitFor } from '../helpers/index.js';
import { WebhookReceiver, chatMessageEvent, freshWebhookTopics, produceConversation, subscribe } from '../helpers/webhookHarness.js';

const PARTITIONS = 3;
const webhooksProcess = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/webhooksProcess.js');

/** One dispatcher world: fresh topics, a subscription table, receivers, and readers of the delivery log and the DLQ. */
class World {
  readonly codec = AvroCodec.load();
  readonly key = randomBytes(32);
  readonly box = new SecretBox(this.key);
  readonly logger = testLogger('webhooks');
  readonly dispatchers: Dispatcher[] = [];
  readonly receivers: WebhookReceiver[] = [];
  readonly groupId = freshGroup('webhooks');
  topics!: Awaited<ReturnType<typeof freshWebhookTopics>>;
  log!: SubscriptionLog;
  producer!: KafkaProducer;
  attempts!: ConsumedCollector;
  dead!: ConsumedCollector;

  constructor(readonly kafka: Kafka) {}

  async start(): Promise<void> {
    this.topics = await freshWebhookTopics(this.kafka, PARTITIONS);
    this.producer = await KafkaProducer.connect(this.kafka, this.logger);
    this.log = await SubscriptionLog.start({ kafka: this.kafka, producer: this.producer, codec: this.codec, topic: this.topics.subscriptions, groupId: freshGroup('wh-subs'), source: 'test', logger: this.logger });
    await this.log.ready();
    this.attempts = await ConsumedCollector.start(this.kafka, [this.topics.attempts.name]);
    this.dead = await ConsumedCollector.start(this.kafka, [this.topics.dlq.name]);
  }

  async receiver(): Promise<WebhookReceiver> {
    const receiver = await WebhookReceiver.start();
    this.receivers.push(receiver);
    return receiver;
  }

  async dispatcher(overrides: Partial<DispatcherOptions> = {}): Promise<Dispatcher> {
    const dispatcher = await Dispatcher.start({
      kafka: this.kafka,
      codec: this.codec,
      box: this.box,
      subscriptions: this.log,
      topics: this.topics,
      groupId: this.groupId,
      logger: this.logger,
      allowPrivate: true,
      timeoutMs: 2_000,
      concurrencyPerEndpoint: 4,
      sessionTimeoutMs: 6_000,
      ...overrides,
    });
    this.dispatchers.push(dispatcher);
    return dispatcher;
  }

  send(events: readonly Record<string, unknown>[]): Promise<void> {
    return produceConversation(this.producer, this.codec, this.topics.events[0]!, events);
  }

  attemptLog(): WebhookAttempt[] {
    return this.attempts.records.map((r: ConsumedRecord) => this.codec.decode<WebhookAttempt>(r.value!, 'wa.webhooks.WebhookAttempt').value);
  }

  deadLetters(): WebhookDelivery[] {
    return this.dead.records.map((r: ConsumedRecord) => this.codec.decode<WebhookDelivery>(r.value!, 'wa.webhooks.WebhookDelivery').value);
  }

  async stop(): Promise<void> {
    await Promise.all(this.dispatchers.map((dispatcher) => dispatcher.stop().catch(() => undefined)));
    await Promise.all([this.attempts?.stop(), this.dead?.stop(), this.log?.stop()]);
    await this.producer?.disconnect();
    await Promise.all(this.receivers.map((receiver) => receiver.close()));
  }
}

describe('webhooks dispatcher (real broker, real HTTP receivers)', () => {
  let kafka: Kafka;
  const worlds: World[] = [];
  const world = async (): Promise<World> => {
    const created = new World(kafka);
    worlds.push(created);
    await created.start();
    return created;
  };

  before(() => {
    kafka = testKafka();
  });
  after(async () => {
    await Promise.all(worlds.map((w) => w.stop()));
  });

  it('delivers every event to every subscription that wants it, signed so that the spec authors\' library verifies it', async () => {
    const w = await world();
    const globalHook = await w.receiver();
    const accountHook = await w.receiver();
    const otherAccountHook = await w.receiver();
    const global = await subscribe(w.log, w.box, { id: 'global:one', url: globalHook.url, format: 'WILDCAT', eventTypes: ['message.received'] });
    const account = await subscribe(w.log, w.box, { id: 'acct:acc-a', url: accountHook.url, scope: 'ACCOUNT', accountId: 'acc-a', eventTypes: ['message.*'] });
    await subscribe(w.log, w.box, { id: 'acct:acc-z', url: otherAccountHook.url, scope: 'ACCOUNT', accountId: 'acc-z' });
    const dispatcher = await w.dispatcher();

    const events = [
      ...Array.from({ length: 10 }, (_, i) => chatMessageEvent('acc-a', `5511${i % 3}@s.whatsapp.net`, i + 1)),
      ...Array.from({ length: 5 }, (_, i) => chatMessageEvent('acc-b', '5599@s.whatsapp.net', i + 1)),
    ];
    await w.send(events);

    await waitFor(() => globalHook.acknowledged().length === 15 && accountHook.acknowledged().length === 10, 'every delivery acknowledged');
    await waitFor(() => w.attemptLog().length === 25, 'one log line per attempt');
    assert.equal(otherAccountHook.requests.length, 0, 'an account subscription gets only its own account');

    for (const [receiver, secret] of [[globalHook, global.secret], [accountHook, account.secret]] as const) {
      const verifier = new Webhook(secret);
      for (const request of receiver.requests) {
        const verified = verifier.verify(request.body, { 'webhook-id': request.id, 'webhook-timestamp': request.timestamp, 'webhook-signature': request.signature }) as Record<string, unknown>;
        assert.equal(verified.eventId ?? verified.event_id ?? request.id, request.id);
        assert.match(request.id, /^evt-acc-[ab]-\d+$/, 'webhook-id is the event id');
      }
    }
    const wildcat = JSON.parse(globalHook.requests[0]!.body) as Record<string, unknown>;
    for (const field of ['from', 'message', 'messageId', 'timestamp', 'accountId', 'chatId', 'fromMe', 'type']) assert.ok(field in wildcat, `WILDCAT body has ${field}`);
    const whapi = JSON.parse(accountHook.requests[0]!.body) as Record<string, unknown>;
    assert.equal(whapi.event, 'message.received');
    assert.equal(whapi.channelId, 'acc-a');

    const log = w.attemptLog();
    assert.ok(log.every((a) => a.outcome === 'DELIVERED' && a.statusCode === 200 && a.attempt === 1));
    assert.deepEqual(new Set(log.map((a) => a.deliveryId)).size, 25);
    assert.equal(dispatcher.stats.delivered, 25);
    assert.equal(w.deadLetters().length, 0);
  });

  it('keeps a down endpoint\'s events in order per chat until it is up, while a healthy endpoint goes on', async () => {
    const w = await world();
    const down = await w.receiver();
    const healthy = await w.receiver();
    await subscribe(w.log, w.box, { id: 'global:down', url: down.url });
    await subscribe(w.log, w.box, { id: 'global:healthy', url: healthy.url });
    down.respond = () => 503;
    // 5 s → 50 ms, 5 min → 3 s: the outage spans several attempts of the same deliveries.
    await w.dispatcher({ retryDelayScale: 0.01 });

    const chats = ['111@s.whatsapp.net', '222@s.whatsapp.net', '333@g.us'];
    const events = Array.from({ length: 30 }, (_, i) => chatMessageEvent('acc-o', chats[i % 3]!, i + 1));
    await w.send(events);

    await waitFor(() => healthy.acknowledged().length === 30, 'the healthy endpoint gets everything during the outage');
    await waitFor(() => down.requests.length >= 6, 'the down endpoint was tried more than once');
    assert.equal(down.acknowledged().length, 0);
    down.respond = () => 200;
    // Fresh events of the same chats while the earlier ones still wait on the retry topics: they must wait too.
    await w.send(Array.from({ length: 15 }, (_, i) => chatMessageEvent('acc-o', chats[(30 + i) % 3]!, 31 + i)));

    await waitFor(() => new Set(down.acknowledged().map((r) => r.id)).size === 45, 'every event acknowledged once the endpoint is up', { timeoutMs: 60_000 });
    const acknowledgedIds = down.acknowledged().map((r) => r.id);
    assert.equal(acknowledgedIds.length, 45, 'each event acknowledged exactly once');
    // In order per chat: the sequences acknowledged for one chat only ever grow.
    for (const chat of chats) {
      const sequences = down.acknowledged().filter((r) => (JSON.parse(r.body) as { data: { chatId: string } }).data.chatId === chat).map((r) => Number(r.id.split('-').pop()));
      assert.equal(sequences.length, 15, `chat ${chat} got its 15 events`);
      assert.deepEqual(sequences, [...sequences].sort((a, b) => a - b), `chat ${chat} in order`);
    }
    // No later event of a chat reached the endpoint before an earlier one was acknowledged.
    const acknowledgedAt = new Map(down.acknowledged().map((r) => [r.id, r.at]));
    for (const request of down.requests) {
      const sequence = Number(request.id.split('-').pop());
      const earlier = sequence - 3;
      if (earlier < 1) continue;
      const earlierAck = acknowledgedAt.get(`evt-acc-o-${earlier}`)!;
      assert.ok(earlierAck <= request.at, `event ${sequence} was attempted after event ${earlier} of its chat was acknowledged`);
    }
    await waitFor(() => w.attemptLog().filter((a) => a.subscriptionId === 'global:down' && a.outcome === 'DELIVERED').length === 45, 'delivery log complete');
    const downLog = w.attemptLog().filter((a) => a.subscriptionId === 'global:down');
    assert.ok(downLog.some((a) => a.outcome === 'RETRYING' && a.statusCode === 503 && a.nextAttemptAt !== null), 'failed attempts logged with their status and next time');
  });

  it('a new owner rebuilds the waiting deliveries from the retry topics and keeps each chat in order', async () => {
    const w = await world();
    const down = await w.receiver();
    await subscribe(w.log, w.box, { id: 'global:handover', url: down.url });
    down.respond = () => 503;
    // 5 min → 3 s: the first owner leaves while the deliveries wait on the 5 m topic.
    const first = await w.dispatcher({ retryDelayScale: 0.01 });
    const chats = ['a@s.whatsapp.net', 'b@s.whatsapp.net', 'c@s.whatsapp.net'];
    await w.send(Array.from({ length: 9 }, (_, i) => chatMessageEvent('acc-h', chats[i % 3]!, i + 1)));
    // Each chat's first event is tried twice; the later ones wait behind it without an attempt.
    await waitFor(() => first.pendingCount() === 9 && w.attemptLog().filter((a) => a.attempt === 2).length === 3, 'nine waiting, each chat\'s head after its second attempt');
    await first.stop();

    const second = await w.dispatcher({ retryDelayScale: 0.01 });
    await waitFor(() => second.pendingCount() === 9, 'the new owner knows the nine waiting deliveries');
    down.respond = () => 200;
    await w.send(Array.from({ length: 6 }, (_, i) => chatMessageEvent('acc-h', chats[(9 + i) % 3]!, 10 + i)));
    await waitFor(() => new Set(down.acknowledged().map((r) => r.id)).size === 15, 'all fifteen acknowledged', { timeoutMs: 60_000 });
    for (const chat of chats) {
      const sequences = down.acknowledged().filter((r) => (JSON.parse(r.body) as { data: { chatId: string } }).data.chatId === chat).map((r) => Number(r.id.split('-').pop()));
      assert.deepEqual(sequences, [...sequences].sort((a, b) => a - b), `chat ${chat} in order across the handover`);
      assert.equal(sequences.length, 5);
    }
    // The receiver counts a delivery before its answer reaches the dispatcher.
    await waitFor(() => second.pendingCount() === 0, 'nothing left waiting');
  });

  it('a second member joining mid-traffic takes partitions over: every event delivered, logged once, each chat in order, neither member stops', async () => {
    const w = await world();
    const hook = await w.receiver();
    hook.delayMs = 5;
    await subscribe(w.log, w.box, { id: 'global:shared', url: hook.url });
    const first = await w.dispatcher();
    const failures: unknown[] = [];
    first.done.catch((error: unknown) => failures.push(error));
    const accounts = Array.from({ length: 6 }, (_, i) => `acc-j${i}`);
    const chats = ['1@s.whatsapp.net', '2@s.whatsapp.net'];
    const events: Record<string, unknown>[] = [];
    let sequence = 0;
    // Traffic goes on until the second member has delivered some of it, so the partitions move while batches and their writes are in hand.
    let second: Dispatcher | undefined;
    const traffic = (async () => {
      while ((second?.stats.delivered ?? 0) < 30) {
        sequence += 1;
        const round = accounts.map((account) => chatMessageEvent(account, chats[sequence % chats.length]!, sequence));
        events.push(...round);
        await w.send(round);
        await sleep(20);
      }
    })();
    await waitFor(() => hook.acknowledged().length >= 30, 'traffic under way');
    second = await w.dispatcher();
    second.done.catch((error: unknown) => failures.push(error));
    await traffic;
    const ids = new Set(events.map((event) => String(event.eventId)));
    await waitFor(() => new Set(hook.acknowledged().map((r) => r.id)).size === ids.size, 'every event delivered', { timeoutMs: 90_000 });
    // A write the old owner could not commit is repeated by the new one; one it committed is not: the log holds each delivery once.
    await waitFor(() => w.attemptLog().length >= ids.size, 'the delivery log complete');
    assert.deepEqual(w.attemptLog().map((a) => a.eventId).sort(), [...ids].sort(), 'each delivery logged exactly once');
    assert.ok(w.attemptLog().every((a) => a.outcome === 'DELIVERED'));
    const firstAck = new Map<string, number>();
    hook.acknowledged().forEach((r, i) => {
      if (!firstAck.has(r.id)) firstAck.set(r.id, i);
    });
    for (const account of accounts) {
      for (const chat of chats) {
        const positions = events.filter((e) => e.accountId === account && e.chatJid === chat).map((e) => firstAck.get(String(e.eventId))!);
        assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `${account} ${chat}: first deliveries in order`);
      }
    }
    assert.deepEqual(failures, [], 'neither member stopped');
  });

  it('writes a backlog whose retries outgrow the broker\'s 1 MB record batch, then delivers all of it', async () => {
    const w = await world();
    const hooks = [await w.receiver(), await w.receiver(), await w.receiver()];
    for (const [i, hook] of hooks.entries()) {
      await subscribe(w.log, w.box, { id: `global:big-${i}`, url: hook.url });
      hook.respond = () => 503;
    }
    // One account, one partition: 600 events of 2 KB come in one fetch, and their 1,800 retries carry them again.
    const text = 'x'.repeat(2_000);
    const events = Array.from({ length: 600 }, (_, i) => chatMessageEvent('acc-big', `9${i % 10}@s.whatsapp.net`, i + 1, text));
    for (let from = 0; from < events.length; from += 100) await w.send(events.slice(from, from + 100));
    await w.dispatcher({ retryDelayScale: 0.001 });
    await waitFor(() => w.attemptLog().filter((a) => a.outcome === 'RETRYING').length >= 30, 'the first attempts failed and were written');
    for (const hook of hooks) hook.respond = () => 200;
    await waitFor(() => hooks.every((hook) => new Set(hook.acknowledged().map((r) => r.id)).size === 600), 'all 1,800 deliveries acknowledged', { timeoutMs: 90_000 });
    for (const hook of hooks) assert.equal(hook.acknowledged().length, 600, 'each once');
  });

  it('gives up on an endpoint that always fails: dead letters after the last tier, then a redelivery reaches it with the same webhook-id', async () => {
    const w = await world();
    const failing = await w.receiver();
    await subscribe(w.log, w.box, { id: 'global:failing', url: failing.url });
    failing.respond = () => 500;
    // The whole schedule (5 s ... 10 h, 10 h, about 28 h) in about 5 s per delivery.
    await w.dispatcher({ retryDelayScale: 0.00005 });
    await w.send([chatMessageEvent('acc-d', '1@s.whatsapp.net', 1), chatMessageEvent('acc-d', '2@s.whatsapp.net', 2)]);

    await waitFor(() => w.deadLetters().length === 2, 'both deliveries dead', { timeoutMs: 60_000 });
    const dead = w.deadLetters();
    assert.deepEqual(dead.map((d) => d.eventId).sort(), ['evt-acc-d-1', 'evt-acc-d-2']);
    for (const letter of dead) {
      assert.equal(letter.attempt, 8, 'eight attempts: the first and one per step of the schedule');
      assert.equal(letter.lastStatusCode, 500);
      assert.equal(letter.lastError, 'HTTP 500');
    }
    await waitFor(() => w.attemptLog().filter((a) => a.outcome === 'DEAD').length === 2, 'the last attempts logged as dead');
    const firstLog = w.attemptLog().filter((a) => a.eventId === 'evt-acc-d-1');
    assert.deepEqual(firstLog.map((a) => a.attempt), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(firstLog.map((a) => a.outcome), ['RETRYING', 'RETRYING', 'RETRYING', 'RETRYING', 'RETRYING', 'RETRYING', 'RETRYING', 'DEAD']);

    // A redelivery (what the API queues): the dead letter again, as a first attempt, on the first tier.
    failing.respond = () => 204;
    const letter = dead.find((d) => d.eventId === 'evt-acc-d-1')!;
    const now = Date.now();
    await w.producer.send(w.topics.retries[0]!, [
      {
        accountId: letter.accountId,
        value: w.codec.encode('wa.webhooks.WebhookDelivery', { ...letter, attempt: 1, firstAttemptAt: now, lastAttemptAt: null, notBefore: now, lastStatusCode: null, lastError: null }),
        headers: recordHeaders({ id: letter.deliveryId, type: 'webhook.redelivery', source: 'test', time: now }),
      },
    ]);
    await waitFor(() => failing.acknowledged().length === 1, 'the redelivery acknowledged');
    assert.equal(failing.acknowledged()[0]!.id, 'evt-acc-d-1');
    assert.equal(failing.requests.filter((r) => r.id === 'evt-acc-d-1').length, 9, 'eight failed attempts, then the redelivery');
  });

  it('disables a subscription whose endpoint answers 410 Gone, and delivers nothing more to it', async () => {
    const w = await world();
    const gone = await w.receiver();
    await subscribe(w.log, w.box, { id: 'global:gone', url: gone.url });
    gone.respond = () => 410;
    await w.dispatcher();
    await w.send([chatMessageEvent('acc-g', '1@s.whatsapp.net', 1)]);
    await waitFor(() => w.log.get('global:gone')?.enabled === false, 'subscription disabled');
    assert.equal(w.log.get('global:gone')!.disabledReason, '410 Gone from endpoint');
    await waitFor(() => w.attemptLog().some((a) => a.outcome === 'GONE'), 'the attempt logged as GONE');
    await waitFor(() => w.deadLetters().length === 1, 'the delivery is a dead letter');

    await w.send([chatMessageEvent('acc-g', '1@s.whatsapp.net', 2)]);
    // A healthy subscription created after it proves the second event went through the dispatcher.
    const witness = await w.receiver();
    await subscribe(w.log, w.box, { id: 'global:witness', url: witness.url });
    await w.send([chatMessageEvent('acc-g', '1@s.whatsapp.net', 3)]);
    await waitFor(() => witness.acknowledged().length === 1, 'a later event delivered elsewhere');
    assert.equal(gone.requests.length, 1, 'the disabled endpoint got nothing more');
  });

  it('disables an endpoint that has failed for five days, says why, and sends what waited to the dead letters', async () => {
    const w = await world();
    const broken = await w.receiver();
    await subscribe(w.log, w.box, { id: 'global:broken', url: broken.url });
    broken.respond = () => 500;
    let shift = 0;
    await w.dispatcher({ retryDelayScale: 0.00005, now: () => Date.now() + shift });
    await w.send(Array.from({ length: 12 }, (_, i) => chatMessageEvent('acc-f', `8${i}@s.whatsapp.net`, i + 1)));
    await waitFor(() => w.attemptLog().filter((a) => a.outcome === 'RETRYING').length >= 12, 'twelve failures in a row');
    assert.equal(w.log.get('global:broken')!.enabled, true, 'not disabled within the first minutes');
    shift = 5 * 24 * 3_600_000;
    await waitFor(() => w.log.get('global:broken')?.enabled === false, 'disabled after five days of failures');
    assert.match(w.log.get('global:broken')!.disabledReason ?? '', /^failing since \d{4}-\d\d-\d\dT.* \(\d+ failures in a row\)$/);
    await waitFor(() => w.deadLetters().length === 12, 'every waiting delivery is a dead letter').catch((error: unknown) => {
      throw new Error(`${String(error)}: ${w.deadLetters().length} dead; log ${JSON.stringify(w.attemptLog().map((a) => [a.eventId, a.attempt, a.outcome]))}`);
    });
    // The attempt log is read by a consumer of its own: it may lag the dead letters written in the same transaction.
    await waitFor(() => w.attemptLog().filter((a) => a.outcome === 'DISABLED' || a.outcome === 'DEAD').length >= 12, 'every final attempt in the log');
    const outcomes = w.attemptLog().map((a) => a.outcome);
    assert.equal(outcomes.filter((o) => o === 'DISABLED').length, 1, 'one attempt disabled it');
    assert.equal(outcomes.filter((o) => o === 'DEAD').length, 11, 'the others died with it');
    assert.ok(w.attemptLog().filter((a) => a.outcome === 'DEAD').every((a) => a.error?.startsWith('subscription disabled: failing since')));
  });

  it('loses nothing when the webhooks process is killed mid-burst: a duplicate carries the same webhook-id, and each chat stays in order', async () => {
    const w = await world();
    const hook = await w.receiver();
    hook.delayMs = 15;
    await subscribe(w.log, w.box, { id: 'global:burst', url: hook.url });
    const env = { KAFKA_BROKERS: testBrokers().join(','), GROUP: w.groupId, TOPICS: JSON.stringify(w.topics), SESSION_KEY: w.key.toString('hex') };
    const doomed = JsonLinesChild.node(webhooksProcess, env);
    const children = [doomed];
    try {
      await waitFor(() => doomed.events('running').length > 0, 'first webhooks process running');
      const chats = Array.from({ length: 8 }, (_, i) => `77${i}@s.whatsapp.net`);
      const events = Array.from({ length: 240 }, (_, i) => chatMessageEvent('acc-k', chats[i % chats.length]!, i + 1));
      await w.send(events);
      await waitFor(() => hook.acknowledged().length >= 40, 'the burst under way', { intervalMs: 5 });
      doomed.child.kill('SIGKILL');
      const exit = await doomed.exited;
      assert.equal(exit.signal, 'SIGKILL');
      const before = new Set(hook.acknowledged().map((r) => r.id)).size;
      assert.ok(before < 240, `killed mid-burst (${before} of 240 delivered)`);

      const successor = JsonLinesChild.node(webhooksProcess, env);
      children.push(successor);
      await waitFor(() => new Set(hook.acknowledged().map((r) => r.id)).size === 240, 'every event delivered after the restart', { timeoutMs: 90_000 });
      for (const request of hook.requests) {
        const body = JSON.parse(request.body) as { eventId: string };
        assert.equal(body.eventId, request.id, 'a delivery, first or repeated, carries its event id as webhook-id');
      }
      const firstAck = new Map<string, number>();
      hook.acknowledged().forEach((r, i) => {
        if (!firstAck.has(r.id)) firstAck.set(r.id, i);
      });
      for (const chat of chats) {
        const sequences = events.filter((e) => e.chatJid === chat).map((e) => Number(String(e.eventId).split('-').pop()));
        const positions = sequences.map((n) => firstAck.get(`evt-acc-k-${n}`)!);
        assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `chat ${chat}: first deliveries in order`);
      }
      const duplicates = hook.acknowledged().length - 240;
      assert.ok(duplicates >= 0);
    } finally {
      for (const child of children) {
        child.child.kill('SIGKILL');
        await child.exited;
      }
    }
  });
});
