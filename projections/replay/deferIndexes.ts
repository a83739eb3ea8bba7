import type { SqlStore } from '../store/index.js';

/**
 * Drops the indexes of a schema being rebuilt that no write needs, and returns what builds them
 * again: one sorted build at the end costs a fraction of keeping them up to date row by row.
 * Indexes behind a constraint stay (upserts need their keys), and so do partial ones (writes
 * filter on their predicates, like a chat's unread messages). A rebuild that stops before
 * building them leaves a schema nobody reads; the next rebuild drops it first.
 */
export async function deferIndexes(store: SqlStore, schema: string): Promise<() => Promise<void>> {
  const { rows } = await store.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
     WHERE i.schemaname = $1 AND i.indexdef NOT LIKE '% WHERE %'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
    [schema],
  );
  if (rows.length > 0) await store.exec(rows.map((row) => `DROP INDEX ${schema}.${row.name};`).join('\n'));
  return async () => {
    if (rows.length > 0) await store.exec(rows.map((row) => `${row.definition};`).join('\n'));
  };
}
