import type { Kafka } from 'kafkajs';
import type { ReadModels } from '../../../projections/readModels/index.js';
import { READ_MODEL_MIGRATIONS, SqlReadModels } from '../../../projections/readModels/index.js';
import { kafkaLogEnds, projectorTopics } from '../../../projections/runner/index.js';
import { migrate, PostgresStore, READ_MODEL_SCHEMA } from '../../../projections/store/index.js';
import type { Config, Logger } from '../../shared/index.js';
import { HttpReadModels } from './HttpReadModels.js';

/** The API's read side and how to let it go. */
export interface OpenedReadModels {
  models: ReadModels;
  /** What `/health` names the store. */
  engine: string;
  close(): Promise<void>;
}

/**
 * PostgreSQL directly when DATABASE_URL is set (the schema brought up to date here too, so
 * the API may start before the projector); otherwise the projector's embedded PGlite,
 * through the projector.
 */
export async function openReadModels(config: Pick<Config, 'databaseUrl' | 'projectorUrl' | 'kafkaPartitions'>, kafka: Kafka, logger: Logger): Promise<OpenedReadModels> {
  if (config.databaseUrl !== undefined) {
    const store = await PostgresStore.open({ url: config.databaseUrl, schema: READ_MODEL_SCHEMA, logger });
    await migrate(store, READ_MODEL_MIGRATIONS);
    const logEnds = kafkaLogEnds(kafka);
    const topics = Object.values(projectorTopics(config.kafkaPartitions)).map((spec) => spec.name);
    return {
      models: new SqlReadModels({ store, topics, logEnds }),
      engine: 'postgresql',
      close: async () => {
        await logEnds.close();
        await store.close();
      },
    };
  }
  return { models: new HttpReadModels({ baseUrl: config.projectorUrl }), engine: 'pglite (via the projector)', close: async () => undefined };
}
