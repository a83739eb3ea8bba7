import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createLogger, type Logger } from '../../services/shared/index.js';
import { createKafka, ensureTopics, type CleanupPolicy, type KeyKind, type TopicSpec } from '../../services/shared/kafka/index.js';

/** Brokers of the real local test broker that `make test` starts (KAFKA_BROKERS). */
export function testBrokers(): string[] {
  const raw = process.env.KAFKA_BROKERS;
  if (!raw) {
    throw new Error('KAFKA_BROKERS is not set: integration tests need the local broker (run them with `make test`)');
  }
  return raw.split(',');
}

/** A logger for tests: silent unless TEST_LOG_LEVEL asks for more. */
export function testLogger(role = 'test'): Logger {
  return createLogger(role, (process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'silent');
}

/** A kafkajs client for the test broker. */
export function testKafka(logger: Logger = testLogger()): Kafka {
  return createKafka({ brokers: testBrokers(), clientId: `test-${process.pid}`, logger });
}

function uniqueSuffix(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export interface FreshTopicOptions {
  partitions?: number;
  cleanup?: CleanupPolicy;
  key?: KeyKind;
  valueSchema?: string | null;
}

/** Creates a topic no other test uses, with the same settings machinery as the catalog. */
export async function freshTopic(kafka: Kafka, prefix: string, options: FreshTopicOptions = {}): Promise<TopicSpec> {
  const spec: TopicSpec = {
    name: `test.${prefix}.${uniqueSuffix()}`,
    partitions: options.partitions ?? 12,
    cleanup: options.cleanup ?? 'delete',
    retentionMs: options.cleanup === 'compact' ? -1 : 60 * 60 * 1000,
    key: options.key ?? 'accountId',
    valueSchema: options.valueSchema ?? null,
    description: `test topic ${prefix}`,
  };
  await ensureTopics(kafka, [spec], testLogger());
  return spec;
}

/** A consumer group id no other test uses. */
export function freshGroup(prefix: string): string {
  return `test-${prefix}-${uniqueSuffix()}`;
}
