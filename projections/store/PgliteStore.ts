import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { QueryResult, SqlExecutor, SqlParam, SqlRow, SqlStore } from './SqlStore.js';
import { lockDirectory } from './directoryLock.js';
import { checkSchemaName } from './sqlError.js';

const INT8 = 20;
const NUMERIC = 1700;

type PgliteRunner = Pick<PGlite, 'query' | 'exec'> | Pick<Transaction, 'query' | 'exec'>;

function executor(db: PgliteRunner): SqlExecutor {
  return {
    async query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<R>> {
      const result = await db.query<R>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await db.exec(sql);
    },
  };
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly, in this process): files in `dataDir`, or in
 * memory when it is null. One connection; PGlite runs queries and transactions one at a time.
 */
export class PgliteStore implements SqlStore {
  readonly engine = 'pglite' as const;
  private readonly runner: SqlExecutor;

  private constructor(
    private readonly db: PGlite,
    readonly schema: string,
    private readonly unlock: () => Promise<void>,
  ) {
    this.runner = executor(db);
  }

  /** Opens (creating when missing) the database and points the search path at `schema`. */
  static async open(options: { dataDir: string | null; schema: string }): Promise<PgliteStore> {
    const schema = checkSchemaName(options.schema);
    const parsers = { [INT8]: (value: string) => Number(value), [NUMERIC]: (value: string) => Number(value) };
    if (options.dataDir === null) {
      const db = await PGlite.create({ parsers });
      await db.exec(`SET search_path TO ${schema}`);
      return new PgliteStore(db, schema, async () => undefined);
    }
    await mkdir(options.dataDir, { recursive: true });
    const unlock = await lockDirectory(`${options.dataDir.replace(/[\\/]+$/, '')}.lock`, `the PGlite database in ${options.dataDir}`);
    try {
      const db = await PGlite.create(options.dataDir, { parsers });
      await db.exec(`SET search_path TO ${schema}`);
      return new PgliteStore(db, schema, unlock);
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  query<R extends SqlRow = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<QueryResult<R>> {
    return this.runner.query<R>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.runner.exec(sql);
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(executor(tx)));
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
    await this.unlock();
  }
}
