import { AvroCodec } from '../../schemas/index.js';
import { ANALYTICS_DATABASE, ANALYTICS_GROUP, ClickHouseAnalytics, openAnalyticsClient, serveAnalytics, startAnalyticsProjection } from '../../projections/analytics/index.js';
import { projectorTopics } from '../../projections/runner/index.js';
import type { RoleMain } from '../cli/roles.js';
import { createKafka, DeadLetterWriter, deadLetterTopic, KafkaProducer } from '../shared/kafka/index.js';
import { kafkaGroupLag, watchLag } from '../shared/ops/index.js';

/**
 * The analytics role: brings the ClickHouse tables up to date, then keeps them in step with the
 * event topics (the server at CLICKHOUSE_URL, else chDB in DATA_DIR/analytics). chDB can only be
 * opened by this process, so then it also serves the analytics questions to the API processes
 * on ANALYTICS_PORT.
 */
export const main: RoleMain = async ({ config, logger, lifecycle, health, admin }) => {
  const client = await openAnalyticsClient(config, logger);
  lifecycle.onShutdown('analytics store', () => client.close());
  health.check('analytics store', () => client.ping());
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-analytics`, logger });
  const codec = AvroCodec.load();
  const producer = await KafkaProducer.connect(kafka, logger);
  lifecycle.onShutdown('dead-letter producer', () => producer.disconnect());
  const projection = await startAnalyticsProjection({
    kafka,
    groupId: ANALYTICS_GROUP,
    topics: projectorTopics(config.kafkaPartitions),
    client,
    database: ANALYTICS_DATABASE,
    codec,
    deadLetters: new DeadLetterWriter({ producer, topic: deadLetterTopic(config.kafkaPartitions), codec, consumer: 'analytics', logger }),
    logger,
    onFatal: (error) => lifecycle.fail(error),
  });
  if (client.engine === 'chdb') {
    const server = await serveAnalytics({ queries: new ClickHouseAnalytics(client, ANALYTICS_DATABASE), port: config.analyticsPort, logger });
    lifecycle.onShutdown('analytics server', () => new Promise<void>((resolve) => server.close(() => resolve())));
    logger.info({ port: config.analyticsPort }, 'serving the embedded analytics to API processes');
  }
  lifecycle.onShutdown('lag metric', watchLag(kafkaGroupLag(admin, ANALYTICS_GROUP, Object.values(projectorTopics(config.kafkaPartitions)).map((spec) => spec.name))));
  // Registered last, so it runs first: the flush in flight is stored before the store closes.
  lifecycle.onShutdown('analytics', () => projection.stop());
  logger.info({ engine: client.engine, database: ANALYTICS_DATABASE }, 'analytics started');
};
