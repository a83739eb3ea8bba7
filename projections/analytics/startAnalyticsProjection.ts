import type { Kafka } from 'kafkajs';
import type { AvroCodec } from '../../schemas/index.js';
import type { Logger, WaError } from '../../services/shared/index.js';
import type { DeadLetterWriter } from '../../services/shared/kafka/index.js';
import { ProjectionRunner, type ProjectionRunnerOptions, type ProjectorTopics } from '../runner/index.js';
import type { AnalyticsClient } from './client/AnalyticsClient.js';
import { AnalyticsSink, type AnalyticsSinkOptions } from './sink/AnalyticsSink.js';

/** Consumer group of the analytics role (its Kafka offsets are for lag tooling only). */
export const ANALYTICS_GROUP = 'wa-analytics';

export interface AnalyticsProjectionOptions {
  kafka: Kafka;
  groupId: string;
  topics: ProjectorTopics;
  client: AnalyticsClient;
  database: string;
  codec: AvroCodec;
  logger: Logger;
  flushIntervalMs?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  afterInsert?: AnalyticsSinkOptions['afterInsert'];
  /** Where undecodable records go, with their bytes, before the flush that moves past them. */
  deadLetters?: DeadLetterWriter;
  onFatal?: (error: WaError) => void;
  /** Called after each partition batch is stored (progress, benchmarks). */
  onBatch?: ProjectionRunnerOptions['onBatch'];
}

/** A running analytics projection: its consumer and the sink it flushes into. */
export interface AnalyticsProjection {
  runner: ProjectionRunner;
  sink: AnalyticsSink;
  /** Leaves the group once the flush in flight is stored. */
  stop(): Promise<void>;
}

// Every partition batch of a fetch waits for the same flush, so all of them must be in hand at
// once: more than the partitions of the four topics.
const BATCHES_AT_ONCE = 128;

/** Brings the analytics tables up to date and starts projecting the event topics into them. */
export async function startAnalyticsProjection(options: AnalyticsProjectionOptions): Promise<AnalyticsProjection> {
  const sink = await AnalyticsSink.open(
    {
      client: options.client,
      database: options.database,
      codec: options.codec,
      logger: options.logger,
      ...(options.flushIntervalMs !== undefined ? { flushIntervalMs: options.flushIntervalMs } : {}),
      ...(options.afterInsert ? { afterInsert: options.afterInsert } : {}),
      ...(options.deadLetters ? { deadLetters: options.deadLetters } : {}),
    },
    options.topics,
  );
  const runner = await ProjectionRunner.start({
    kafka: options.kafka,
    groupId: options.groupId,
    topics: options.topics,
    codec: options.codec,
    logger: options.logger,
    component: 'analytics',
    target: sink,
    partitionsConcurrently: BATCHES_AT_ONCE,
    // One fetch is one flush (every batch waits for it): a big fetch makes a big insert.
    maxBytesPerPartition: 8 * 1_048_576,
    maxBytes: 64 * 1_048_576,
    ...(options.sessionTimeoutMs !== undefined ? { sessionTimeoutMs: options.sessionTimeoutMs } : {}),
    ...(options.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
    ...(options.onFatal ? { onFatal: options.onFatal } : {}),
    ...(options.onBatch ? { onBatch: options.onBatch } : {}),
  });
  return {
    runner,
    sink,
    stop: async () => {
      await runner.stop();
      await sink.close();
    },
  };
}
