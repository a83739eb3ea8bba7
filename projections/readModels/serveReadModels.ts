import type { Server } from 'node:http';
import type { Logger } from '../../services/shared/index.js';
import { serveMethods } from '../../services/shared/rpc/index.js';
import type { ReadModels } from './ReadModels.js';
import { READ_MODEL_METHODS, READ_MODELS_PATH } from './readModelMethods.js';

/**
 * Serves ReadModels over HTTP (`POST /reads/<method>`, arguments as a JSON array) for API
 * processes when the read models live in this process's embedded PGlite, which no other
 * process may open. Bound to loopback unless told otherwise: it is an internal interface.
 */
export function serveReadModels(options: { models: ReadModels; port: number; host?: string; logger: Logger }): Promise<Server> {
  const { models, port, host, logger } = options;
  return serveMethods({ target: models, methods: READ_MODEL_METHODS, path: READ_MODELS_PATH, port, host, logger, what: 'read model' });
}
