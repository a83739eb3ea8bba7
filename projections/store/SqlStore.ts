/** A row as both engines return it: int8 and numeric counts as numbers, json as objects. */
export type SqlRow = Record<string, unknown>;

/** A value a statement parameter may hold; arrays go to `text[]`, objects must be stringified for `jsonb`. */
export type SqlParam = string | number | boolean | null | readonly (string | null)[];

export interface QueryResult<R extends SqlRow = SqlRow> {
  rows: R[];
  /** Rows inserted, updated or deleted (or returned, for a SELECT). */
  rowCount: number;
}

/** A parameterised statement whose result is not needed. */
export interface WriteStatement {
  sql: string;
  params: readonly SqlParam[];
}

/** Runs SQL: one parameterised statement per `query`, many per `run`, any number of plain statements per `exec`. */
export interface SqlExecutor {
  query<R extends SqlRow = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<QueryResult<R>>;
  /** Write statements in order, results unused; rejects with the first failure (the rest do not run). */
  run(statements: readonly WriteStatement[]): Promise<void>;
  /** Several statements at once, without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type SqlEngine = 'pglite' | 'postgres';

/**
 * The read-model database: PGlite (embedded) or PostgreSQL, one SQL dialect. Tables live in
 * one PostgreSQL schema (`schema`), resolved through the search path, so the same statements
 * run against a rebuild in another schema.
 */
export interface SqlStore extends SqlExecutor {
  readonly engine: SqlEngine;
  /** The PostgreSQL schema holding the tables. */
  readonly schema: string;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
