import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { WaError, type Logger } from '../../../services/shared/index.js';

/** The analytics store: a ClickHouse server, or chDB (ClickHouse in this process). */
export interface AnalyticsClient {
  /** What `/health` and logs call the engine. */
  readonly engine: 'clickhouse' | 'chdb';
  /** Runs a statement that returns nothing (DDL, INSERT … SELECT). */
  command(sql: string): Promise<void>;
  /** Runs a SELECT and returns its rows (JSONEachRow: 64-bit integers arrive as strings). */
  query<T extends Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Inserts rows into `database.table` in one INSERT (one part: all of it lands or none). */
  insert(table: string, rows: readonly object[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

// Server error codes that say nothing about the statement: the same work can succeed later.
const RETRIABLE_CODES = new Set([
  '159', // TIMEOUT_EXCEEDED
  '202', // TOO_MANY_SIMULTANEOUS_QUERIES
  '209', // SOCKET_TIMEOUT
  '210', // NETWORK_ERROR
  '241', // MEMORY_LIMIT_EXCEEDED
  '252', // TOO_MANY_PARTS
  '425', // SYSTEM_ERROR
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** An analytics store failure as a WaError: retriable when the server or the connection failed, not the statement. */
export function analyticsError(error: unknown, action: string): WaError {
  if (error instanceof WaError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // Current servers give the code as a field; 18.16's older error format only in the text.
  const given = typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code ?? '') : '';
  const code = given || (/^Code: (\d+)/.exec(message)?.[1] ?? '');
  const cause = typeof error === 'object' && error !== null ? (error as { cause?: { code?: unknown } }).cause : undefined;
  const retriable = RETRIABLE_CODES.has(code) || NETWORK_CODES.has(code) || NETWORK_CODES.has(String(cause?.code ?? '')) || /socket hang up|Timeout error/i.test(message);
  return new WaError(retriable ? 'UNAVAILABLE' : 'INTERNAL', `${action}: ${message}`, { cause: error, retriable, ...(code ? { details: { clickhouseCode: code } } : {}) });
}

class ClickHouseAnalyticsClient implements AnalyticsClient {
  constructor(
    readonly engine: 'clickhouse' | 'chdb',
    private readonly client: ClickHouseClient,
    private readonly release: () => Promise<void>,
  ) {}

  async command(sql: string): Promise<void> {
    try {
      await this.client.command({ query: sql });
    } catch (error) {
      throw analyticsError(error, 'analytics statement failed');
    }
  }

  async query<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
    try {
      const result = await this.client.query({ query: sql, format: 'JSONEachRow' });
      return await result.json<T>();
    } catch (error) {
      throw analyticsError(error, 'analytics query failed');
    }
  }

  async insert(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.client.insert({ table, values: rows as object[], format: 'JSONEachRow' });
    } catch (error) {
      throw analyticsError(error, `inserting into ${table}`);
    }
  }

  async ping(): Promise<void> {
    const result = await this.client.ping();
    if (!result.success) throw analyticsError(result.error, 'the analytics store does not answer');
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.release();
  }
}

/** Opens a ClickHouse server by URL (`CLICKHOUSE_URL`; user and password may sit in the URL). */
export function openClickHouse(url: string, options: { requestTimeoutMs?: number } = {}): AnalyticsClient {
  const parsed = new URL(url);
  const username = decodeURIComponent(parsed.username) || 'default';
  const password = decodeURIComponent(parsed.password);
  const database = parsed.pathname.replace(/^\/+/, '') || undefined;
  parsed.username = '';
  parsed.password = '';
  parsed.pathname = '/';
  const client = createClient({
    url: parsed.toString().replace(/\/$/, ''),
    username,
    password,
    ...(database ? { database } : {}),
    request_timeout: options.requestTimeoutMs ?? 60_000,
    application: 'wa-backbone',
    // Failures reach our logger as WaErrors; the client's own console logging stays off.
    log: { level: ClickHouseLogLevel.OFF },
    // Without it a server fails a query half-way through its result with HTTP 200 and the error
    // appended to the rows; with it the failure is a plain HTTP 500.
    clickhouse_settings: { wait_end_of_query: 1 },
  });
  return new ClickHouseAnalyticsClient('clickhouse', client, async () => undefined);
}

// chDB runs one engine per process, bound to one folder: every client of the process shares it.
let chdbEngine: { path: string; users: number } | undefined;

/** Opens chDB, ClickHouse in this process, on a folder (`null`: in memory). */
export async function openChdb(path: string | null): Promise<AnalyticsClient> {
  const where = path ?? ':memory:';
  if (chdbEngine !== undefined && chdbEngine.path !== where) {
    throw new WaError('INVALID_CONFIG', `chDB already runs on ${chdbEngine.path} in this process; one folder per process`);
  }
  const { createChdbConnection } = await import('chdb/connection');
  chdbEngine ??= { path: where, users: 0 };
  chdbEngine.users += 1;
  const connection = createChdbConnection({ path: where });
  const client = createClient({ connection, log: { level: ClickHouseLogLevel.OFF } } as Parameters<typeof createClient>[0]);
  let released = false;
  return new ClickHouseAnalyticsClient('chdb', client, async () => {
    if (released || chdbEngine === undefined) return;
    released = true;
    chdbEngine.users -= 1;
    if (chdbEngine.users === 0) chdbEngine = undefined;
  });
}

/** The configured analytics store: the ClickHouse server at CLICKHOUSE_URL, else chDB in `DATA_DIR/analytics`. */
export async function openAnalyticsClient(config: { clickhouseUrl: string | undefined; dataDir: string }, logger: Logger): Promise<AnalyticsClient> {
  const client = config.clickhouseUrl !== undefined ? openClickHouse(config.clickhouseUrl) : await openChdb(`${config.dataDir.replace(/\/+$/, '')}/analytics`);
  logger.info({ engine: client.engine }, 'analytics store opened');
  return client;
}
