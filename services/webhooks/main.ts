import { AvroCodec } from '../../schemas/index.js';
import type { RoleMain } from '../cli/roles.js';
import { DeadLetterWriter, KafkaProducer, TOPIC, WEBHOOKS_GROUP, createKafka, deadLetterTopic, topicCatalog } from '../shared/kafka/index.js';
import { kafkaGroupLag, watchLag } from '../shared/ops/index.js';
import { SecretBox, sessionKey } from '../shared/secrets/index.js';
import { SubscriptionLog } from '../shared/webhooks/index.js';
import { Dispatcher, dispatcherTopics } from './dispatch/index.js';

/**
 * The webhooks role: follows the subscriptions on wa.webhooks.v1 and delivers the events of
 * the partitions it owns in group `wa-webhooks`, retrying through the retry topics and giving
 * up to the dead-letter topic. Run as many as there are partitions; they share the work.
 */
export const main: RoleMain = async ({ config, logger, lifecycle, admin }) => {
  const codec = AvroCodec.load();
  const box = new SecretBox(await sessionKey(config, logger));
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-webhooks`, logger });
  const subscriptionsTopic = topicCatalog(config.kafkaPartitions).find((spec) => spec.name === TOPIC.webhooks)!;
  const producer = await KafkaProducer.connect(kafka, logger);
  lifecycle.onShutdown('webhooks producer', () => producer.disconnect());
  const subscriptions = await SubscriptionLog.start({
    kafka,
    producer,
    codec,
    topic: subscriptionsTopic,
    deadLetters: new DeadLetterWriter({ producer, topic: deadLetterTopic(config.kafkaPartitions), codec, consumer: 'webhooks', logger }),
    groupId: `${WEBHOOKS_GROUP}-subscriptions.${process.pid}.${Date.now()}`,
    source: 'wa-backbone/webhooks',
    logger,
    onFatal: (error) => lifecycle.fail(error),
  });
  lifecycle.onShutdown('webhook subscriptions', () => subscriptions.stop());
  const topics = dispatcherTopics(config.kafkaPartitions);
  const dispatcher = await Dispatcher.start({
    kafka,
    codec,
    box,
    subscriptions,
    topics,
    groupId: WEBHOOKS_GROUP,
    logger,
    allowPrivate: config.webhookAllowPrivate,
    timeoutMs: config.webhookTimeoutMs,
    concurrencyPerEndpoint: config.webhookConcurrency,
    onFatal: (error) => lifecycle.fail(error),
  });
  lifecycle.onShutdown('lag metric', watchLag(kafkaGroupLag(admin, WEBHOOKS_GROUP, [...topics.events, ...topics.retries].map((spec) => spec.name))));
  // Registered last, so it runs first: the batches in hand are written before the subscriptions reader stops.
  lifecycle.onShutdown('webhooks', () => dispatcher.stop());
  logger.info({ group: WEBHOOKS_GROUP, timeoutMs: config.webhookTimeoutMs, concurrency: config.webhookConcurrency }, 'webhooks started');
};
