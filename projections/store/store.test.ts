import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrate, PgliteStore } from './index.js';

describe('PGlite store', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wa-store-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('applies migrations once, in order, and records them; a later start applies only new ones', async () => {
    const data = join(dir, 'migrations');
    const first = [
      { version: 2, name: 'two', sql: 'ALTER TABLE things ADD COLUMN label text;' },
      { version: 1, name: 'one', sql: 'CREATE TABLE things (id integer PRIMARY KEY);' },
    ];
    let store = await PgliteStore.open({ dataDir: data, schema: 'rm_test' });
    assert.deepEqual(await migrate(store, first), { applied: [1, 2], current: 2 });
    assert.deepEqual(await migrate(store, first), { applied: [], current: 2 });
    await store.query('INSERT INTO things (id, label) VALUES ($1, $2)', [1, 'kept']);
    await store.close();

    store = await PgliteStore.open({ dataDir: data, schema: 'rm_test' });
    try {
      assert.deepEqual(await migrate(store, [...first, { version: 3, name: 'three', sql: 'CREATE INDEX things_label ON things (label);' }]), { applied: [3], current: 3 });
      assert.deepEqual((await store.query('SELECT label FROM things')).rows, [{ label: 'kept' }]);
      const { rows } = await store.query('SELECT version, name FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows, [
        { version: 1, name: 'one' },
        { version: 2, name: 'two' },
        { version: 3, name: 'three' },
      ]);
      await assert.rejects(migrate(store, [{ version: 1, name: 'renamed', sql: '' }]), { code: 'INVALID_CONFIG' });
    } finally {
      await store.close();
    }
  });

  it('rolls a failed transaction back whole', async () => {
    const store = await PgliteStore.open({ dataDir: null, schema: 'rm_tx' });
    try {
      await migrate(store, [{ version: 1, name: 'one', sql: 'CREATE TABLE t (x integer);' }]);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (1)');
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual((await store.query('SELECT count(*) AS n FROM t')).rows, [{ n: 0 }]);
    } finally {
      await store.close();
    }
  });

  it('refuses a data dir another live process holds, and takes over a lock left by a dead one', async () => {
    const data = join(dir, 'locked');
    const store = await PgliteStore.open({ dataDir: data, schema: 'rm_lock' });
    await assert.rejects(PgliteStore.open({ dataDir: data, schema: 'rm_lock' }), { code: 'UNAVAILABLE' });
    await store.close();
    await writeFile(`${data}.lock`, '999999999');
    const again = await PgliteStore.open({ dataDir: data, schema: 'rm_lock' });
    await again.close();
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await assert.rejects(PgliteStore.open({ dataDir: null, schema: 'x; DROP TABLE y' }), { code: 'INVALID_CONFIG' });
  });
});
