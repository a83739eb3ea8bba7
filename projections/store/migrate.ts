import { WaError } from '../../services/shared/index.js';
import type { SqlStore } from './SqlStore.js';

/** One step of the schema: applied once, in version order, recorded in `schema_migrations`. */
export interface Migration {
  version: number;
  name: string;
  /** Plain SQL statements (no parameters) that run on PGlite and PostgreSQL alike. */
  sql: string;
}

/** What `migrate` did. */
export interface MigrationReport {
  applied: number[];
  current: number;
}

/**
 * Brings the store's schema up to date in one transaction. Several processes may start at
 * once (projector, API): an advisory lock lets one migrate while the others wait, then find
 * nothing left to do.
 */
export async function migrate(store: SqlStore, migrations: readonly Migration[]): Promise<MigrationReport> {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((migration, index) => {
    if (!Number.isInteger(migration.version) || migration.version <= 0 || (index > 0 && ordered[index - 1]!.version === migration.version)) {
      throw new WaError('INTERNAL', `migration versions must be distinct positive integers (${migration.version} ${migration.name})`);
    }
  });
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`wa-backbone:migrations:${store.schema}`]);
    await tx.exec(
      `CREATE SCHEMA IF NOT EXISTS ${store.schema};
       CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL);`,
    );
    const { rows } = await tx.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    const done = new Map(rows.map((row) => [row.version, row.name]));
    const applied: number[] = [];
    for (const migration of ordered) {
      const recorded = done.get(migration.version);
      if (recorded !== undefined) {
        if (recorded !== migration.name) {
          throw new WaError('INVALID_CONFIG', `read-model migration ${migration.version} is "${recorded}" in the database but "${migration.name}" in this build`);
        }
        continue;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, Date.now()]);
      applied.push(migration.version);
    }
    const current = Math.max(0, ...rows.map((row) => row.version), ...applied);
    return { applied, current };
  });
}
