import type { Kafka } from 'kafkajs';
import { ConsumerRunner, KafkaProducer, type OutgoingRecord } from '../../services/shared/kafka/index.js';
import { freshGroup, freshTopic, testLogger } from '../helpers/index.js';
import { percentile, type Figure } from './stats.js';

const ACCOUNTS = Array.from({ length: 100 }, (_, i) => `bench-account-${i}`);
const PAYLOAD = Buffer.alloc(256, 7);
const SENT_AT = 'bench-sent-at';

function record(i: number, sentAt?: number): OutgoingRecord {
  return {
    accountId: ACCOUNTS[i % ACCOUNTS.length]!,
    value: PAYLOAD,
    headers: sentAt === undefined ? {} : { [SENT_AT]: String(sentAt) },
  };
}

async function consumeUntil(kafka: Kafka, topic: string, expected: number, onRecord?: (headers: Record<string, string>) => void) {
  let count = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const runner = await ConsumerRunner.start({
    kafka,
    groupId: freshGroup('bench'),
    topics: [topic],
    fromBeginning: true,
    logger: testLogger(),
    partitionsConcurrently: 4,
    handleBatch: async (batch) => {
      if (onRecord) for (const r of batch) onRecord(r.headers);
      count += batch.length;
      if (count >= expected) resolveDone();
    },
  });
  return { runner, done };
}

/** The raw ceiling in numbers, for other figures to be read against. */
export interface KafkaCeiling {
  /** Records per second from the first produce to the last record consumed. */
  endToEnd: number;
  /** Produce → consume latency at the steady rate, ms. */
  p50: number;
  p99: number;
  figures: Figure[];
}

/** Raw ceiling of the local broker through our Kafka port: bulk throughput, then latency at a steady rate. */
export async function kafkaBench(kafka: Kafka, options: { records: number; rate: number; seconds: number }): Promise<KafkaCeiling> {
  const logger = testLogger();
  const producer = await KafkaProducer.connect(kafka, logger);

  const bulkTopic = await freshTopic(kafka, 'bench-bulk');
  const consumer = await consumeUntil(kafka, bulkTopic.name, options.records);
  const started = performance.now();
  const chunk = 2_000;
  for (let i = 0; i < options.records; i += chunk) {
    const size = Math.min(chunk, options.records - i);
    await producer.send(bulkTopic, Array.from({ length: size }, (_, j) => record(i + j)));
  }
  const produced = performance.now();
  await consumer.done;
  const consumed = performance.now();
  await consumer.runner.stop();

  const latencyTopic = await freshTopic(kafka, 'bench-latency');
  const latencies: number[] = [];
  const total = options.rate * options.seconds;
  const latencyConsumer = await consumeUntil(kafka, latencyTopic.name, total, (headers) => {
    latencies.push(performance.timeOrigin + performance.now() - Number(headers[SENT_AT]));
  });
  const tickMs = 10;
  const perTick = Math.max(1, Math.round((options.rate * tickMs) / 1000));
  const steadyStart = performance.now();
  for (let sent = 0, tick = 0; sent < total; tick++) {
    const due = steadyStart + tick * tickMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const size = Math.min(perTick, total - sent);
    const now = performance.timeOrigin + performance.now();
    await producer.send(latencyTopic, Array.from({ length: size }, (_, j) => record(sent + j, now)));
    sent += size;
  }
  await latencyConsumer.done;
  await latencyConsumer.runner.stop();
  await producer.disconnect();

  latencies.sort((a, b) => a - b);
  const seconds = (ms: number) => ms / 1000;
  const endToEnd = Math.round(options.records / seconds(consumed - started));
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  return {
    endToEnd,
    p50,
    p99,
    figures: [
      { name: 'produce (idempotent, acks=all)', value: Math.round(options.records / seconds(produced - started)), unit: 'records/s' },
      { name: 'produce -> consume (end to end)', value: endToEnd, unit: 'records/s' },
      { name: `latency p50 at ${options.rate}/s`, value: p50, unit: 'ms' },
      { name: `latency p99 at ${options.rate}/s`, value: p99, unit: 'ms' },
      { name: `latency max at ${options.rate}/s`, value: latencies.at(-1) ?? Number.NaN, unit: 'ms' },
    ],
  };
}
