import type { AvroCodec } from '../../../schemas/index.js';
import type { Logger, WaError } from '../../../services/shared/index.js';
import type { DeadLetterWriter, OutgoingRecord } from '../../../services/shared/kafka/index.js';
import { metrics } from '../../../services/shared/ops/index.js';
import { TOPIC_SCHEMA, toProjectedEvent, type ProjectedTopic } from '../../events/index.js';
import { isBrokenRecord, type BatchOutcome, type PartitionBatch, type ProjectionTarget, type StoredPosition, type TopicPartitions } from '../../runner/index.js';
import type { AnalyticsClient } from '../client/AnalyticsClient.js';
import { analyticsError } from '../client/AnalyticsClient.js';
import { analyticsRows, type AnalyticsRow } from '../rows/analyticsRows.js';
import { analyticsSchema, FACT_TABLES, FACTS, POSITIONS_TABLE, qualified, ROLLUPS, rollupSelect, type FactTableName } from '../sql/analyticsSchema.js';
import { dateTimeText, sqlTuple, sqlUInt } from '../sql/sqlLiteral.js';
import { analyticsPositions } from './analyticsPositions.js';

/** Which topic feeds each fact table. */
export const FACT_TOPIC: Record<FactTableName, ProjectedTopic | null> = {
  messages: 'conversation',
  message_status: 'conversation',
  connections: 'account',
  command_outcomes: 'commandResults',
  webhook_deliveries: 'webhookAttempts',
};

export interface AnalyticsSinkOptions {
  client: AnalyticsClient;
  database: string;
  codec: AvroCodec;
  logger: Logger;
  /** The least time between two inserts into a table (default 1 s): rows of many batches go in together. */
  flushIntervalMs?: number;
  /** Rows that flush at once whatever the interval (default 200,000): bounds memory. */
  maxRows?: number;
  /** Ids looked up per query when checking which rows the tables already hold. */
  lookupChunk?: number;
  now?: () => number;
  /** Fault injection for tests: called after each insert of a flush; a throw fails the flush there. */
  afterInsert?: (table: FactTableName | typeof POSITIONS_TABLE) => void | Promise<void>;
  /** Where undecodable records go, with their bytes: written in the flush, before the positions past them. */
  deadLetters?: Pick<DeadLetterWriter, 'letter' | 'write'>;
}

interface Waiting {
  batch: PartitionBatch;
  rows: AnalyticsRow[];
  letters: OutgoingRecord[];
  outcome: BatchOutcome;
  resolve: (outcome: BatchOutcome) => void;
  reject: (error: unknown) => void;
}

/** Rows a flush put into each table, and the rows it found already there. */
export interface FlushReport {
  inserted: Record<FactTableName, number>;
  duplicates: number;
  batches: number;
}

const key = (topic: string, partition: number): string => `${topic}:${partition}`;

function emptyCounts(): Record<FactTableName, number> {
  return Object.fromEntries(FACT_TABLES.map((name) => [name, 0])) as Record<FactTableName, number>;
}

/**
 * The analytics projection's target: partition batches are turned into fact rows and held until
 * the next flush, at most one INSERT per table per interval with every batch that arrived
 * meanwhile; each batch's promise settles with its flush, so the consumer commits nothing that is
 * not stored. Exactly once: a row whose id (per account) a table already holds is dropped, so a
 * redelivered batch or a re-emitted event counts once; positions are written after the rows; a
 * view that missed a flush (a crash between its table's insert and its own) is redone from the
 * fact rows past its last source offset when its partition is next assigned.
 */
export class AnalyticsSink implements ProjectionTarget {
  private readonly log: Logger;
  private readonly stored = new Map<string, number>();
  private readonly roleOf = new Map<string, ProjectedTopic>();
  private pending: Waiting[] = [];
  private pendingRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private lastFlushAt = 0;
  private repairNeeded = false;
  private closed = false;
  /** Called after each flush (tests, benchmarks). */
  onFlush: ((report: FlushReport) => void) | undefined;

  private constructor(
    private readonly options: AnalyticsSinkOptions,
    topics: Record<ProjectedTopic, { name: string }>,
  ) {
    this.log = options.logger.child({ component: 'analytics', database: options.database });
    for (const [role, spec] of Object.entries(topics)) this.roleOf.set(spec.name, role as ProjectedTopic);
  }

