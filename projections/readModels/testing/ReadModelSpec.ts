import assert from 'node:assert/strict';
import type { ProjectedEvent } from '../../events/index.js';
import { migrate, PgliteStore, type SqlRow, type SqlStore } from '../../store/index.js';
import { evolveReadModels, READ_MODEL_MIGRATIONS, READ_MODEL_TABLES } from '../readModelCatalog.js';
import { SqlReadModels } from '../SqlReadModels.js';

/** Every table's rows, in a stable order. */
export type Snapshot = Record<string, SqlRow[]>;

/**
 * Given / when / then for read models on a real PGlite in memory: `given` applies events once,
 * `when` applies an event twice and checks the second delivery changed nothing, `then` reads
 * through the same queries the API uses.
 */
export class ReadModelSpec {
  readonly reads: SqlReadModels;

  private constructor(readonly store: SqlStore) {
    this.reads = new SqlReadModels({ store, now: () => Number.MAX_SAFE_INTEGER - 1 });
  }

  /** A fresh in-memory database with the read-model schema. */
  static async start(): Promise<ReadModelSpec> {
    const store = await PgliteStore.open({ dataDir: null, schema: 'read_models' });
    await migrate(store, READ_MODEL_MIGRATIONS);
    return new ReadModelSpec(store);
  }

  /** Empties every table (between tests; much faster than a new database). */
  async reset(): Promise<void> {
    await this.store.exec(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
  }

  /** Applies each event once, each in its own transaction (as the runner would). */
  async given(...events: ProjectedEvent[]): Promise<void> {
    for (const event of events) await this.apply(event);
  }

  /** Applies the event, then again: the second delivery must leave every table as the first did. */
  async when(event: ProjectedEvent): Promise<Snapshot> {
    await this.apply(event);
    const once = await this.snapshot();
    await this.apply(event);
    assert.deepEqual(await this.snapshot(), once, `${event.type} ${event.eventId} delivered twice changed the state`);
    return once;
  }

  async apply(event: ProjectedEvent): Promise<void> {
    await this.store.transaction(async (tx) => {
      for (const { sql, params } of evolveReadModels(event)) await tx.query(sql, params);
    });
  }

  async snapshot(): Promise<Snapshot> {
    const snapshot: Snapshot = {};
    for (const table of READ_MODEL_TABLES) {
      snapshot[table] = (await this.store.query(`SELECT * FROM ${table} t ORDER BY t::text`)).rows;
    }
    return snapshot;
  }

  /** Rows of one table matching a condition, for assertions on state the queries do not show. */
  async rowsOf(table: string, where = 'true', params: (string | number | boolean | null)[] = []): Promise<SqlRow[]> {
    return (await this.store.query(`SELECT * FROM ${table} WHERE ${where} ORDER BY ${table}::text`, params)).rows;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
