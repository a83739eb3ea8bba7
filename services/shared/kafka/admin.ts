import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';
import { sleep } from '../backoff.js';
import { WaError } from '../WaError.js';
import { kafkaError } from './kafkaClient.js';

// Not among the names Node detects in the CommonJS build of kafkajs.
const { ConfigResourceTypes } = kafkajs;
import { topicConfigEntries, type TopicSpec } from './topics.js';

export interface EnsureTopicsResult {
  created: string[];
  existing: string[];
  reconfigured: string[];
}

/**
 * Creates the missing topics and brings the configs of existing ones in line; safe to run from
 * many processes at once. A topic with a different partition count is an error: accounts would
 * land on different partitions of different topics.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[], logger: Logger): Promise<EnsureTopicsResult> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const existingNames = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existingNames.has(spec.name));
    const present = specs.filter((spec) => existingNames.has(spec.name));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((spec) => ({
            topic: spec.name,
            numPartitions: spec.partitions,
            replicationFactor: -1,
            configEntries: configEntryList(spec),
          })),
        });
      } catch (error) {
        // Created, but a busy broker has not served their leaders yet (the check below waits for
        // them), or another process created them first.
        if (!isSettling(error) && (error as { type?: unknown }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
      }
      logger.info({ topics: missing.map((s) => s.name) }, 'topics created');
    }
    await whileSettling(() => checkPartitions(admin, specs));
    const reconfigured = await alignConfigs(admin, present, logger);
    return { created: missing.map((s) => s.name), existing: present.map((s) => s.name), reconfigured };
  } catch (error) {
    throw error instanceof WaError ? error : kafkaError(error, 'ensuring topics');
  } finally {
    await admin.disconnect();
  }
}

/**
 * Retries a read a topic that is still settling made fail: right after createTopics a broker
 * may not serve the new topic's metadata, leaders or offsets yet (UNKNOWN_TOPIC_OR_PARTITION,
 * kafkajs issues #815 and #1222), or any error kafkajs itself calls retriable. About 30 s in all:
 * a broker sharing two busy cores can take that long.
 */
export async function whileSettling<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      const retriable = (error as { retriable?: unknown } | null)?.retriable === true;
      if (attempt >= 40 || !(retriable || isSettling(error))) throw error;
      await sleep(Math.min(1_000, 50 * attempt));
    }
  }
}

const SETTLING = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);

/** A topic just created whose partitions a broker does not serve yet. */
function isSettling(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    if (SETTLING.has(String((current as { type?: unknown }).type))) return true;
    const nested = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(nested) && nested.some((inner) => isSettling(inner))) return true;
    current = (current as { cause?: unknown; originalError?: unknown }).cause ?? (current as { originalError?: unknown }).originalError;
  }
  return false;
}

async function checkPartitions(admin: Admin, specs: readonly TopicSpec[]): Promise<void> {
  const metadata = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
  for (const spec of specs) {
    const topic = metadata.topics.find((t) => t.name === spec.name);
    const actual = topic?.partitions.length ?? 0;
    if (actual !== spec.partitions) {
      throw new WaError(
        'INVALID_CONFIG',
        `topic ${spec.name} has ${actual} partitions but ${spec.partitions} are configured (KAFKA_PARTITIONS); partitions of account topics must match`,
        { field: 'KAFKA_PARTITIONS' },
      );
    }
  }
}

async function alignConfigs(admin: Admin, specs: readonly TopicSpec[], logger: Logger): Promise<string[]> {
  if (specs.length === 0) return [];
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((spec) => ({ type: ConfigResourceTypes.TOPIC, name: spec.name })),
  });
  const drifted: TopicSpec[] = [];
  for (const spec of specs) {
    const resource = described.resources.find((r) => r.resourceName === spec.name);
    const wanted = topicConfigEntries(spec);
    const differs = Object.entries(wanted).some(
      ([name, value]) => resource?.configEntries.find((e) => e.configName === name)?.configValue !== value,
    );
    if (differs) drifted.push(spec);
  }
  if (drifted.length > 0) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: drifted.map((spec) => ({
        type: ConfigResourceTypes.TOPIC,
        name: spec.name,
        configEntries: configEntryList(spec),
      })),
    });
    logger.info({ topics: drifted.map((s) => s.name) }, 'topic configs aligned');
  }
  return drifted.map((s) => s.name);
}

function configEntryList(spec: TopicSpec): { name: string; value: string }[] {
  return Object.entries(topicConfigEntries(spec)).map(([name, value]) => ({ name, value }));
}
