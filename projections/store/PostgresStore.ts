import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../services/shared/index.js';
import type { QueryResult, SqlExecutor, SqlParam, SqlRow, SqlStore, WriteStatement } from './SqlStore.js';
import { checkSchemaName } from './sqlError.js';

const INT8 = 20;
const NUMERIC = 1700;

const statementNames = new Map<string, string>();

// Every statement is prepared once per connection under a name derived from its text: the
// statements are a fixed set, and parsing and planning them again for each event is most of the cost.
function nameOf(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `wa_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    async query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<R>> {
      const result = await client.query<R>({ name: nameOf(sql), text: sql, values: params as unknown[] });
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    },
    async run(statements: readonly WriteStatement[]): Promise<void> {
      for (const { sql, params } of statements) await client.query({ name: nameOf(sql), text: sql, values: params as unknown[] });
    },
    async exec(sql: string): Promise<void> {
      // Without parameters node-postgres uses the simple protocol, which runs several statements.
      await client.query(sql);
    },
  };
}

/** PostgreSQL through a node-postgres pool; every connection's search path is the read-model schema. */
export class PostgresStore implements SqlStore {
  readonly engine = 'postgres' as const;
  private readonly runner: SqlExecutor;

  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {
    this.runner = executor(pool);
  }

  /** Connects (and checks the connection once) to `url`. */
  static async open(options: { url: string; schema: string; logger: Logger; maxConnections?: number }): Promise<PostgresStore> {
    const schema = checkSchemaName(options.schema);
    const types = new pg.TypeOverrides();
    // Counts and epoch milliseconds fit in a double; strings would leak into every row type.
    types.setTypeParser(INT8, (value: string) => Number(value));
    types.setTypeParser(NUMERIC, (value: string) => Number(value));
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      options: `-c search_path=${schema}`,
      types,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection the server drops must not crash the process; the next query reconnects.
    pool.on('error', (error) => options.logger.warn({ err: error }, 'idle PostgreSQL connection failed'));
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return new PostgresStore(pool, schema);
  }

  query<R extends SqlRow = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<QueryResult<R>> {
    return this.runner.query<R>(sql, params);
  }

  run(statements: readonly WriteStatement[]): Promise<void> {
    return this.runner.run(statements);
  }

  exec(sql: string): Promise<void> {
    return this.runner.exec(sql);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const value = await fn(executor(client));
      await client.query('COMMIT');
      return value;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is gone; do not hand it to the next caller.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}
