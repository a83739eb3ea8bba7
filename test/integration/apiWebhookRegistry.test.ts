import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { AvroCodec } from '../../schemas/index.js';
import { KafkaWebhookRegistry, type KafkaWebhookRegistryOptions } from '../../services/api/webhooks/index.js';
import type { WebhookSubscriptionValue } from '../../services/shared/webhooks/index.js';
import { WaError } from '../../services/shared/index.js';
import { partitionForAccount, partitionForKey, type TopicSpec } from '../../services/shared/kafka/index.js';
import { SecretBox } from '../../services/shared/secrets/index.js';
import { ConsumedCollector, freshTopic, testKafka, testLogger, waitFor } from '../helpers/index.js';

/**
 * Webhook subscriptions on a fresh compacted topic of the real broker: what the API writes,
 * what every instance reads back, and that secrets exist on Kafka only sealed.
 */
describe('KafkaWebhookRegistry (real broker)', () => {
  const codec = AvroCodec.load();
  const box = new SecretBox(randomBytes(32));
  let kafka: Kafka;
  let topic: TopicSpec;
  let records: ConsumedCollector;
  let registry: KafkaWebhookRegistry;
  const registries: KafkaWebhookRegistry[] = [];
  /** Every secret handed out or given, to prove none is on the topic in clear. */
  const secrets: string[] = [];

  async function start(options: Partial<KafkaWebhookRegistryOptions> = {}): Promise<KafkaWebhookRegistry> {
    const started = await KafkaWebhookRegistry.start({ kafka, codec, topic, box, instanceId: `hooks-${randomUUID()}`, logger: testLogger('api'), ...options });
    registries.push(started);
    return started;
  }

  /** The latest record of a key on the topic (undefined value = tombstone). */
  async function lastRecordOf(id: string, count: (n: number) => boolean = (n) => n > 0) {
    const found = await waitFor(() => {
      const all = records.records.filter((r) => r.key === id);
      return count(all.length) ? all : null;
    }, `records of ${id}`);
    return found.at(-1)!;
  }

  function sealedSecretOf(value: Buffer): string {
    const decoded = codec.decode<WebhookSubscriptionValue>(value, 'wa.webhooks.WebhookSubscription').value;
    return box.open(decoded.secret, decoded.id).toString('utf8');
  }

  const invalidUrl = (error: unknown): boolean => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'url';

  before(async () => {
    kafka = testKafka();
    topic = await freshTopic(kafka, 'webhooks', { partitions: 3, cleanup: 'compact', key: 'entry' });
    records = await ConsumedCollector.start(kafka, [topic.name]);
    registry = await start();
  });

  after(async () => {
    for (const r of registries) await r.stop();
    await records?.stop();
    // No record ever carried a secret in clear.
    assert.ok((records?.records.length ?? 0) >= 8, 'the records were read');
    for (const record of records?.records ?? []) {
      for (const secret of secrets) assert.equal(record.value?.includes(Buffer.from(secret)) ?? false, false, `record ${record.key}@${record.offset} holds a secret in clear`);
    }
  });

  it('registers a GLOBAL webhook once: the second registration of the URL is not created again', async () => {
    const first = await registry.registerGlobal({ url: 'https://hooks.example.com/wa', secret: null, events: null, requestedBy: 'admin' });
    assert.equal(first.created, true);
    assert.match(first.secret ?? '', /^whsec_[A-Za-z0-9+/]{32}$/, 'the generated secret, shown once');
    secrets.push(first.secret!);
    assert.equal(first.webhook.scope, 'GLOBAL');
    assert.deepEqual(first.webhook.events, ['message.received', 'message.sent']);
    assert.equal(first.webhook.enabled, true);

    const again = await registry.registerGlobal({ url: 'https://hooks.example.com/wa', secret: 'whsec_other', events: ['message.received'], requestedBy: 'admin' });
    assert.equal(again.created, false);
    assert.equal(again.secret, null, 'never shown again');
    assert.deepEqual(again.webhook, first.webhook, 'unchanged');

    const record = await lastRecordOf(first.webhook.id);
    assert.equal(records.records.filter((r) => r.key === first.webhook.id).length, 1, 'the second registration wrote nothing');
    assert.equal(record.partition, partitionForKey(first.webhook.id, topic.partitions));
    assert.equal(sealedSecretOf(record.value!), first.secret, 'the sealed secret opens to the one handed out');
    const value = codec.decode<WebhookSubscriptionValue>(record.value!, 'wa.webhooks.WebhookSubscription').value;
    assert.equal(value.payloadFormat, 'WILDCAT');
    assert.equal(value.version, 1);
    assert.equal(value.createdBy, 'admin');
  });

  it('serialises concurrent registrations of one URL: exactly one is created', async () => {
    const url = `https://hooks.example.com/race-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 4 }, () => registry.registerGlobal({ url, secret: 'whsec_race-secret-1234', events: [], requestedBy: 'admin' })));
    secrets.push('whsec_race-secret-1234');
    assert.deepEqual(results.map((r) => r.created).sort(), [false, false, false, true]);
    assert.ok(results.every((r) => r.secret === null), 'a secret the client gave is not echoed');
    assert.deepEqual(results[0]!.webhook.events, [], 'empty = every event');
    assert.equal(sealedSecretOf((await lastRecordOf(results[0]!.webhook.id)).value!), 'whsec_race-secret-1234');
  });

  it('refuses non-http(s) and private URLs unless private ones are allowed', async () => {
    for (const url of ['ftp://hooks.example.com/x', 'http://127.0.0.1:9/x', 'http://[::1]/x', 'http://localhost/x', 'http://169.254.169.254/x', 'nope']) {
      await assert.rejects(registry.registerGlobal({ url, secret: null, events: null, requestedBy: 'admin' }), invalidUrl, url);
      await assert.rejects(registry.putForAccount('acct-x', { url, events: [], secret: null, enabled: true, requestedBy: 'admin' }), invalidUrl, url);
    }
    const open = await start({ allowPrivate: true });
    const local = await open.registerGlobal({ url: 'http://127.0.0.1:9/x', secret: null, events: null, requestedBy: 'admin' });
    secrets.push(local.secret!);
    assert.equal(local.created, true);
  });

  it("puts an account's webhook: created, then replaced with its version, creation and secret kept", async () => {
    const accountId = 'shop-7';
    assert.equal(await registry.forAccount(accountId), null);
    const created = await registry.putForAccount(accountId, { url: 'https://shop.example/hook', events: ['message.received'], secret: null, enabled: true, requestedBy: 'key-7' });
    secrets.push(created.secret!);
    assert.equal(created.webhook.id, `acct:${accountId}`);
    assert.equal(created.webhook.scope, 'ACCOUNT');
    assert.equal(created.webhook.accountId, accountId);
    assert.match(created.secret ?? '', /^whsec_/);
    assert.deepEqual(await registry.forAccount(accountId), created.webhook, 'read your own write at once');

    const replaced = await registry.putForAccount(accountId, { url: 'https://shop.example/hook2', events: ['message.sent'], secret: null, enabled: false, requestedBy: 'admin' });
    assert.equal(replaced.secret, null, 'the secret is kept, so not shown');
    assert.equal(replaced.webhook.url, 'https://shop.example/hook2');
    assert.deepEqual(replaced.webhook.events, ['message.sent']);
    assert.equal(replaced.webhook.enabled, false);
    assert.equal(replaced.webhook.disabledReason, 'disabled by API');
    assert.equal(replaced.webhook.createdAt, created.webhook.createdAt);

    const record = await lastRecordOf(`acct:${accountId}`, (n) => n >= 2);
    assert.equal(record.partition, partitionForAccount(accountId, topic.partitions), 'on the account partition');
    const value = codec.decode<WebhookSubscriptionValue>(record.value!, 'wa.webhooks.WebhookSubscription').value;
    assert.equal(value.version, 2);
    assert.equal(value.payloadFormat, 'WHAPI');
    assert.equal(value.createdBy, 'key-7');
    assert.equal(sealedSecretOf(record.value!), created.secret);

    const rotated = await registry.putForAccount(accountId, { url: 'https://shop.example/hook2', events: [], secret: 'whsec_rotated-by-client', enabled: true, requestedBy: 'admin' });
    secrets.push('whsec_rotated-by-client');
    assert.equal(rotated.secret, null);
    assert.equal(sealedSecretOf((await lastRecordOf(`acct:${accountId}`, (n) => n >= 3)).value!), 'whsec_rotated-by-client');
    assert.deepEqual(
      (await registry.list({ accountId })).map((w) => w.id),
      [`acct:${accountId}`],
    );
  });

  it('another instance reads the same table, and each sees the other one’s writes', async () => {
    const second = await start();
    assert.deepEqual(await second.list(), await registry.list());
    const put = await second.putForAccount('shop-8', { url: 'https://shop8.example/hook', events: [], secret: null, enabled: true, requestedBy: 'admin' });
    secrets.push(put.secret!);
    const seen = await waitFor(() => registry.forAccount('shop-8'), 'the first instance to read the second one’s write');
    assert.deepEqual(seen, put.webhook);
  });

  it('deletes by tombstone; every instance drops it; unknown ids are false', async () => {
    const second = await start();
    const hook = await registry.putForAccount('shop-9', { url: 'https://shop9.example/hook', events: [], secret: null, enabled: true, requestedBy: 'admin' });
    secrets.push(hook.secret!);
    await waitFor(() => second.forAccount('shop-9'), 'the second instance to see it');
    assert.equal(await registry.remove(hook.webhook.id, 'admin'), true);
    assert.equal(await registry.forAccount('shop-9'), null, 'gone at once for the writer');
    assert.equal((await registry.list()).some((w) => w.id === hook.webhook.id), false);
    const tombstone = await lastRecordOf(hook.webhook.id, (n) => n >= 2);
    assert.equal(tombstone.value, null);
    assert.equal(tombstone.partition, partitionForAccount('shop-9', topic.partitions), 'the tombstone lands where the record is');
    await waitFor(async () => (await second.forAccount('shop-9')) === null, 'the second instance to drop it');
    assert.equal(await registry.remove(hook.webhook.id, 'admin'), false);
    assert.equal(await registry.remove('global:unknown', 'admin'), false);

    const late = await start();
    assert.equal(await late.forAccount('shop-9'), null, 'an instance started after the deletion never sees it');
    assert.deepEqual(await late.list(), await registry.list());
  });
});
