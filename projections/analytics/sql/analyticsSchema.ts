import { sqlIdentifier } from './sqlLiteral.js';

/** The database the analytics tables live in (a rebuild fills another, then swaps). */
export const ANALYTICS_DATABASE = 'wa_analytics';

/** The fact tables, in the order a flush inserts them. */
export const FACT_TABLES = ['messages', 'message_status', 'connections', 'command_outcomes', 'webhook_deliveries'] as const;
export type FactTableName = (typeof FACT_TABLES)[number];

/** How a fact table is made and how the sink recognises a row it already holds. */
export interface FactTable {
  name: FactTableName;
  /** The row's identity within its account: an event that arrives again (same id) is not counted twice. */
  idColumn: string;
  /** The row's time, second in the sort key, so an id lookup reads few granules. */
  timeColumn: string;
  columns: string;
}

// Every table keeps where its row came from (source partition and offset): the views are
// repaired from the fact rows they are missing after a crash between the two inserts.
const SOURCE = `src_partition UInt16, src_offset UInt64`;

export const FACTS: Record<FactTableName, FactTable> = {
  messages: {
    name: 'messages',
    idColumn: 'event_id',
    timeColumn: 'sent_at',
    columns: `account_id String, event_id String, event_type String, message_id String, chat_jid String, chat_kind String,
      direction String, origin String, content_type String, from_me UInt8, text_length UInt32, media_bytes UInt64,
      sent_at DateTime('UTC'), recorded_at DateTime('UTC'), ${SOURCE}`,
  },
  message_status: {
    name: 'message_status',
    idColumn: 'event_id',
    timeColumn: 'status_at',
    columns: `account_id String, event_id String, message_id String, chat_jid String, chat_kind String, from_me UInt8,
      status String, error_code Int32, status_at DateTime('UTC'), recorded_at DateTime('UTC'), ${SOURCE}`,
  },
  connections: {
    name: 'connections',
    idColumn: 'event_id',
    timeColumn: 'at',
    columns: `account_id String, event_id String, state String, previous_state String, reason String, status_code Int32,
      attempt UInt32, at DateTime('UTC'), recorded_at DateTime('UTC'), ${SOURCE}`,
  },
  command_outcomes: {
    name: 'command_outcomes',
    idColumn: 'command_id',
    timeColumn: 'completed_at',
    columns: `account_id String, command_id String, command_type String, status String, error_code String,
      duration_ms UInt32, completed_at DateTime('UTC'), ${SOURCE}`,
  },
  webhook_deliveries: {
    name: 'webhook_deliveries',
    idColumn: 'attempt_id',
    timeColumn: 'at',
    columns: `account_id String, attempt_id String, delivery_id String, endpoint_id String, event_type String, attempt UInt16,
      outcome String, http_status UInt16, latency_ms UInt32, at DateTime('UTC'), ${SOURCE}`,
  },
};

/** A materialized view rolling a fact table up into an AggregatingMergeTree, and how to redo it for a range of source offsets. */
export interface RollupView {
  name: string;
  /** The table the view writes into (`<name>` is the target, `<name>_mv` the view). */
  source: FactTableName;
  keyColumns: string;
  /** `expression AS column` for each key column, in order. */
  keySelect: string;
  targetKeyTypes: string;
  aggregates: string;
  aggregateTypes: string;
}

const MESSAGE_AGGREGATES = 'countState() AS messages, sumState(media_bytes) AS media_bytes, maxState(src_offset) AS max_offset';
const MESSAGE_AGGREGATE_TYPES = 'messages AggregateFunction(count), media_bytes AggregateFunction(sum, UInt64), max_offset AggregateFunction(max, UInt64)';

/** Daily, hourly and weekday message counts per account (and chat kind and direction). */
export const ROLLUPS: readonly RollupView[] = [
  {
    name: 'messages_daily',
    source: 'messages',
    keyColumns: 'account_id, day, chat_kind, direction, src_partition',
    keySelect: 'account_id, toDate(sent_at) AS day, chat_kind, direction, src_partition',
    targetKeyTypes: 'account_id String, day Date, chat_kind String, direction String, src_partition UInt16',
    aggregates: MESSAGE_AGGREGATES,
    aggregateTypes: MESSAGE_AGGREGATE_TYPES,
  },
  {
    name: 'messages_hourly',
    source: 'messages',
    keyColumns: 'account_id, hour, chat_kind, direction, src_partition',
    keySelect: "account_id, toStartOfHour(sent_at) AS hour, chat_kind, direction, src_partition",
    targetKeyTypes: "account_id String, hour DateTime('UTC'), chat_kind String, direction String, src_partition UInt16",
    aggregates: MESSAGE_AGGREGATES,
    aggregateTypes: MESSAGE_AGGREGATE_TYPES,
  },
  {
    name: 'messages_weekday',
    source: 'messages',
    keyColumns: 'account_id, weekday, chat_kind, direction, src_partition',
    keySelect: 'account_id, toDayOfWeek(sent_at) AS weekday, chat_kind, direction, src_partition',
    targetKeyTypes: 'account_id String, weekday UInt8, chat_kind String, direction String, src_partition UInt16',
    aggregates: MESSAGE_AGGREGATES,
    aggregateTypes: MESSAGE_AGGREGATE_TYPES,
  },
];

/** Where the analytics consumer stands per partition (written after each flush's rows). */
export const POSITIONS_TABLE = 'analytics_positions';

/** `db.table` with both names checked. */
export function qualified(database: string, table: string): string {
  return `${sqlIdentifier(database)}.${sqlIdentifier(table)}`;
}

/** The SELECT a rollup view runs, optionally limited to some source rows. */
export function rollupSelect(database: string, view: RollupView, where?: string): string {
  return `SELECT ${view.keySelect}, ${view.aggregates} FROM ${qualified(database, view.source)}${where ? ` WHERE ${where}` : ''} GROUP BY ${view.keyColumns}`;
}

/**
 * Every statement that brings a database up to the current tables, idempotent (`IF NOT
 * EXISTS`), in order. Nothing newer than ClickHouse 18.16: no LowCardinality, no
 * SimpleAggregateFunction, no PARTITION BY (one insert is one part, so it lands whole or not).
 */
export function analyticsSchema(database: string): string[] {
  const statements = [`CREATE DATABASE IF NOT EXISTS ${sqlIdentifier(database)}`];
  for (const name of FACT_TABLES) {
    const table = FACTS[name];
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${qualified(database, name)} (${table.columns.replace(/\s+/g, ' ')}) ENGINE = MergeTree ORDER BY (account_id, ${table.timeColumn}, ${table.idColumn})`,
    );
  }
  for (const view of ROLLUPS) {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${qualified(database, view.name)} (${view.targetKeyTypes}, ${view.aggregateTypes}) ENGINE = AggregatingMergeTree ORDER BY (${view.keyColumns})`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${qualified(database, `${view.name}_mv`)} TO ${qualified(database, view.name)} AS ${rollupSelect(database, view)}`,
    );
  }
  statements.push(
    `CREATE TABLE IF NOT EXISTS ${qualified(database, POSITIONS_TABLE)} (topic String, partition UInt16, next_offset UInt64, updated_at DateTime('UTC')) ENGINE = ReplacingMergeTree(next_offset) ORDER BY (topic, partition)`,
  );
  return statements;
}
