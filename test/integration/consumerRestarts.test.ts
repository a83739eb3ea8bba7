import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import kafkajs, { type Consumer, type EachBatchPayload, type Kafka } from 'kafkajs';
import { TopicFollower } from '../../services/api/keys/TopicFollower.js';
import type { WaError } from '../../services/shared/index.js';
import { KafkaProducer, runConsumer, type TopicSpec } from '../../services/shared/kafka/index.js';
import { freshGroup, freshTopic, testKafka, testLogger, waitFor } from '../helpers/index.js';

/**
 * A broker restart can crash a kafkajs consumer with an error kafkajs does not restart after
 * (the group coordinator lookup gives up at once: KafkaJSGroupCoordinatorNotFound). These tests
 * raise that error from the batch handler, so kafkajs crashes the consumer the same way with a
 * real broker, and check what happens next.
 */
// kafkajs is CommonJS: its error classes are not named exports.
const { KafkaJSNonRetriableError } = kafkajs;

/** What a coordinator lookup throws when the broker refuses it mid-restart (its typings declare no message argument). */
function brokerAway(): Error {
  return new (kafkajs.KafkaJSGroupCoordinatorNotFound as unknown as new (message: string) => Error)('Failed to find group coordinator');
}

describe('consumers restart after a crash caused by the broker being away (real broker)', () => {
  let kafka: Kafka;
  let producer: KafkaProducer;
  const consumers: Consumer[] = [];
  const stopped = new Set<Consumer>();
  /** How restarts wait in these tests: no wait, so a restart that should not happen would show at once. */
  const restartBackoff = { initialMs: 0, maxMs: 0, factor: 1, jitter: 0 };

  before(async () => {
    kafka = testKafka();
    producer = await KafkaProducer.connect(kafka, testLogger());
  });

  after(async () => {
    for (const consumer of consumers) {
      stopped.add(consumer);
      await consumer.disconnect().catch(() => undefined);
    }
    await producer.disconnect();
  });

  async function produce(topic: TopicSpec, texts: readonly string[]): Promise<void> {
    await producer.send(topic, texts.map((text) => ({ accountId: 'acct-1', key: text, value: Buffer.from(text), headers: {} })));
  }

  /**
   * A consumer run by runConsumer; its CRASH events say whether kafkajs restarted it itself,
   * by error message. A fresh group may also crash on its own as it starts (its coordinator
   * still loading), which kafkajs restarts: the tests look at the crash they caused.
   */
  async function start(topic: TopicSpec, eachBatch: (payload: EachBatchPayload) => Promise<void>, onFatal: (error: WaError) => void): Promise<{ consumer: Consumer; crashes: Map<string, boolean> }> {
    const consumer = kafka.consumer({ groupId: freshGroup('restarts'), retry: { retries: 2, initialRetryTime: 50 } });
    consumers.push(consumer);
    const crashes = new Map<string, boolean>();
    consumer.on(consumer.events.CRASH, (event) => {
      if (!crashes.has(event.payload.error.message)) crashes.set(event.payload.error.message, event.payload.restart);
    });
    await runConsumer(consumer, {
      name: 'the test consumer',
      topics: [topic.name],
      fromBeginning: true,
      run: { autoCommit: false, eachBatch },
      logger: testLogger(),
      stopped: () => stopped.has(consumer),
      onFatal,
      restartBackoff,
    });
    return { consumer, crashes };
  }

  it('given a crash kafkajs does not restart and whose cause is the broker away, then the consumer runs again and reads from where it was committed', async () => {
    const topic = await freshTopic(kafka, 'restart-away', { partitions: 1 });
    await produce(topic, ['one', 'two']);
    const handled: string[] = [];
    const fatal: WaError[] = [];
    let failed = false;
    const { crashes } = await start(
      topic,
      async ({ batch }) => {
        for (const message of batch.messages) {
          if (message.value!.toString() === 'two' && !failed) {
            failed = true;
            throw brokerAway();
          }
          handled.push(message.value!.toString());
        }
      },
      (error) => fatal.push(error),
    );
    await waitFor(() => handled.includes('two'), 'the batch handled again after the restart', { timeoutMs: 30_000 });
    // Without runConsumer the consumer would have stayed stopped: kafkajs itself did not restart it.
    // (Rejoining at once may crash it again with a rebalance, which kafkajs restarts itself.)
    assert.equal(crashes.get('Failed to find group coordinator'), false);
    assert.deepEqual(fatal, []);
    // Nothing was committed, so the restarted member reads the partition from its beginning again.
    assert.deepEqual(handled.slice(0, 2), ['one', 'one']);
    assert.deepEqual(handled.filter((text) => text === 'two'), ['two']);
    await produce(topic, ['three']);
    await waitFor(() => handled.includes('three'), 'a record produced after the restart', { timeoutMs: 30_000 });
  });

  it('given a crash kafkajs does not restart for any other reason, then onFatal gets it once and the consumer stays stopped', async () => {
    const topic = await freshTopic(kafka, 'restart-fatal', { partitions: 1 });
    await produce(topic, ['bad']);
    let calls = 0;
    const fatal: WaError[] = [];
    const { crashes } = await start(
      topic,
      async () => {
        calls += 1;
        throw new KafkaJSNonRetriableError('a handler bug');
      },
      (error) => fatal.push(error),
    );
    await waitFor(() => fatal.length > 0, 'onFatal called', { timeoutMs: 30_000 });
    assert.match(fatal[0]!.message, /the test consumer crashed: a handler bug/);
    assert.equal(crashes.get('a handler bug'), false);
    // A restart would run at once (no backoff here) and hand the record over again: a later
    // record on the same topic, consumed by a second group, shows the broker has moved on.
    await produce(topic, ['later']);
    const seen: string[] = [];
    await start(topic, async ({ batch }) => void seen.push(...batch.messages.map((m) => m.value!.toString())), () => undefined);
    await waitFor(() => seen.includes('later'), 'a second group reading the topic', { timeoutMs: 30_000 });
    assert.equal(calls, 1);
    assert.equal(fatal.length, 1);
  });

  it('given the key-table follower crashes that way mid-topic, then it carries on from its own position: no record applied twice, none skipped', async () => {
    const topic = await freshTopic(kafka, 'restart-follower', { partitions: 1, cleanup: 'compact' });
    await produce(topic, ['k1', 'k2', 'k3']);
    const applied: string[] = [];
    let failed = false;
    const follower = await TopicFollower.start({
      kafka,
      topic: topic.name,
      logger: testLogger(),
      onRecord: (record) => {
        const text = record.value!.toString();
        if (text === 'k3' && !failed) {
          failed = true;
          throw brokerAway();
        }
        applied.push(text);
      },
    });
    try {
      assert.deepEqual(applied, ['k1', 'k2', 'k3']);
      assert.ok(failed, 'the follower crashed once on its way');
      await produce(topic, ['k4']);
      await follower.reached(0, 3n);
      assert.deepEqual(applied, ['k1', 'k2', 'k3', 'k4']);
    } finally {
      await follower.stop();
    }
  });
});
