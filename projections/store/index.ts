export type { QueryResult, SqlEngine, SqlExecutor, SqlParam, SqlRow, SqlStore, WriteStatement } from './SqlStore.js';
export { PgliteStore } from './PgliteStore.js';
export { PostgresStore } from './PostgresStore.js';
export { migrate, type Migration, type MigrationReport } from './migrate.js';
export { openSqlStore, pgliteDir, READ_MODEL_SCHEMA } from './openSqlStore.js';
export { checkSchemaName, isDataError, sqlError, sqlStateOf } from './sqlError.js';