  /** Brings the database's tables up to date and returns a sink writing into them. */
  static async open(options: AnalyticsSinkOptions, topics: Record<ProjectedTopic, { name: string }>): Promise<AnalyticsSink> {
    await ensureAnalyticsSchema(options.client, options.database);
    return new AnalyticsSink(options, topics);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async readPositions(assigned: readonly TopicPartitions[]): Promise<StoredPosition[]> {
    await this.repairViews(assigned);
    const positions = await analyticsPositions(this.options.client, this.options.database, assigned.map((entry) => entry.topic));
    for (const position of positions) this.stored.set(key(position.topic, position.partition), position.nextOffset);
    return positions;
  }

  /** Redoes, from the fact rows, what a rollup view missed on these partitions. */
  private async repairViews(assigned: readonly TopicPartitions[]): Promise<void> {
    const { client, database } = this.options;
    for (const view of ROLLUPS) {
      const partitions = assigned.filter((entry) => this.roleOf.get(entry.topic) === FACT_TOPIC[view.source]).flatMap((entry) => [...entry.partitions]);
      if (partitions.length === 0) continue;
      const inList = `(${partitions.map(sqlUInt).join(', ')})`;
      const facts = await client.query<{ p: number | string; m: number | string }>(
        `SELECT src_partition AS p, max(src_offset) AS m FROM ${qualified(database, view.source)} WHERE src_partition IN ${inList} GROUP BY src_partition`,
      );
      const rolled = await client.query<{ p: number | string; m: number | string }>(
        `SELECT src_partition AS p, maxMerge(max_offset) AS m FROM ${qualified(database, view.name)} WHERE src_partition IN ${inList} GROUP BY src_partition`,
      );
      const viewMax = new Map(rolled.map((row) => [Number(row.p), Number(row.m)]));
      for (const row of facts) {
        const partition = Number(row.p);
        const factMax = Number(row.m);
        const done = viewMax.get(partition);
        if (done !== undefined && done >= factMax) continue;
        const from = done === undefined ? '' : ` AND src_offset > ${sqlUInt(done)}`;
        await client.command(
          `INSERT INTO ${qualified(database, view.name)} ${rollupSelect(database, view, `src_partition = ${sqlUInt(partition)}${from} AND src_offset <= ${sqlUInt(factMax)}`)}`,
        );
        this.log.warn({ view: view.name, partition, from: done ?? null, to: factMax }, 'rollup view repaired from its fact rows');
      }
    }
  }

  apply(batch: PartitionBatch): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { applied: 0, alreadyApplied: 0, ignored: 0, setAside: 0 };
    const stored = this.stored.get(key(batch.topic, batch.partition));
    const rows: AnalyticsRow[] = [];
    const letters: OutgoingRecord[] = [];
    for (const record of batch.records) {
      const offset = Number(record.offset);
      if (stored !== undefined && offset < stored) {
        outcome.alreadyApplied += 1;
        continue;
      }
      if (record.value === null) {
        outcome.ignored += 1;
        continue;
      }
      let event;
      try {
        event = toProjectedEvent(batch.role, this.options.codec.decode(record.value, TOPIC_SCHEMA[batch.role]).value);
      } catch (error) {
        if (!isBrokenRecord(error)) return Promise.reject(error);
        this.log.error({ err: error, topic: batch.topic, partition: batch.partition, offset: record.offset }, 'undecodable record moved to the dead letters');
        if (this.options.deadLetters) letters.push(this.options.deadLetters.letter(record, error));
        outcome.setAside += 1;
        continue;
      }
      if (event === null) {
        outcome.ignored += 1;
        continue;
      }
      rows.push(...analyticsRows(event, { partition: batch.partition, offset }));
      outcome.applied += 1;
    }
    return new Promise<BatchOutcome>((resolve, reject) => {
      this.pending.push({ batch, rows, letters, outcome, resolve, reject });
      this.pendingRows += rows.length;
      this.schedule();
    });
  }

  async passControlRecords(topic: string, partition: number, firstOffset: number, nextOffset: number): Promise<void> {
    const stored = this.stored.get(key(topic, partition));
    if (stored === undefined || stored < firstOffset || stored >= nextOffset) return;
    await this.writePositions(new Map([[key(topic, partition), { topic, partition, next: nextOffset }]]));
  }

  isDataError(): boolean {
    return false;
  }

  failure(error: unknown, action: string): WaError {
    return analyticsError(error, action);
  }

