import type { Kafka } from 'kafkajs';
import { join } from 'node:path';
import { AvroCodec } from '../../schemas/index.js';
import type { RoleMain } from '../cli/roles.js';
import type { Config, Logger } from '../shared/index.js';
import { CONNECTOR_GROUP, createKafka } from '../shared/kafka/index.js';
import { FileMediaStore } from '../shared/media/index.js';
import { fetchPublic } from '../shared/net/index.js';
import { kafkaGroupLag, watchLag, watchSessions } from '../shared/ops/index.js';
import { SecretBox, sessionKey } from '../shared/secrets/index.js';
import { SendPacer } from './pacing/index.js';
import { BaileysDriver } from './drivers/baileys/index.js';
import { SimulatorDriver } from './drivers/simulator/index.js';
import type { WaDriver } from './drivers/Driver.js';
import { Connector } from './runtime/Connector.js';
import { connectorTopics } from './runtime/ConnectorTopics.js';

/** The connector's Kafka client: short first retries, for back-to-back transactions. */
export function connectorKafka(brokers: readonly string[], clientId: string, logger: Logger): Kafka {
  return createKafka({ brokers, clientId, logger, initialRetryTimeMs: 20 });
}

/** The driver of WA_DRIVER. */
export function createDriver(config: Config, logger: Logger): WaDriver {
  return config.waDriver === 'simulator' ? new SimulatorDriver({ baseUrl: config.simulatorUrl, logger }) : new BaileysDriver({ logger });
}

/** The connector role: joins `wa-connectors` and runs the accounts of its partitions. */
export const main: RoleMain = async ({ config, logger, lifecycle, admin }) => {
  const box = new SecretBox(await sessionKey(config, logger));
  const kafka = connectorKafka(config.kafkaBrokers, `${config.kafkaClientId}-connector`, logger);
  const connector = await Connector.start({
    kafka,
    groupId: CONNECTOR_GROUP,
    logger,
    onFatal: (error) => lifecycle.fail(error),
    environment: {
      codec: AvroCodec.load(),
      topics: connectorTopics(config.kafkaPartitions),
      driver: createDriver(config, logger),
      media: new FileMediaStore(join(config.dataDir, 'media')),
      pacer: new SendPacer({ pacing: { capacity: config.sendBurst, refillPerSecond: config.sendPerMinute / 60 } }),
      box,
      logger,
      now: Date.now,
      connectWaitMs: 20_000,
      fetchUrl: async (url) =>
        (await fetchPublic(url, { allowPrivate: config.webhookAllowPrivate, maxBytes: config.mediaMaxBytes, field: 'content.media.mediaId' })).stream,
    },
  });
  lifecycle.onShutdown('metrics', watchSessions(() => connector.sessionStates()));
  const topics = connectorTopics(config.kafkaPartitions);
  lifecycle.onShutdown('lag metric', watchLag(kafkaGroupLag(admin, CONNECTOR_GROUP, [topics.commands.name])));
  lifecycle.onShutdown('connector', () => connector.stop());
  logger.info({ driver: config.waDriver }, 'connector started');
};
