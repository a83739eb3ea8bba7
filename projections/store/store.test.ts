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

  it('runs without full-page images and replication WAL, and a data dir made before that opens with its rows', async () => {
    const data = join(dir, 'settings');
    // A data dir as PGlite's own defaults make it (full-page writes on, replica WAL), then reopened by the store.
    const { PGlite } = await import('@electric-sql/pglite');
    const plain = await PGlite.create(data);
    await plain.exec('CREATE SCHEMA rm_settings; CREATE TABLE rm_settings.kept (id integer PRIMARY KEY); INSERT INTO rm_settings.kept VALUES (7);');
    assert.deepEqual((await plain.query('SHOW full_page_writes')).rows, [{ full_page_writes: 'on' }]);
    await plain.close();
    const store = await PgliteStore.open({ dataDir: data, schema: 'rm_settings' });
    try {
      assert.deepEqual((await store.query('SHOW full_page_writes')).rows, [{ full_page_writes: 'off' }]);
      assert.deepEqual((await store.query('SHOW wal_level')).rows, [{ wal_level: 'minimal' }]);
      assert.deepEqual((await store.query('SELECT id FROM kept')).rows, [{ id: 7 }]);
    } finally {
      await store.close();
    }
  });

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

describe('PGlite store: statements prepared once, run many times', () => {
  let store: PgliteStore;
  before(async () => {
    store = await PgliteStore.open({ dataDir: null, schema: 'rm_prepared' });
    await migrate(store, [{ version: 1, name: 'one', sql: 'CREATE TABLE t (id int8 PRIMARY KEY, tags text[], ok boolean, at timestamptz, doc jsonb, label text);' }]);
  });
  after(() => store.close());

  it('binds every parameter kind and reads the row back typed, the same on every run', async () => {
    const insert = 'INSERT INTO t (id, tags, ok, at, doc, label) VALUES ($1, $2, $3, to_timestamp($4::double precision / 1000), $5::jsonb, $6)';
    await store.query(insert, [1, ['a', 'b "quoted"', null, 'back\\slash'], true, 1_750_000_000_000, JSON.stringify({ k: [1, 'x'] }), null]);
    await store.query(insert, [2, [], false, 1_750_000_000_500, 'null', 'two']);
    const select = 'SELECT id, tags, ok, (extract(epoch FROM at) * 1000)::int8 AS at, doc, label FROM t WHERE id = $1';
    assert.deepEqual((await store.query(select, [1])).rows, [{ id: 1, tags: ['a', 'b "quoted"', null, 'back\\slash'], ok: true, at: 1_750_000_000_000, doc: { k: [1, 'x'] }, label: null }]);
    assert.deepEqual((await store.query(select, [2])).rows, [{ id: 2, tags: [], ok: false, at: 1_750_000_000_500, doc: null, label: 'two' }]);
    assert.equal((await store.query('UPDATE t SET label = $1 WHERE id >= $2', ['x', 1])).rowCount, 2);
  });

  it('keeps working after a statement that fails to parse and one that fails to run, in and out of a transaction', async () => {
    await assert.rejects(store.query('SELEC nonsense $1', [1]), /syntax error/);
    const insert = 'INSERT INTO t (id, label) VALUES ($1, $2)';
    await store.query(insert, [10, 'ten']);
    await assert.rejects(store.query(insert, [10, 'again']), { code: '23505' });
    await store.transaction(async (tx) => {
      await tx.exec('SAVEPOINT one');
      await assert.rejects(tx.query(insert, [10, 'again']), { code: '23505' });
      await tx.exec('ROLLBACK TO SAVEPOINT one');
      await tx.query(insert, [11, 'eleven']);
    });
    assert.deepEqual((await store.query('SELECT label FROM t WHERE id IN ($1, $2) ORDER BY id', [10, 11])).rows, [{ label: 'ten' }, { label: 'eleven' }]);
  });

  it('plans a statement again when its table is replaced, as a rebuild swapping tables in does', async () => {
    await store.exec('CREATE TABLE swapped (v text); INSERT INTO swapped VALUES (\'old\');');
    const select = 'SELECT v FROM swapped WHERE v <> $1';
    assert.deepEqual((await store.query(select, ['none'])).rows, [{ v: 'old' }]);
    await store.exec('DROP TABLE swapped; CREATE TABLE swapped (n int, v text); INSERT INTO swapped VALUES (1, \'new\');');
    assert.deepEqual((await store.query(select, ['none'])).rows, [{ v: 'new' }]);
  });

  it('never runs a statement inside another caller\'s transaction: it waits for the commit', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = store.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id, label) VALUES ($1, $2)', [20, 'pending']);
      inserted();
      await gate;
      await tx.query('UPDATE t SET label = $1 WHERE id = $2', ['committed', 20]);
    });
    await insertedOnce;
    let answered = false;
    const outside = store.query<{ label: string }>('SELECT label FROM t WHERE id = $1', [20]).then((result) => {
      answered = true;
      return result;
    });
    // Give the outside read every chance to run early: it must still be waiting.
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(answered, false);
    release();
    await transaction;
    assert.deepEqual((await outside).rows, [{ label: 'committed' }]);
  });

  it('runs many write statements in order in few rounds; a failure rejects and, in a transaction, leaves nothing', async () => {
    await store.exec('CREATE TABLE counted (k int PRIMARY KEY, n int NOT NULL)');
    const bump = 'INSERT INTO counted (k, n) VALUES ($1, 1) ON CONFLICT (k) DO UPDATE SET n = counted.n + 1';
    // More than one round (2,000 statements each), and each statement sees the ones before it.
    const statements = Array.from({ length: 4_500 }, (_, i) => ({ sql: bump, params: [i % 7] }));
    await store.transaction((tx) => tx.run(statements));
    const counts = await store.query<{ k: number; n: number }>('SELECT k, n FROM counted ORDER BY k');
    assert.deepEqual(counts.rows.map((row) => row.n), [643, 643, 643, 643, 643, 643, 642]);

    const failing = [...statements.slice(0, 10), { sql: 'INSERT INTO counted (k, n) VALUES ($1, NULL)', params: [100] }, ...statements.slice(0, 10)];
    await assert.rejects(store.transaction((tx) => tx.run(failing)), { code: '23502' });
    assert.deepEqual((await store.query<{ n: number }>('SELECT sum(n)::int8 AS n FROM counted')).rows, [{ n: 4_500 }], 'the failed transaction left nothing');
    // Outside a transaction each round commits on its own, up to the failure.
    await assert.rejects(store.run(failing), { code: '23502' });
    await store.run([{ sql: bump, params: [8] }]);
    assert.deepEqual((await store.query<{ n: number }>('SELECT n FROM counted WHERE k = $1', [8])).rows, [{ n: 1 }]);
  });

  it('runs statements beyond the prepared ones it keeps, each parsed with its own text', async () => {
    await store.exec('CREATE TABLE many (k int PRIMARY KEY, v text)');
    // 1,000 texts are kept as named statements; the rest travel unnamed, each with its parse.
    const statements = Array.from({ length: 1_050 }, (_, i) => ({ sql: `INSERT INTO many (k, v) VALUES ($1, $2 || '-${i}')`, params: [i, 'v'] }));
    await store.transaction((tx) => tx.run(statements));
    const rows = await store.query<{ k: number; v: string }>('SELECT k, v FROM many WHERE k IN ($1, $2, $3) ORDER BY k', [0, 1_020, 1_049]);
    assert.deepEqual(rows.rows, [{ k: 0, v: 'v-0' }, { k: 1_020, v: 'v-1020' }, { k: 1_049, v: 'v-1049' }]);
  });
});