  /** Flushes what is held and stops taking batches. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    if (this.pending.length > 0) await this.flush();
  }

  private schedule(): void {
    if (this.flushing !== undefined) return;
    const full = this.pendingRows >= (this.options.maxRows ?? 200_000);
    if (full || this.closed) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      void this.flush();
      return;
    }
    if (this.timer !== undefined) return;
    const due = Math.max(0, this.lastFlushAt + (this.options.flushIntervalMs ?? 1_000) - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, due);
  }

  private flush(): Promise<void> {
    const work = this.pending;
    this.pending = [];
    this.pendingRows = 0;
    this.lastFlushAt = this.now();
    this.flushing = this.write(work)
      .then((report) => {
        for (const waiting of work) waiting.resolve(waiting.outcome);
        this.onFlush?.(report);
      })
      .catch((error: unknown) => {
        // Some tables may hold the rows and their views not: repair before the retry lands.
        this.repairNeeded = true;
        for (const waiting of work) waiting.reject(error);
      })
      .finally(() => {
        this.flushing = undefined;
        if (this.pending.length > 0) this.schedule();
      });
    return this.flushing;
  }

  private async write(work: readonly Waiting[]): Promise<FlushReport> {
    const { client, database } = this.options;
    if (this.repairNeeded) {
      const touched = new Map<string, Set<number>>();
      for (const { batch } of work) touched.set(batch.topic, (touched.get(batch.topic) ?? new Set()).add(batch.partition));
      await this.repairViews([...touched].map(([topic, partitions]) => ({ topic, partitions: [...partitions] })));
      this.repairNeeded = false;
    }
    const byTable = new Map<FactTableName, Map<string, Record<string, unknown>>>();
    let duplicates = 0;
    for (const { rows } of work) {
      for (const { table, row } of rows) {
        const fact = FACTS[table];
        const values = row as unknown as Record<string, unknown>;
        const id = `${String(values['account_id'])}\u0000${String(values[fact.idColumn])}`;
        const held = byTable.get(table) ?? new Map<string, Record<string, unknown>>();
        byTable.set(table, held);
        if (held.has(id)) duplicates += 1;
        else held.set(id, values);
      }
    }
    const inserted = emptyCounts();
    for (const table of FACT_TABLES) {
      const held = byTable.get(table);
      if (held === undefined || held.size === 0) continue;
      for (const id of await this.alreadyStored(table, [...held.values()])) {
        held.delete(id);
        duplicates += 1;
      }
      await client.insert(qualified(database, table), [...held.values()]);
      metrics.clickhouseInserts.inc({ table });
      metrics.clickhouseRows.inc({ table }, held.size);
      inserted[table] = held.size;
      await this.options.afterInsert?.(table);
    }
    // Before the positions that move past them: a crash in between writes the same letters again.
    await this.options.deadLetters?.write(work.flatMap((waiting) => waiting.letters));
    const positions = new Map<string, { topic: string; partition: number; next: number }>();
    for (const { batch } of work) {
      const next = Number(batch.lastOffset) + 1;
      const at = key(batch.topic, batch.partition);
      if ((positions.get(at)?.next ?? -1) < next) positions.set(at, { topic: batch.topic, partition: batch.partition, next });
    }
    await this.writePositions(positions);
    return { inserted, duplicates, batches: work.length };
  }

  private async writePositions(positions: Map<string, { topic: string; partition: number; next: number }>): Promise<void> {
    if (positions.size === 0) return;
    const updatedAt = dateTimeText(this.now());
    await this.options.client.insert(
      qualified(this.options.database, POSITIONS_TABLE),
      [...positions.values()].map((p) => ({ topic: p.topic, partition: p.partition, next_offset: p.next, updated_at: updatedAt })),
    );
    await this.options.afterInsert?.(POSITIONS_TABLE);
    for (const [at, p] of positions) this.stored.set(at, Math.max(this.stored.get(at) ?? 0, p.next));
  }

  /** The `account \0 id` of the rows a table already holds, looked up by its sort key. */
  private async alreadyStored(table: FactTableName, rows: readonly Record<string, unknown>[]): Promise<string[]> {
    const fact = FACTS[table];
    const found: string[] = [];
    const chunk = this.options.lookupChunk ?? 1_000;
    for (let i = 0; i < rows.length; i += chunk) {
      const tuples = rows.slice(i, i + chunk).map((row) => sqlTuple([String(row['account_id']), String(row[fact.timeColumn]), String(row[fact.idColumn])]));
      const existing = await this.options.client.query<{ a: string; id: string }>(
        `SELECT account_id AS a, ${fact.idColumn} AS id FROM ${qualified(this.options.database, table)} WHERE (account_id, ${fact.timeColumn}, ${fact.idColumn}) IN (${tuples.join(', ')})`,
      );
      for (const row of existing) found.push(`${row.a}\u0000${row.id}`);
    }
    return found;
  }
}

/** Creates the database, its tables and views where missing. */
export async function ensureAnalyticsSchema(client: AnalyticsClient, database: string): Promise<void> {
  for (const statement of analyticsSchema(database)) await client.command(statement);
}
