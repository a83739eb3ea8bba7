// Integration: needs the real broker (KAFKA_BROKERS, as `make test` / test/with-broker.sh set it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { FileMediaStore } from '../../shared/index.js';
import { KafkaProducer, recordHeaders, type TopicSpec } from '../../shared/kafka/index.js';
import { ConsumedCollector, freshTopic, testKafka, testLogger, waitFor } from '../../../test/helpers/index.js';
import { createApp } from '../createApp.js';
import { listen, storeOnlyMedia, testServices, type RunningApp } from '../http/testing/apiTestKit.js';
import { testRoutes } from '../http/testing/testRoutes.js';
import { systemRoutes } from '../system/index.js';
import { KafkaApiKeys, type KafkaApiKeysOptions } from './index.js';

const KEY_FORMAT = /^wab_[A-Za-z0-9_-]{43}$/;

describe('KafkaApiKeys on a compacted topic (real broker)', { skip: process.env.KAFKA_BROKERS ? false : 'needs KAFKA_BROKERS (run with test/with-broker.sh)' }, () => {
  let kafka: Kafka;
  const running: KafkaApiKeys[] = [];

  const freshKeysTopic = (): Promise<TopicSpec> => freshTopic(kafka, 'api-keys', { partitions: 3, cleanup: 'compact', key: 'entry' });

  /** Starts an instance; its announcements (what it would print on stdout) are collected. */
  async function start(topic: TopicSpec, extra: Partial<KafkaApiKeysOptions> = {}): Promise<{ keys: KafkaApiKeys; printed: string[] }> {
    const printed: string[] = [];
    const keys = await KafkaApiKeys.start({ kafka, topic, logger: testLogger(), announce: (text) => printed.push(text), ...extra });
    running.push(keys);
    return { keys, printed };
  }

  async function stop(keys: KafkaApiKeys): Promise<void> {
    running.splice(running.indexOf(keys), 1);
    await keys.stop();
  }

  before(() => {
    kafka = testKafka();
  });

  after(async () => {
    await Promise.all(running.map((keys) => keys.stop()));
  });

  it('given a first start without API_KEY, then an admin key is shown once; a restart finds it and shows nothing', async () => {
    const topic = await freshKeysTopic();
    const first = await start(topic);
    assert.equal(first.printed.length, 1, 'shown exactly once');
    const key = /(wab_\S+)/.exec(first.printed[0]!)?.[1];
    assert.ok(key && KEY_FORMAT.test(key), `a wab_ key with 32 random bytes: ${key}`);
    assert.match(first.printed[0]!, /admin API key/);
    assert.deepEqual(await first.keys.authenticate(key), { kind: 'admin' });
    assert.equal(await first.keys.authenticate(`${key}x`), null);
    await stop(first.keys);

    const restarted = await start(topic);
    assert.deepEqual(restarted.printed, [], 'nothing printed on a later start');
    assert.deepEqual(await restarted.keys.authenticate(key), { kind: 'admin' }, 'the stored hash still admits the key');
    await stop(restarted.keys);
  });

  it('given the key records on the topic, then only hashes are stored, never a key', async () => {
    const topic = await freshKeysTopic();
    const { keys, printed } = await start(topic);
    const admin = /(wab_\S+)/.exec(printed[0]!)![1]!;
    const created = await keys.create('acc-a', 'ci');
    const collector = await ConsumedCollector.start(kafka, [topic.name]);
    try {
      const records = await collector.waitForCount(2);
      const values = records.map((r) => r.value!.toString('utf8'));
      for (const value of values) {
        assert.doesNotMatch(value, /wab_/);
        assert.match(value, /"sha256":"[0-9a-f]{64}"/);
      }
      assert.ok(!values.join().includes(admin) && !values.join().includes(created.key));
      assert.deepEqual(records.map((r) => r.headers['content-type']), ['application/json', 'application/json']);
    } finally {
      await collector.stop();
      await stop(keys);
    }
  });

  it('given API_KEY, then it is the admin key and nothing is generated or printed', async () => {
    const topic = await freshKeysTopic();
    const { keys, printed } = await start(topic, { adminKey: 'configured-admin-key' });
    assert.deepEqual(printed, []);
    assert.deepEqual(await keys.authenticate('configured-admin-key'), { kind: 'admin' });
    assert.equal(await keys.authenticate('something-else'), null);
    await stop(keys);
  });

  it('given two instances starting together on an empty topic, then both agree on one admin key and only its writer prints it', async () => {
    const topic = await freshKeysTopic();
    const [a, b] = await Promise.all([start(topic), start(topic)]);
    const printed = [...a.printed, ...b.printed];
    assert.equal(printed.length, 1, `one banner, got ${printed.length}`);
    const key = /(wab_\S+)/.exec(printed[0]!)![1]!;
    assert.deepEqual(await a.keys.authenticate(key), { kind: 'admin' });
    assert.deepEqual(await b.keys.authenticate(key), { kind: 'admin' });
    await Promise.all([stop(a.keys), stop(b.keys)]);
    const later = await start(topic);
    assert.deepEqual(later.printed, []);
    assert.deepEqual(await later.keys.authenticate(key), { kind: 'admin' });
    await stop(later.keys);
  });

  it('given an unreadable record on the topic, then it is skipped and the table still loads', async () => {
    const topic = await freshKeysTopic();
    const producer = await KafkaProducer.connect(kafka, testLogger());
    try {
      await producer.send(topic, [{ accountId: 'acc-z', key: 'key_bad', value: Buffer.from('{not json'), headers: recordHeaders({ id: 'key_bad', type: 'x', source: 'test', time: 0, contentType: 'application/json' }) }]);
    } finally {
      await producer.disconnect();
    }
    const { keys } = await start(topic, { adminKey: 'k' });
    assert.deepEqual(await keys.list(), []);
    await stop(keys);
  });

  describe('over HTTP, with two API instances', () => {
    let topic: TopicSpec;
    let dataDir: string;
    let one: { keys: KafkaApiKeys; app: RunningApp };
    let two: { keys: KafkaApiKeys; app: RunningApp };
    const ADMIN = 'admin-of-the-http-test';

    async function serve(keys: KafkaApiKeys): Promise<RunningApp> {
      const documentRoutes = testRoutes({ streamsStarted: 0, streamsStopped: 0 }, { withFailures: false });
      const app = createApp({
        services: testServices({ keys, media: storeOnlyMedia(FileMediaStore.inDataDir(dataDir)) }),
        routes: [...systemRoutes(documentRoutes), ...documentRoutes],
        logger: testLogger(),
        config: { apiRateLimitPerMinute: 6_000, apiRateLimitBurst: 1_000, apiBodyLimitBytes: 1024 * 1024, mediaMaxBytes: 1024 * 1024 },
      });
      return listen(app);
    }

    async function call(app: RunningApp, route: string, key: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
      const response = await fetch(app.url + route, { ...init, headers: { 'X-API-Key': key, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
      return { status: response.status, body: await response.json() };
    }

    const send: RequestInit = { method: 'POST', body: JSON.stringify({ to: '1', message: 'x' }) };

    before(async () => {
      topic = await freshKeysTopic();
      dataDir = await mkdtemp(path.join(tmpdir(), 'wa-api-keys-'));
      const keysOne = (await start(topic, { adminKey: ADMIN })).keys;
      const keysTwo = (await start(topic, { adminKey: ADMIN })).keys;
      one = { keys: keysOne, app: await serve(keysOne) };
      two = { keys: keysTwo, app: await serve(keysTwo) };
    });

    after(async () => {
      await one?.app.close();
      await two?.app.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('given a key created on one instance, then it works only for its account, on both instances, until revoked', async () => {
      const created = await call(one.app, '/accounts/acc-a/keys', ADMIN, { method: 'POST', body: JSON.stringify({ label: 'crm' }) });
      assert.equal(created.status, 201);
      assert.equal(created.body.success, true);
      const { key, keyId, accountId, label } = created.body.data;
      assert.match(key, KEY_FORMAT);
      assert.deepEqual({ accountId, label }, { accountId: 'acc-a', label: 'crm' });

      assert.equal((await call(one.app, '/accounts/acc-a/message/send', key, send)).status, 200);
      assert.equal((await call(one.app, '/accounts/acc-b/message/send', key, send)).status, 403, 'not for another account');
      assert.equal((await call(one.app, '/admin-only', key)).status, 403, 'not an admin');
      assert.equal((await call(one.app, '/accounts/acc-b/keys', key, { method: 'POST', body: '{}' })).status, 403, 'cannot mint keys');
      await waitFor(async () => (await call(two.app, '/accounts/acc-a/message/send', key, send)).status === 200, 'the second instance to accept the key');

      const listed = await call(two.app, '/api-keys?accountId=acc-a', ADMIN);
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.data.map((v: { keyId: string }) => v.keyId), [keyId]);
      assert.ok(!JSON.stringify(listed.body).includes(key), 'a list never shows a key');
      assert.deepEqual((await call(two.app, '/api-keys?accountId=acc-b', ADMIN)).body.data, []);

      const revoked = await call(two.app, `/api-keys/${keyId}`, ADMIN, { method: 'DELETE' });
      assert.deepEqual(revoked, { status: 200, body: { success: true, data: { keyId, revoked: true } } });
      assert.equal((await call(two.app, '/accounts/acc-a/message/send', key, send)).status, 401, 'revoked at once where revoked');
      await waitFor(async () => (await call(one.app, '/accounts/acc-a/message/send', key, send)).status === 401, 'the first instance to refuse the revoked key');
      const again = await call(one.app, `/api-keys/${keyId}`, ADMIN, { method: 'DELETE' });
      assert.equal(again.status, 404);
      assert.equal(again.body.error.code, 'NOT_FOUND');
    });

    it('given a malformed account id, then 400 naming accountId', async () => {
      const answer = await call(one.app, '/accounts/-bad/keys', ADMIN, { method: 'POST', body: '{}' });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.field, 'accountId');
    });
  });
});
