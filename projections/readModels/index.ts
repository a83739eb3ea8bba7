export type * from './ReadModels.js';
export { isReadModelMethod, READ_MODEL_METHODS, READ_MODELS_PATH, type ReadModelMethod } from './readModelMethods.js';
export { serveReadModels } from './serveReadModels.js';
export { SqlReadModels, type LogEnds, type PartitionEnds, type SqlReadModelsOptions } from './SqlReadModels.js';
export { evolveReadModels, READ_MODEL_MIGRATIONS, READ_MODEL_TABLES, READ_MODELS } from './readModelCatalog.js';
export { MAX_LIMIT } from './pagination.js';
export { WEBHOOK_ATTEMPT_OUTCOMES } from './webhooks/index.js';
export type { ReadModelDefinition, Statement } from './shared/index.js';
