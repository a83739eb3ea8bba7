import { randomBytes } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AvroCodec } from '../../schemas/index.js';
import type { RoleMain } from '../cli/roles.js';
import type { Config, Logger } from '../shared/index.js';
import { createKafka, TOPIC, topicCatalog, webhookRetryTopic, type TopicSpec } from '../shared/kafka/index.js';
import { FileMediaStore } from '../shared/media/index.js';
import { SecretBox, sessionKey } from '../shared/secrets/index.js';
import { openAnalytics } from './analytics/index.js';
import { apiRoutes } from './apiRoutes.js';
import { createApp } from './createApp.js';
import { openReadModels } from './reads/index.js';
import { startApiServices } from './startApiServices.js';

/** The api role: one Koa server on PORT serving both API documents over Kafka commands, the read models and analytics. */
export const main: RoleMain = async ({ config, logger, lifecycle }) => {
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-api`, logger });
  const topics = topicCatalog(config.kafkaPartitions);
  const topic = (name: string): TopicSpec => topics.find((t) => t.name === name)!;
  const codec = AvroCodec.load();
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const box = new SecretBox(await sessionKey(config, logger));

  const reads = await openReadModels(config, kafka, logger);
  lifecycle.onShutdown('api read models', () => reads.close());
  const analytics = await openAnalytics(config);
  lifecycle.onShutdown('api analytics', () => analytics.close());
  const { services, stop } = await startApiServices({
    kafka,
    topics: {
      commands: topic(TOPIC.commands),
      commandResults: topic(TOPIC.commandResults),
      conversation: topic(TOPIC.conversation),
      account: topic(TOPIC.account),
      presence: topic(TOPIC.presence),
      webhooks: topic(TOPIC.webhooks),
      webhookRetry: topic(webhookRetryTopic('5s')),
      apiKeys: topic(TOPIC.apiKeys),
      deadLetters: topic(TOPIC.deadLetters),
    },
    codec,
    box,
    media: new FileMediaStore(join(config.dataDir, 'media')),
    reads: reads.models,
    readEngine: reads.engine,
    analytics: analytics.queries,
    analyticsEngine: analytics.engine,
    instanceId,
    logger,
    adminKey: config.apiKey,
    commandWaitMs: config.apiCommandWaitMs,
    commandTtlMs: config.apiCommandTtlMs,
    mediaMaxBytes: config.mediaMaxBytes,
    allowPrivate: config.webhookAllowPrivate,
    onFatal: (error) => lifecycle.fail(error),
  });
  lifecycle.onShutdown('api services', stop);
  const app = createApp({ services, routes: apiRoutes(), logger, config });
  const server = await listen(app.callback(), config, logger);
  // Closed first, so no request starts while the services behind it stop.
  lifecycle.onShutdown('api http', () => closeServer(server));
};

async function listen(handler: RequestListener, config: Config, logger: Logger): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => resolve());
  });
  logger.info({ port: config.port }, 'api listening');
  return server;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
