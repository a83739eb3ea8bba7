import { mkdir } from 'node:fs/promises';
import { PGlite, parse, protocol } from '@electric-sql/pglite';
import type { QueryResult, SqlExecutor, SqlParam, SqlRow, SqlStore, WriteStatement } from './SqlStore.js';
import { lockDirectory } from './directoryLock.js';
import { checkSchemaName } from './sqlError.js';

const INT8 = 20;
const NUMERIC = 1700;

// Beyond this many distinct statement texts, new ones are parsed each time instead of kept.
const MAX_PREPARED = 1_000;
// Statements sent to the engine in one protocol round by `run` (a few hundred kB of messages).
const PIPELINE = 2_000;

/**
 * PGlite runs PostgreSQL single-user with fsync off (its own defaults): what is committed is
 * written to the files before the call returns, so a killed process loses nothing committed,
 * but nothing protects against the machine losing power. Within that, two settings only cost:
 * full-page images in the WAL (they guard against pages torn by a power loss, which fsync off
 * leaves unguarded anyway) and WAL for replication (an embedded database has no replicas).
 * Without them a replay into PGlite writes 12% less WAL and ran 15-20% faster (replay probe,
 * 100,000 events, four interleaved pairs of runs).
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'full_page_writes=off', '-c', 'wal_level=minimal', '-c', 'max_wal_senders=0'];

interface Prepared {
  name: string;
  paramTypes: number[];
}

/**
 * Parameterised statements as named prepared statements of PGlite's one session: each text is
 * parsed and planned once, then every run is a single bind/execute round into the engine.
 * PGlite's own `query` parses, describes, binds and executes in separate rounds every time,
 * which made parsing and planning most of a projection's cost.
 */
class PreparedStatements {
  private readonly prepared = new Map<string, Prepared>();

  constructor(private readonly db: PGlite) {}

  /** Runs one statement; `syncToFs` false inside a transaction, whose COMMIT writes the files. */
  async query<R extends SqlRow>(sql: string, params: readonly SqlParam[], syncToFs: boolean): Promise<QueryResult<R>> {
    const statement = this.prepared.get(sql) ?? (await this.prepare(sql));
    const { messages } = await this.db.execProtocol(
      Buffer.concat([
        protocol.serialize.bind({ statement: statement.name, values: this.values(statement, params) }),
        protocol.serialize.describe({ type: 'P' }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]),
      { syncToFs },
    );
    const [result] = parse.parseResults(messages, this.db.parsers);
    const rows = (result?.rows ?? []) as R[];
    return { rows, rowCount: result?.affectedRows ?? rows.length };
  }

  /**
   * Runs write statements in order, many per protocol round (one engine call for up to PIPELINE
   * statements instead of one each: the call, not the statement, was most of a projection's
   * time). After a failure the engine skips the rest of the round and the call rejects.
   */
  async run(statements: readonly WriteStatement[], syncToFs: boolean): Promise<void> {
    for (let start = 0; start < statements.length; start += PIPELINE) {
      const parts: Uint8Array[] = [];
      for (const { sql, params } of statements.slice(start, start + PIPELINE)) {
        const statement = this.prepared.get(sql) ?? (await this.prepare(sql));
        // An unnamed statement is replaced by the next parse: it travels with its own.
        if (statement.name === '') parts.push(protocol.serialize.parse({ name: '', text: sql }));
        parts.push(protocol.serialize.bind({ statement: statement.name, values: this.values(statement, params) }), protocol.serialize.execute({}));
      }
      parts.push(protocol.serialize.sync());
      await this.db.execProtocol(Buffer.concat(parts), { syncToFs });
    }
  }

  private values(statement: Prepared, params: readonly SqlParam[]): (string | null)[] {
    return params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = this.db.serializers[statement.paramTypes[i] ?? 0];
      return serializer ? serializer(value) : value.toString();
    });
  }

  // Parsed on its own first: a statement that fails to parse is never recorded as prepared.
  private async prepare(sql: string): Promise<Prepared> {
    const keep = this.prepared.size < MAX_PREPARED;
    const name = keep ? `wa_${this.prepared.size}` : '';
    const { messages } = await this.db.execProtocol(
      Buffer.concat([protocol.serialize.parse({ name, text: sql }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()]),
      { syncToFs: false },
    );
    const statement = { name, paramTypes: parse.parseDescribeStatementResults(messages) };
    if (keep) this.prepared.set(sql, statement);
    return statement;
  }
}

/** The executor of a transaction in progress: prepared statements, files written at COMMIT. */
function transactionExecutor(statements: PreparedStatements, exec: (sql: string) => Promise<unknown>): SqlExecutor {
  return {
    query: <R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []) => statements.query<R>(sql, params, false),
    run: (list: readonly WriteStatement[]) => statements.run(list, false),
    async exec(sql: string): Promise<void> {
      await exec(sql);
    },
  };
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly, in this process): files in `dataDir`, or in
 * memory when it is null. One connection; PGlite runs queries and transactions one at a time.
 */
export class PgliteStore implements SqlStore {
  readonly engine = 'pglite' as const;
  private readonly statements: PreparedStatements;

  private constructor(
    private readonly db: PGlite,
    readonly schema: string,
    private readonly unlock: () => Promise<void>,
  ) {
    this.statements = new PreparedStatements(db);
  }

  /** Opens (creating when missing) the database and points the search path at `schema`. */
  static async open(options: { dataDir: string | null; schema: string }): Promise<PgliteStore> {
    const schema = checkSchemaName(options.schema);
    const parsers = { [INT8]: (value: string) => Number(value), [NUMERIC]: (value: string) => Number(value) };
    if (options.dataDir === null) {
      const db = await PGlite.create({ parsers, startParams: START_PARAMS });
      await db.exec(`SET search_path TO ${schema}`);
      return new PgliteStore(db, schema, async () => undefined);
    }
    await mkdir(options.dataDir, { recursive: true });
    const unlock = await lockDirectory(`${options.dataDir.replace(/[\\/]+$/, '')}.lock`, `the PGlite database in ${options.dataDir}`);
    try {
      const db = await PGlite.create(options.dataDir, { parsers, startParams: START_PARAMS });
      await db.exec(`SET search_path TO ${schema}`);
      return new PgliteStore(db, schema, unlock);
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<R>> {
    return this.exclusive(() => this.statements.query<R>(sql, params, true));
  }

  run(statements: readonly WriteStatement[]): Promise<void> {
    return this.exclusive(() => this.statements.run(statements, true));
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(transactionExecutor(this.statements, (sql) => tx.exec(sql))));
  }

  // Raw protocol rounds take no lock of their own. This takes the two PGlite's own `query` takes
  // (its public `runExclusive` takes only the second), so it never runs inside another caller's transaction.
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.db._runExclusiveTransaction(() => this.db._runExclusiveQuery(fn));
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
    await this.unlock();
  }
}
