import type { Kafka } from 'kafkajs';
import type { AvroCodec } from '../../schemas/index.js';
import type { AnalyticsQueries } from '../../projections/analytics/index.js';
import type { ReadModels } from '../../projections/readModels/index.js';
import type { Logger, WaError } from '../shared/index.js';
import { DeadLetterWriter, KafkaProducer, type TopicSpec } from '../shared/kafka/index.js';
import type { MediaStore } from '../shared/media/index.js';
import type { SecretBox } from '../shared/secrets/index.js';
import type { ApiServices } from './ApiServices.js';
import { KafkaCommandBus } from './commands/index.js';
import { KafkaLiveEvents } from './events/index.js';
import { healthReport } from './health/index.js';
import { KafkaApiKeys } from './keys/index.js';
import { StoreMediaService } from './media/index.js';
import { KafkaWebhookRedelivery, KafkaWebhookRegistry } from './webhooks/index.js';

/** The topics the API reads and writes. */
export interface ApiTopics {
  commands: TopicSpec;
  commandResults: TopicSpec;
  conversation: TopicSpec;
  account: TopicSpec;
  presence: TopicSpec;
  webhooks: TopicSpec;
  /** The first webhook retry tier (`wa.webhooks.retry.5s.v1`): where redeliveries by API are queued. */
  webhookRetry: TopicSpec;
  apiKeys: TopicSpec;
  /** Where records the API's readers cannot read go. */
  deadLetters: TopicSpec;
}

export interface ApiServicesOptions {
  kafka: Kafka;
  topics: ApiTopics;
  codec: AvroCodec;
  /** Seals webhook secrets (the SESSION_ENCRYPTION_KEY box). */
  box: SecretBox;
  media: MediaStore;
  reads: ReadModels;
  /** What `/health` names the read-model store. */
  readEngine: string;
  analytics: AnalyticsQueries;
  /** What `/health` names the analytics store. */
  analyticsEngine: string;
  /** Unique per process: names the process's own consumer groups. */
  instanceId: string;
  logger: Logger;
  adminKey: string | undefined;
  /** Prints the generated admin key once (stdout by default). */
  announce?: (banner: string) => void;
  commandWaitMs: number;
  commandTtlMs: number;
  mediaMaxBytes: number;
  allowPrivate: boolean;
  /** The connectors' consumer group, for `/health`. */
  connectorGroup?: string;
  /** One of the readers the API answers from stopped for good: the command results, the key table or the webhook subscriptions. */
  onFatal?: (error: WaError) => void;
}

/** Everything the route handlers use, started on Kafka; `stop` lets it all go. Production and tests build the API this one way. */
export async function startApiServices(options: ApiServicesOptions): Promise<{ services: ApiServices; stop: () => Promise<void> }> {
  const { kafka, topics, codec, logger, instanceId } = options;
  const onFatal = options.onFatal === undefined ? {} : { onFatal: options.onFatal };
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const step of stops.reverse()) await step().catch((error: unknown) => logger.warn({ err: error }, 'stopping an API service failed'));
  };
  try {
    const producer = await KafkaProducer.connect(kafka, logger);
    stops.push(() => producer.disconnect());
    // Every instance writes the same letter for the same record: one id, `<topic>/<partition>/<offset>/api`.
    const deadLetters = new DeadLetterWriter({ producer, topic: topics.deadLetters, codec, consumer: 'api', logger });
    stops.push(() => deadLetters.settled());
    const commands = await KafkaCommandBus.start({
      kafka,
      producer,
      codec,
      topics: { commands: topics.commands, commandResults: topics.commandResults },
      instanceId,
      logger,
      reads: options.reads,
      waitMs: options.commandWaitMs,
      ttlMs: options.commandTtlMs,
      deadLetters,
      ...onFatal,
    });
    stops.push(() => commands.stop());
    const keys = await KafkaApiKeys.start({ kafka, topic: topics.apiKeys, logger, adminKey: options.adminKey, deadLetters, ...onFatal, ...(options.announce ? { announce: options.announce } : {}) });
    stops.push(() => keys.stop());
    const webhooks = await KafkaWebhookRegistry.start({ kafka, producer, codec, topic: topics.webhooks, box: options.box, instanceId, logger, allowPrivate: options.allowPrivate, deadLetters, ...onFatal });
    stops.push(() => webhooks.stop());
    const events = new KafkaLiveEvents({ kafka, codec, topics: { conversation: topics.conversation, account: topics.account, presence: topics.presence }, instanceId, logger, deadLetters });
    stops.push(() => events.close());
    const services: ApiServices = {
      commands,
      reads: options.reads,
      analytics: options.analytics,
      media: new StoreMediaService({ store: options.media, maxBytes: options.mediaMaxBytes, allowPrivate: options.allowPrivate }),
      webhooks,
      webhookDeliveries: new KafkaWebhookRedelivery({
        kafka,
        producer,
        codec,
        topics: { conversation: topics.conversation, account: topics.account, presence: topics.presence, retry: topics.webhookRetry },
        reads: options.reads,
        instanceId,
        logger,
        deadLetters,
      }),
      keys,
      events,
      health: () =>
        healthReport({
          kafka,
          reads: options.reads,
          databaseEngine: options.readEngine,
          analytics: { engine: options.analyticsEngine, ping: () => options.analytics.ping() },
          ...(options.connectorGroup ? { connectorGroup: options.connectorGroup } : {}),
        }),
      now: Date.now,
    };
    return { services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
