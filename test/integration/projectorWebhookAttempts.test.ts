import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqlReadModels, type WebhookAttemptRow } from '../../projections/readModels/index.js';
import { EventFactory, T0, type Value } from '../../projections/readModels/testing/index.js';
import { runReplay } from '../../projections/replay/index.js';
import { PgliteStore, pgliteDir } from '../../projections/store/index.js';
import { HttpReadModels } from '../../services/api/reads/index.js';
import { main } from '../../services/projector/index.js';
import { loadConfig } from '../../services/shared/index.js';
import { ensureTopics, KafkaProducer, partitionForAccount, recordHeaders, TOPIC, topicCatalog } from '../../services/shared/kafka/index.js';
import { freePort, roleContext, testBrokers, testKafka, testLogger, waitFor } from '../helpers/index.js';

const PAGE = { limit: 50, offset: 0 };

describe('projector role and the webhook delivery log', { timeout: 180_000 }, () => {
  it('projects WebhookAttempt records of several accounts into the delivery log the API reads through the projector, and make replay rebuilds it the same', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wa-projector-webhooks-'));
    const logger = testLogger('projector');
    const config = loadConfig({ KAFKA_BROKERS: testBrokers().join(','), DATA_DIR: dir, KAFKA_PARTITIONS: process.env.KAFKA_PARTITIONS, PROJECTOR_PORT: String(await freePort()) });
    const kafka = testKafka();
    const catalog = topicCatalog(config.kafkaPartitions);
    await ensureTopics(kafka, catalog, logger);
    const attemptsTopic = catalog.find((spec) => spec.name === TOPIC.webhookAttempts)!;
    const context = roleContext(config, logger);
    const { lifecycle } = context;
    try {
      await main(context);

      // Two accounts on different partitions, one subscription for both (and one other).
      const run = randomUUID().slice(0, 8);
      const first = `hooks-a-${run}`;
      let second = `hooks-b-${run}`;
      for (let n = 0; partitionForAccount(second, config.kafkaPartitions) === partitionForAccount(first, config.kafkaPartitions); n += 1) second = `hooks-b-${run}-${n}`;
      const sub = `sub-${run}`;
      const a = new EventFactory(first);
      const b = new EventFactory(second);
      const records: { accountId: string; value: Value }[] = [
        // Delivered at once; logged twice (the webhooks role crashed after writing it).
        { accountId: first, value: a.webhookAttemptValue('EA1', sub, 1, { attemptedAt: T0 + 1_000 }) },
        { accountId: first, value: a.webhookAttemptValue('EA1', sub, 1, { attemptedAt: T0 + 1_000 }) },
        // Retried, then dead.
        { accountId: first, value: a.webhookAttemptValue('EA2', sub, 1, { outcome: 'RETRYING', statusCode: 503, error: 'HTTP 503', attemptedAt: T0 + 2_000, nextAttemptAt: T0 + 7_000 }) },
        { accountId: first, value: a.webhookAttemptValue('EA2', sub, 2, { outcome: 'DEAD', statusCode: null, latencyMs: 10_000, error: 'timeout', attemptedAt: T0 + 7_000 }) },
        // The endpoint answered 410, then a redelivery of that event went through.
        { accountId: second, value: b.webhookAttemptValue('EB1', sub, 1, { outcome: 'GONE', statusCode: 410, error: 'HTTP 410', attemptedAt: T0 + 3_000 }) },
        { accountId: second, value: b.webhookAttemptValue('EB1', sub, 2, { outcome: 'DELIVERED', attemptedAt: T0 + 60_000 }) },
        // Disabled by days of failures.
        { accountId: second, value: b.webhookAttemptValue('EB2', sub, 9, { outcome: 'DISABLED', statusCode: 500, error: 'HTTP 500', attemptedAt: T0 + 50_000 }) },
        // Another subscription's dead letter.
        { accountId: second, value: b.webhookAttemptValue('EB2', `${sub}-other`, 1, { outcome: 'DEAD', statusCode: 404, error: 'HTTP 404', attemptedAt: T0 + 4_000 }) },
      ];
      const producer = await KafkaProducer.connect(kafka, logger);
      try {
        for (const { accountId, value } of records) {
          await producer.send(attemptsTopic, [
            {
              accountId,
              value: a.codec.encode('wa.webhooks.WebhookAttempt', value),
              headers: recordHeaders({ id: String(value.attemptId), type: 'webhook.attempt', source: 'test', time: Number(value.attemptedAt) }),
            },
          ]);
        }
      } finally {
        await producer.disconnect();
      }

      // The API's view: the projector's PGlite through the projector.
      const reads = new HttpReadModels({ baseUrl: config.projectorUrl });
      const ids = (rows: WebhookAttemptRow[]): string[] => rows.map((row) => row.attemptId);
      const log = await waitFor(async () => {
        const page = await reads.webhookAttempts(sub, {}, PAGE);
        return page.total === 6 ? page : null;
      }, 'the six attempts of the subscription through the projector');
      assert.deepEqual(ids(log.items), [`EB1.${sub}#2`, `EB2.${sub}#9`, `EA2.${sub}#2`, `EB1.${sub}#1`, `EA2.${sub}#1`, `EA1.${sub}#1`]);
      const dead = log.items.find((row) => row.attemptId === `EA2.${sub}#2`)!;
      assert.deepEqual([dead.accountId, dead.outcome, dead.statusCode, dead.latencyMs, dead.error], [first, 'DEAD', null, 10_000, 'timeout']);
      assert.deepEqual(ids((await reads.webhookAttempts(sub, { eventId: 'EB1' }, PAGE)).items), [`EB1.${sub}#2`, `EB1.${sub}#1`]);
      assert.deepEqual(ids((await reads.webhookAttempts(sub, { outcome: 'RETRYING' }, PAGE)).items), [`EA2.${sub}#1`]);
      const letters = await reads.webhookDeadLetters(sub, PAGE);
      assert.deepEqual([ids(letters.items), letters.total], [[`EB2.${sub}#9`, `EA2.${sub}#2`], 2]);
      assert.deepEqual(ids((await reads.webhookDeadLetters(`${sub}-other`, PAGE)).items), [`EB2.${sub}-other#1`]);
      await waitFor(async () => (await reads.lag()).events === 0, 'the projector to have applied the whole log, attempts included');
      await lifecycle.shutdown('test');

      // `make replay`: every read model rebuilt from the log (with PGlite the projector is stopped first).
      await assert.rejects(reads.ping());
      const lines: string[] = [];
      await runReplay({ config, logger, write: (line) => lines.push(line), model: null });
      assert.match(lines.at(-1) ?? '', /^rebuilt /);
      const store = await PgliteStore.open({ dataDir: pgliteDir(dir), schema: 'read_models' });
      try {
        const rebuilt = new SqlReadModels({ store });
        assert.deepEqual(await rebuilt.webhookAttempts(sub, {}, PAGE), log);
        assert.deepEqual(await rebuilt.webhookDeadLetters(sub, PAGE), letters);
      } finally {
        await store.close();
      }
    } finally {
      await lifecycle.shutdown('test');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
