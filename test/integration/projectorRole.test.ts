import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { READ_MODELS_PATH, SqlReadModels } from '../../projections/readModels/index.js';
import { EventFactory } from '../../projections/readModels/testing/index.js';
import { PROJECTOR_GROUP } from '../../projections/runner/index.js';
import { PgliteStore, pgliteDir } from '../../projections/store/index.js';
import { main } from '../../services/projector/index.js';
import { loadConfig } from '../../services/shared/index.js';
import { registry } from '../../services/shared/ops/index.js';
import { ensureTopics, KafkaProducer, partitionForAccount, recordHeaders, TOPIC, topicCatalog } from '../../services/shared/kafka/index.js';
import { freePort, roleContext, testBrokers, testKafka, testLogger, waitFor } from '../helpers/index.js';

describe('projector role', { timeout: 120_000 }, () => {
  it('migrates PGlite in DATA_DIR, projects the event topics, serves them to API processes, commits Kafka offsets for lag tooling, and stops cleanly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wa-projector-role-'));
    const logger = testLogger('projector');
    const config = loadConfig({ KAFKA_BROKERS: testBrokers().join(','), DATA_DIR: dir, KAFKA_PARTITIONS: process.env.KAFKA_PARTITIONS, PROJECTOR_PORT: String(await freePort()) });
    const kafka = testKafka();
    const catalog = topicCatalog(config.kafkaPartitions);
    await ensureTopics(kafka, catalog, logger);
    const context = roleContext(config, logger);
    const { lifecycle } = context;
    try {
      await main(context);
      await stat(pgliteDir(dir));

      const accountId = `role-${randomUUID()}`;
      const f = new EventFactory(accountId);
      const value = f.envelope('account.created', 'wa.account.AccountCreated', { name: 'Role test', createdBy: 'admin' });
      const producer = await KafkaProducer.connect(kafka, logger);
      const account = catalog.find((spec) => spec.name === TOPIC.account)!;
      const [written] = await producer.send(account, [{ accountId, value: f.codec.encode('wa.account.AccountEvent', value), headers: recordHeaders({ id: String(value.eventId), type: 'account.created', source: 'test', time: Date.now() }) }]);
      await producer.disconnect();

      const partition = partitionForAccount(accountId, config.kafkaPartitions);
      const admin = kafka.admin();
      await admin.connect();
      try {
        await waitFor(async () => {
          const [committed] = await admin.fetchOffsets({ groupId: PROJECTOR_GROUP, topics: [TOPIC.account] });
          const offset = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
          return BigInt(offset) > BigInt(written!.baseOffset ?? '0');
        }, 'the projector to commit past the event');
      } finally {
        await admin.disconnect();
      }
      // What the ops server shows: the group's lag on that partition is gone, and the store answers.
      const lag = await registry.getSingleMetric('wa_consumer_lag_records')!.get();
      const sample = lag.values.find((v) => v.labels.group === PROJECTOR_GROUP && v.labels.topic === TOPIC.account && v.labels.partition === String(partition));
      assert.equal(sample?.value, 0, `lag samples: ${JSON.stringify(lag.values.slice(0, 5))}`);
      assert.ok(lag.values.length >= config.kafkaPartitions, 'a sample per partition of every projected topic');
      const readiness = await context.health.readiness();
      assert.deepEqual(readiness.checks['read-model store'], { ok: true });
      // An API process reads the projector's PGlite through the projector.
      const read = async (method: string, args: unknown[]): Promise<{ status: number; body: { result?: unknown; error?: { code: string; field: string | null } } }> => {
        const response = await fetch(`${config.projectorUrl}${READ_MODELS_PATH}${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
        return { status: response.status, body: (await response.json()) as { result?: unknown; error?: { code: string; field: string | null } } };
      };
      const served = await waitFor(async () => ((await read('account', [accountId])).body.result as { name: string } | null) ?? null, 'the account through the projector');
      assert.equal(served.name, 'Role test');
      assert.equal(typeof ((await read('lag', [])).body.result as { events: unknown }).events, 'number');
      const badCursor = await read('chats', [accountId, { limit: 5, offset: 0, cursor: '%%%' }]);
      assert.equal(badCursor.status, 400);
      assert.deepEqual([badCursor.body.error?.code, badCursor.body.error?.field], ['INVALID_ARGUMENT', 'cursor']);
      await lifecycle.shutdown('test');
      await assert.rejects(read('ping', []));

      const store = await PgliteStore.open({ dataDir: pgliteDir(dir), schema: 'read_models' });
      try {
        const projected = await new SqlReadModels({ store }).account(accountId);
        assert.equal(projected?.name, 'Role test');
        assert.equal(projected?.status, 'not_started');
      } finally {
        await store.close();
      }
    } finally {
      await lifecycle.shutdown('test');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
