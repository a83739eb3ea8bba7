import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import kafkajs, { type Consumer, type ConsumerConfig, type ConsumerRunConfig, type Kafka } from 'kafkajs';
import { READ_MODEL_MIGRATIONS, SqlReadModels } from '../../projections/readModels/index.js';
import { migrate, PgliteStore } from '../../projections/store/index.js';
import { AvroCodec } from '../../schemas/index.js';
import { HttpAnalytics } from '../../services/api/analytics/index.js';
import { startApiServices, type ApiTopics } from '../../services/api/index.js';
import type { WaError } from '../../services/shared/index.js';
import { KafkaProducer, type TopicSpec } from '../../services/shared/kafka/index.js';
import { FileMediaStore } from '../../services/shared/media/index.js';
import { SecretBox } from '../../services/shared/secrets/index.js';
import { freshTopic, testKafka, testLogger, waitFor } from '../helpers/index.js';

/**
 * A kafkajs client whose consumers crash for good, as kafkajs does after an error it does not
 * restart, when their group matches `crashing`: the batch handler throws before the records
 * are handed over.
 */
function crashableKafka(kafka: Kafka): { kafka: Kafka; crash: (groupPrefix: string) => void } {
  let crashing: string | undefined;
  const consumer = (config: ConsumerConfig): Consumer => {
    const real = kafka.consumer(config);
    const run = real.run.bind(real);
    real.run = (runConfig?: ConsumerRunConfig) => {
      const eachBatch = runConfig?.eachBatch;
      if (eachBatch === undefined) return run(runConfig);
      return run({
        ...runConfig,
        eachBatch: async (payload) => {
          if (crashing !== undefined && config.groupId.startsWith(crashing)) throw new kafkajs.KafkaJSNonRetriableError(`injected crash of ${config.groupId}`);
          return eachBatch(payload);
        },
      });
    };
    return real;
  };
  return { kafka: new Proxy(kafka, { get: (target, name) => (name === 'consumer' ? consumer : Reflect.get(target, name)) }), crash: (prefix) => (crashing = prefix) };
}

describe("the API's readers stopping for good reach the role (real broker)", () => {
  const instanceId = `readers-${randomBytes(4).toString('hex')}`;
  const fatal: WaError[] = [];
  let crash: (groupPrefix: string) => void;
  let topics: ApiTopics;
  let producer: KafkaProducer;
  let stop: () => Promise<void>;
  let store: PgliteStore;
  let dir: string;

  before(async () => {
    const real = testKafka();
    const kafka = crashableKafka(real);
    crash = kafka.crash;
    const fresh = (name: string, options: Parameters<typeof freshTopic>[2] = {}): Promise<TopicSpec> => freshTopic(real, name, { partitions: 1, ...options });
    topics = {
      commands: await fresh('readers-commands'),
      commandResults: await fresh('readers-results'),
      conversation: await fresh('readers-conversation'),
      account: await fresh('readers-account'),
      presence: await fresh('readers-presence'),
      webhooks: await fresh('readers-webhooks', { cleanup: 'compact', key: 'entry' }),
      webhookRetry: await fresh('readers-retry', { valueSchema: 'wa.webhooks.WebhookDelivery' }),
      apiKeys: await fresh('readers-keys', { cleanup: 'compact', key: 'entry', valueSchema: null }),
      deadLetters: await fresh('readers-dead-letters'),
    };
    producer = await KafkaProducer.connect(real, testLogger());
    store = await PgliteStore.open({ dataDir: null, schema: 'read_models' });
    await migrate(store, READ_MODEL_MIGRATIONS);
    dir = await mkdtemp(join(tmpdir(), 'readers-'));
    ({ stop } = await startApiServices({
      kafka: kafka.kafka,
      topics,
      codec: AvroCodec.load(),
      box: new SecretBox(randomBytes(32)),
      media: new FileMediaStore(join(dir, 'media')),
      reads: new SqlReadModels({ store }),
      readEngine: 'pglite',
      analytics: new HttpAnalytics({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 1_000 }),
      analyticsEngine: 'none',
      instanceId,
      logger: testLogger('api'),
      adminKey: 'readers-admin-key-0123456789',
      commandWaitMs: 1_000,
      commandTtlMs: 60_000,
      mediaMaxBytes: 1_048_576,
      allowPrivate: true,
      onFatal: (error) => fatal.push(error),
    }));
  });

  after(async () => {
    await stop?.();
    await producer?.disconnect();
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Makes the reader of `group` crash on its next batch, writes it one, and waits for the role to hear of it. */
  async function crashReader(groupPrefix: string, topic: TopicSpec): Promise<WaError> {
    const before = fatal.length;
    crash(groupPrefix);
    await producer.send(topic, [{ accountId: 'acct-1', key: `crash-${before}`, value: Buffer.from('{}'), headers: {} }]);
    await waitFor(() => fatal.length > before, `onFatal after the crash of ${groupPrefix}`);
    assert.equal(fatal.length, before + 1, 'one crash, one report');
    return fatal[before]!;
  }

  it('given the command results reader crashes, then onFatal is called with its error', async () => {
    const error = await crashReader(`wa-api.${instanceId}`, topics.commandResults);
    assert.match(error.message, /injected crash of wa-api\./);
  });

  it('given the API key table crashes, then onFatal is called with its error', async () => {
    const error = await crashReader(`wa-api.follow.${topics.apiKeys.name}`, topics.apiKeys);
    assert.match(error.message, /injected crash of wa-api\.follow\./);
  });

  it('given the webhook subscriptions reader crashes, then onFatal is called with its error', async () => {
    const error = await crashReader(`wa-api-webhooks.${instanceId}`, topics.webhooks);
    assert.match(error.message, /injected crash of wa-api-webhooks\./);
  });
});
