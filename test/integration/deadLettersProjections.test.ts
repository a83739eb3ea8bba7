import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { AvroCodec } from '../../schemas/index.js';
import { openChdb, qualified, sqlString, startAnalyticsProjection, type AnalyticsClient, type AnalyticsProjection } from '../../projections/analytics/index.js';
import { READ_MODEL_MIGRATIONS, SqlReadModels } from '../../projections/readModels/index.js';
import { ProjectionRunner, type ProjectorTopics } from '../../projections/runner/index.js';
import { migrate, PgliteStore } from '../../projections/store/index.js';
import type { WaError } from '../../services/shared/index.js';
import { DeadLetterWriter, KafkaProducer, type TopicSpec } from '../../services/shared/kafka/index.js';
import { freshGroup, freshTopic, testKafka, testLogger, waitFor } from '../helpers/index.js';
import { PATIENCE, assertDeadLetters, badValues, produceBad, type ProducedBad } from '../helpers/badRecords.js';
import { chatMessageEvent, produceConversation } from '../helpers/webhookHarness.js';

const ACCOUNT = 'dlq-projections';
const CHAT = '5511999@s.whatsapp.net';

/**
 * The read-model projector and the analytics projection meet the same broken records on the
 * conversation topic: neither stops, both project the good event after them, and each leaves
 * one dead letter per broken record before it commits its position past it.
 */
describe('dead letters of the projector and the analytics projection (real broker, PGlite, chDB)', () => {
  const codec = AvroCodec.load();
  const logger = testLogger('dead-letters');
  const fatal: WaError[] = [];
  let kafka: Kafka;
  let producer: KafkaProducer;
  let topics: ProjectorTopics;
  let deadLetters: TopicSpec;
  let bad: ProducedBad[];
  let store: PgliteStore;
  let client: AnalyticsClient;
  const database = `wa_dlq_${randomBytes(6).toString('hex')}`;
  const runners: ProjectionRunner[] = [];
  let analytics: AnalyticsProjection | undefined;

  const writer = (consumer: string): DeadLetterWriter => new DeadLetterWriter({ producer, topic: deadLetters, codec, consumer, logger });
  const project = async (groupId: string): Promise<ProjectionRunner> => {
    const runner = await ProjectionRunner.start({ kafka, groupId, topics, store, codec, logger, deadLetters: writer('projector'), onFatal: (error) => fatal.push(error) });
    runners.push(runner);
    return runner;
  };
  const reads = (): SqlReadModels => new SqlReadModels({ store });
  const messagesCounted = async (): Promise<number> =>
    Number((await client.query<{ n: string }>(`SELECT count() AS n FROM ${qualified(database, 'messages')} WHERE account_id = ${sqlString(ACCOUNT)}`))[0]?.n ?? 0);

  before(async () => {
    kafka = testKafka();
    const fresh = (name: string): Promise<TopicSpec> => freshTopic(kafka, `dlq-${name}`, { partitions: 2 });
    topics = { conversation: await fresh('conversation'), account: await fresh('account'), commandResults: await fresh('results'), webhookAttempts: await fresh('attempts') };
    deadLetters = await freshTopic(kafka, 'dlq-dead-letters', { partitions: 2, valueSchema: 'wa.common.DeadLetter' });
    producer = await KafkaProducer.connect(kafka, logger);
    const good = codec.encode('wa.conversation.ConversationEvent', chatMessageEvent(ACCOUNT, CHAT, 1));
    const otherSchema = codec.encode('wa.commands.CommandResult', { commandId: 'c', accountId: ACCOUNT, type: 'message.send', status: 'SUCCEEDED', completedAt: 1, error: null, result: null, eventIds: [], durationMs: null, correlationId: 'r', replayed: false });
    bad = await produceBad(producer, topics.conversation, ACCOUNT, badValues(good, otherSchema));
    await produceConversation(producer, codec, topics.conversation, [chatMessageEvent(ACCOUNT, CHAT, 2, 'after the bad ones')]);
    store = await PgliteStore.open({ dataDir: null, schema: 'read_models' });
    await migrate(store, READ_MODEL_MIGRATIONS);
    client = await openChdb(null);
  });

  after(async () => {
    for (const runner of runners) await runner.stop().catch(() => undefined);
    await analytics?.stop().catch(() => undefined);
    await client?.command(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await client?.close();
    await store?.close();
    await producer?.disconnect();
  });

  it('projector: sets each broken record aside with its letter, projects the good event, and writes no letter twice', async () => {
    const groupId = freshGroup('dlq-projector');
    const first = await project(groupId);
    const secondMessage = '3EB0000000000002';
    await waitFor(async () => (await reads().message(ACCOUNT, secondMessage)) !== null, 'the good event in the read model', PATIENCE);
    await assertDeadLetters(kafka, codec, deadLetters, 'projector', topics.conversation, bad);
    const errors = (await store.query<{ record_offset: number }>('SELECT record_offset FROM projection_errors ORDER BY record_offset')).rows;
    assert.deepEqual(errors.map((row) => Number(row.record_offset)), bad.map((b) => Number(b.offset)), 'projection_errors keeps them too');
    assert.deepEqual(fatal, []);

    // Delivered again to a new member of the group: the stored position is past them.
    await first.stop();
    await project(groupId);
    await produceConversation(producer, codec, topics.conversation, [chatMessageEvent(ACCOUNT, CHAT, 3)]);
    await waitFor(async () => (await reads().message(ACCOUNT, '3EB0000000000003')) !== null, 'the next event in the read model', PATIENCE);
    await assertDeadLetters(kafka, codec, deadLetters, 'projector', topics.conversation, bad);
    assert.deepEqual(fatal, []);
  });

  it('analytics: counts the good event after the broken ones, with one letter each', async () => {
    analytics = await startAnalyticsProjection({
      kafka,
      groupId: freshGroup('dlq-analytics'),
      topics,
      client,
      database,
      codec,
      logger,
      flushIntervalMs: 100,
      deadLetters: writer('analytics'),
      onFatal: (error) => fatal.push(error),
    });
    // The good events: the one after the broken records, and the one the projector test added.
    await waitFor(async () => (await messagesCounted()) === 2, 'the good events counted', PATIENCE);
    await assertDeadLetters(kafka, codec, deadLetters, 'analytics', topics.conversation, bad);
    assert.deepEqual(fatal, []);
  });
});
