import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import kafkajs, { type Kafka } from 'kafkajs';
import {
  ConsumerRunner,
  KafkaProducer,
  ensureTopics,
  partitionForAccount,
  recordHeaders,
  HEADER,
  type ConsumedRecord,
  type OutgoingRecord,
  type TopicSpec,
} from '../../services/shared/kafka/index.js';
import { WaError } from '../../services/shared/index.js';
import { ConsumedCollector, JsonLinesChild, freshGroup, freshTopic, repositoryRoot, testBrokers, testKafka, testLogger, waitFor } from '../helpers/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = repositoryRoot();
const consumerProcess = path.join(here, 'fixtures/consumerProcess.js');

function records(accounts: readonly string[], perAccount: number): OutgoingRecord[] {
  const out: OutgoingRecord[] = [];
  for (let i = 0; i < perAccount; i++) {
    for (const accountId of accounts) {
      out.push({
        accountId,
        value: Buffer.from(`${accountId}:${i}`),
        headers: recordHeaders({ id: `${accountId}-${i}`, type: 'test.record', source: 'test', time: Date.now() }),
      });
    }
  }
  return out;
}

async function committedOffsets(kafka: Kafka, groupId: string, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(result!.partitions.map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

describe('Kafka port against the real broker', () => {
  let kafka: Kafka;
  let producer: KafkaProducer;

  before(async () => {
    kafka = testKafka();
    producer = await KafkaProducer.connect(kafka, testLogger());
  });

  after(async () => {
    await producer.disconnect();
  });

  it('creates topics idempotently and refuses a partition-count mismatch', async () => {
    const topic = await freshTopic(kafka, 'ensure', { partitions: 3, cleanup: 'compact', key: 'entry' });
    const again = await ensureTopics(kafka, [topic], testLogger());
    assert.deepEqual(again, { created: [], existing: [topic.name], reconfigured: [] });

    const admin = kafka.admin();
    await admin.connect();
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic.name }] });
    await admin.disconnect();
    const config = Object.fromEntries(described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
    assert.equal(config['cleanup.policy'], 'compact');

    await assert.rejects(
      ensureTopics(kafka, [{ ...topic, partitions: 6 }], testLogger()),
      (error: unknown) => error instanceof WaError && error.code === 'INVALID_CONFIG' && /has 3 partitions/.test(error.message),
    );
  });

  it('realigns a drifted topic config', async () => {
    const topic = await freshTopic(kafka, 'drift', { partitions: 1 });
    const result = await ensureTopics(kafka, [{ ...topic, retentionMs: 123_456 }], testLogger());
    assert.deepEqual(result.reconfigured, [topic.name]);
  });

  it('round-trips records with headers, keys and per-account order', async () => {
    const topic = await freshTopic(kafka, 'roundtrip');
    const accounts = ['alpha', 'bravo', 'charlie', 'delta'];
    const sent = records(accounts, 25);
    await producer.send(topic, sent);
    const collector = await ConsumedCollector.start(kafka, [topic.name]);
    const received = await collector.waitForCount(sent.length);
    await collector.stop();

    assert.equal(received.length, sent.length);
    for (const accountId of accounts) {
      const values = received.filter((r) => r.key === accountId).map((r) => r.value!.toString());
      assert.deepEqual(values, Array.from({ length: 25 }, (_, i) => `${accountId}:${i}`), `order of ${accountId}`);
    }
    const first = received.find((r) => r.key === 'alpha')!;
    assert.equal(first.headers[HEADER.id], 'alpha-0');
    assert.equal(first.headers[HEADER.type], 'test.record');
    assert.equal(first.headers[HEADER.contentType], 'application/avro');
    assert.match(first.headers[HEADER.traceparent]!, /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });

  it('puts every account on the partition the Java client picks, also for compacted keys', async () => {
    const topic = await freshTopic(kafka, 'partitioning');
    const accounts = Array.from({ length: 60 }, (_, i) => `acct-${i}-${'z'.repeat(i % 5)}`);

    // Kafka's own Java producer (from the broker artifacts) with its default partitioner.
    const java = spawn(
      'java',
      [
        `-Dlog4j2.configurationFile=${path.join(repoRoot, 'infra/kafka/log4j2-tools.properties')}`,
        '-cp',
        path.join(repoRoot, 'infra/kafka/lib/*'),
        'org.apache.kafka.tools.ConsoleProducer',
        '--bootstrap-server',
        testBrokers()[0]!,
        '--topic',
        topic.name,
        '--reader-property',
        'parse.key=true',
        '--reader-property',
        'key.separator=|',
      ],
      { stdio: ['pipe', 'ignore', 'inherit'] },
    );
    java.stdin.end(accounts.map((a) => `${a}|java`).join('\n') + '\n');
    const code = await new Promise<number | null>((resolve) => java.once('exit', resolve));
    assert.equal(code, 0, 'java console producer exit code');

    // Ours, keyed by an entry id (as compacted topics are) but partitioned by account.
    await producer.send(
      topic,
      accounts.map((accountId) => ({ accountId, key: `${accountId}/creds`, value: Buffer.from('node'), headers: {} })),
    );

    const collector = await ConsumedCollector.start(kafka, [topic.name]);
    const received = await collector.waitForCount(accounts.length * 2);
    await collector.stop();
    for (const accountId of accounts) {
      const javaRecord = received.find((r) => r.key === accountId)!;
      const nodeRecord = received.find((r) => r.key === `${accountId}/creds`)!;
      assert.equal(javaRecord.partition, partitionForAccount(accountId, topic.partitions), `java partition of ${accountId}`);
      assert.equal(nodeRecord.partition, javaRecord.partition, `compacted entry of ${accountId}`);
    }
  });

  it('retries a retriable failure in place and commits once after success', async () => {
    const topic = await freshTopic(kafka, 'retry', { partitions: 1 });
    await producer.send(topic, records(['solo'], 10));
    const groupId = freshGroup('retry');
    const calls: ConsumedRecord[][] = [];
    const runner = await ConsumerRunner.start({
      kafka,
      groupId,
      topics: [topic.name],
      fromBeginning: true,
      logger: testLogger(),
      backoff: { initialMs: 10, maxMs: 50, factor: 2, jitter: 0 },
      handleBatch: async (batch) => {
        calls.push([...batch]);
        if (calls.length <= 2) throw new WaError('UNAVAILABLE', 'store briefly down');
      },
    });
    await waitFor(async () => (await committedOffsets(kafka, groupId, topic.name)).get(0) === '10', 'commit of offset 10');
    await runner.stop();
    assert.equal(calls.length, 3);
    assert.deepEqual(calls[2]!.map((r) => r.offset), calls[0]!.map((r) => r.offset), 'same batch retried');
  });

  it('stops on a fatal failure without committing, so the next member gets the records again', async () => {
    const topic = await freshTopic(kafka, 'fatal', { partitions: 1 });
    await producer.send(topic, records(['solo'], 5));
    const groupId = freshGroup('fatal');
    const runner = await ConsumerRunner.start({
      kafka,
      groupId,
      topics: [topic.name],
      fromBeginning: true,
      logger: testLogger(),
      handleBatch: async () => {
        throw new WaError('INVALID_ARGUMENT', 'cannot handle this record');
      },
    });
    await assert.rejects(runner.done, (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT');
    assert.equal((await committedOffsets(kafka, groupId, topic.name)).get(0), '-1');

    const seen: string[] = [];
    const next = await ConsumerRunner.start({
      kafka,
      groupId,
      topics: [topic.name],
      fromBeginning: true,
      logger: testLogger(),
      handleBatch: async (batch) => {
        seen.push(...batch.map((r) => r.offset));
      },
    });
    await waitFor(() => seen.length >= 5, 'redelivery to the next member');
    await next.stop();
    assert.deepEqual(seen, ['0', '1', '2', '3', '4']);
  });

  it('redelivers a batch whose consumer was killed -9 before committing', async () => {
    const topic = await freshTopic(kafka, 'crash', { partitions: 1 });
    await producer.send(topic, records(['solo'], 8));
    const groupId = freshGroup('crash');
    const env = { KAFKA_BROKERS: testBrokers().join(','), GROUP: groupId, TOPIC: topic.name, MODE: 'hang' };

    const doomed = JsonLinesChild.node(consumerProcess, env);
    const started = await waitFor(() => doomed.events('started')[0], 'the doomed consumer to receive the batch');
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    assert.equal((await committedOffsets(kafka, groupId, topic.name)).get(0), '-1', 'nothing committed');

    const survivor = JsonLinesChild.node(consumerProcess, { ...env, MODE: 'slow', HANDLE_MS: '0' });
    const handled = await waitFor(() => survivor.events('handled')[0], 'redelivery after the crash', { timeoutMs: 60_000 });
    assert.deepEqual(handled['offsets'], started['offsets']);
    survivor.child.kill('SIGTERM');
    assert.deepEqual(await survivor.exited, { code: 0, signal: null });
    assert.equal((await committedOffsets(kafka, groupId, topic.name)).get(0), '8');
  });

  it('drains the in-flight batch and commits it on SIGTERM', async () => {
    const topic: TopicSpec = await freshTopic(kafka, 'sigterm', { partitions: 1 });
    await producer.send(topic, records(['solo'], 6));
    const groupId = freshGroup('sigterm');
    const child = JsonLinesChild.node(consumerProcess, {
      KAFKA_BROKERS: testBrokers().join(','),
      GROUP: groupId,
      TOPIC: topic.name,
      MODE: 'slow',
      HANDLE_MS: '1500',
    });
    await waitFor(() => child.events('started').length > 0, 'a batch in flight');
    child.child.kill('SIGTERM');
    assert.deepEqual(await child.exited, { code: 0, signal: null });
    const handled = child.events('handled');
    assert.equal(handled.length, 1, 'the in-flight batch finished');
    const lastHandled = (handled[0]!['offsets'] as string[]).at(-1)!;
    assert.equal((await committedOffsets(kafka, groupId, topic.name)).get(0), String(Number(lastHandled) + 1));
  });
});
