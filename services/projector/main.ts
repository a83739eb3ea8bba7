import { AvroCodec } from '../../schemas/index.js';
import { READ_MODEL_MIGRATIONS, serveReadModels, SqlReadModels } from '../../projections/readModels/index.js';
import { kafkaLogEnds, PROJECTOR_GROUP, ProjectionRunner, projectorTopics } from '../../projections/runner/index.js';
import { migrate, openSqlStore } from '../../projections/store/index.js';
import type { RoleMain } from '../cli/roles.js';
import { createKafka, DeadLetterWriter, deadLetterTopic, KafkaProducer } from '../shared/kafka/index.js';
import { kafkaGroupLag, watchLag } from '../shared/ops/index.js';

/** Partitions applied at once on PostgreSQL (PGlite runs one transaction at a time whatever this says). */
const POSTGRES_CONCURRENCY = 4;

/**
 * The projector role: brings the read-model schema up to date, then keeps the read models in
 * step with the event topics (PostgreSQL when DATABASE_URL is set, PGlite in DATA_DIR
 * otherwise). PGlite can only be opened by this process, so then it also serves the read
 * models to the API processes on PROJECTOR_PORT.
 */
export const main: RoleMain = async ({ config, logger, lifecycle, health, admin }) => {
  const store = await openSqlStore(config, logger, { maxConnections: POSTGRES_CONCURRENCY + 2 });
  lifecycle.onShutdown('read-model store', () => store.close());
  health.check('read-model store', async () => {
    await store.query('SELECT 1');
  });
  const migrated = await migrate(store, READ_MODEL_MIGRATIONS);
  logger.info({ engine: store.engine, schema: store.schema, version: migrated.current, applied: migrated.applied }, 'read-model schema ready');
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-projector`, logger });
  const topics = projectorTopics(config.kafkaPartitions);
  if (store.engine === 'pglite') {
    const logEnds = kafkaLogEnds(kafka);
    lifecycle.onShutdown('lag reader', () => logEnds.close());
    const models = new SqlReadModels({ store, topics: Object.values(topics).map((spec) => spec.name), logEnds });
    const server = await serveReadModels({ models, port: config.projectorPort, logger });
    lifecycle.onShutdown('read-model server', () => new Promise<void>((resolve) => server.close(() => resolve())));
    logger.info({ port: config.projectorPort }, 'serving the embedded read models to API processes');
  }
  const codec = AvroCodec.load();
  const producer = await KafkaProducer.connect(kafka, logger);
  lifecycle.onShutdown('dead-letter producer', () => producer.disconnect());
  const deadLetters = new DeadLetterWriter({ producer, topic: deadLetterTopic(config.kafkaPartitions), codec, consumer: 'projector', logger });
  const runner = await ProjectionRunner.start({
    kafka,
    groupId: PROJECTOR_GROUP,
    topics,
    store,
    codec,
    deadLetters,
    logger,
    partitionsConcurrently: store.engine === 'postgres' ? POSTGRES_CONCURRENCY : 1,
    onFatal: (error) => lifecycle.fail(error),
  });
  // The runner commits its positions to the group as well (after the store has them): the lag tooling's view.
  lifecycle.onShutdown('lag metric', watchLag(kafkaGroupLag(admin, PROJECTOR_GROUP, Object.values(topics).map((spec) => spec.name))));
  // Registered last, so it runs first: the batch in flight commits before the store closes.
  lifecycle.onShutdown('projector', () => runner.stop());
  logger.info({ engine: store.engine }, 'projector started');
};
