import { join } from 'node:path';
import type { Config, Logger } from '../../services/shared/index.js';
import { PgliteStore } from './PgliteStore.js';
import { PostgresStore } from './PostgresStore.js';
import type { SqlStore } from './SqlStore.js';

/** The schema the live read models are in. */
export const READ_MODEL_SCHEMA = 'read_models';

/** Where PGlite keeps its files when DATABASE_URL is not set. */
export function pgliteDir(dataDir: string): string {
  return join(dataDir, 'projector', 'pglite');
}

/** PostgreSQL when DATABASE_URL is set, PGlite in DATA_DIR otherwise. */
export function openSqlStore(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  logger: Logger,
  options: { schema?: string; maxConnections?: number } = {},
): Promise<SqlStore> {
  const schema = options.schema ?? READ_MODEL_SCHEMA;
  if (config.databaseUrl !== undefined) {
    return PostgresStore.open({ url: config.databaseUrl, schema, logger, ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }) });
  }
  return PgliteStore.open({ dataDir: pgliteDir(config.dataDir), schema });
}
