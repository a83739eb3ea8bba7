import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { WaError } from '../../services/shared/index.js';
import { READ_MODEL_TABLES } from '../../projections/readModels/index.js';
import { rebuildReadModel, rebuildUnitOf, type ReplayProgress, type ReplayResult } from '../../projections/replay/index.js';
import { EventFactory, ME, T0 } from '../../projections/readModels/testing/index.js';
import { ProjectorHarness, chatOf, groupOf, projectorScenario } from '../../projections/runner/testing/index.js';
import type { ProjectionRunner } from '../../projections/runner/index.js';
import { PgliteStore, PostgresStore, type SqlStore } from '../../projections/store/index.js';
import { freePort, testLogger, waitFor } from '../helpers/index.js';

const run = promisify(execFile);

interface StoreFactory {
  engine: 'pglite' | 'postgres';
  /** The store `name`, its search path on `schema` when given (a rebuild's new schema). */
  open(name: string, schema?: string): Promise<SqlStore>;
  cleanup(): Promise<void>;
}

async function pglite(): Promise<StoreFactory> {
  const dir = await mkdtemp(join(tmpdir(), 'wa-replay-model-'));
  return {
    engine: 'pglite',
    open: (name, schema) => PgliteStore.open({ dataDir: join(dir, name), schema: schema ?? 'read_models' }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** DATABASE_URL under test/with-postgres.sh, else a throwaway server started here; every store is a schema of its own. */
async function postgres(): Promise<StoreFactory> {
  const given = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let url = given;
  let stop = async (): Promise<void> => undefined;
  if (url === undefined) {
    const dir = await mkdtemp(join(tmpdir(), 'wa-postgres-'));
    // The server runs as the postgres user when the tests run as root: it must reach its data dir.
    await chmod(dir, 0o755);
    const dataDir = join(dir, 'data');
    url = (await run('bash', ['infra/postgres/start.sh', String(await freePort()), dataDir])).stdout.trim();
    stop = async () => {
      await run('bash', ['infra/postgres/stop.sh', dataDir]);
      await rm(dir, { recursive: true, force: true });
    };
  }
  const server = url;
  const prefix = `t_${randomBytes(4).toString('hex')}`;
  const schemas = new Set<string>();
  return {
    engine: 'postgres',
    open: (name, given) => {
      const schema = given ?? `${prefix}_${name}`;
      schemas.add(schema);
      return PostgresStore.open({ url: server, schema, logger: testLogger() });
    },
    cleanup: async () => {
      const admin = await PostgresStore.open({ url: server, schema: 'public', logger: testLogger() });
      try {
        for (const schema of schemas) await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.close();
        await stop();
      }
    },
  };
}

/** Each table of a schema by its object id: a swapped-in table is a new one, a table left alone keeps its id. */
async function tableIds(store: SqlStore, schema: string): Promise<Map<string, string>> {
  const { rows } = await store.query<{ name: string; id: string }>(
    "SELECT c.relname AS name, c.oid::text AS id FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
    [schema],
  );
  return new Map(rows.map((row) => [row.name, row.id]));
}

async function schemaExists(store: SqlStore, schema: string): Promise<boolean> {
  return (await store.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rows.length > 0;
}

/** Reads other read models over and over until `until` settles: every read must succeed. */
async function readWhile<T>(until: Promise<T>, read: () => Promise<void>): Promise<{ result: T; reads: number }> {
  let settled = false;
  const result = until.finally(() => (settled = true));
  let reads = 0;
  while (!settled) {
    await read();
    reads += 1;
  }
  return { result: await result, reads };
}

function modelRebuildSuite(engine: string, stores: () => Promise<StoreFactory>): void {
  describe(`rebuilding one read model (${engine})`, { timeout: 300_000 }, () => {
    let factory: StoreFactory;
    let h: ProjectorHarness;
    let live: SqlStore;
    let runner: ProjectionRunner | undefined;
    const opened: SqlStore[] = [];
    const open = async (name: string, schema?: string): Promise<SqlStore> => {
      const store = await factory.open(name, schema);
      opened.push(store);
      return store;
    };
    const online = (): boolean => factory.engine === 'postgres';

    // PGlite runs one process per database: the live projector stops for a rebuild and starts again after.
    const stopLive = async (): Promise<void> => {
      if (online()) return;
      await runner?.stop();
      runner = undefined;
      await live.close();
    };
    const startLive = async (): Promise<void> => {
      if (online()) return;
      live = await open('live');
      runner = await h.project(live);
    };
    const rebuild = (model: string, progress: ReplayProgress[] = []): Promise<ReplayResult> =>
      rebuildReadModel({
        kafka: h.kafka,
        topics: h.topics,
        codec: h.codec,
        logger: testLogger('replay'),
        openStore: (schema) => open('live', schema),
        liveSchema: live.schema,
        model,
        onProgress: (p) => progress.push(p),
        progressIntervalMs: 0,
      });

    before(async () => {
      factory = await stores();
      h = await ProjectorHarness.start();
      await h.produce(projectorScenario(4, 60, { codec: h.codec }));
      // Whether the account itself left a group depends on the accounts model's state (its own JID).
      const meLeft = new EventFactory('scenario-3', h.codec).envelope('group.participants', 'wa.account.GroupParticipantsChanged', { groupJid: groupOf(3), action: 'REMOVE', participants: [{ jid: ME }] }, { at: T0 + 3_900_000, eventId: 'me-left-scenario-3' });
      await h.produce({ conversation: [], account: [{ accountId: 'scenario-3', value: meLeft }], commandResults: [], webhookAttempts: [] });
      live = await open('live');
      runner = await h.project(live);
      await h.caughtUp(live);
    });

    after(async () => {
      await h?.stop();
      for (const store of opened) await store.close().catch(() => undefined);
      await factory?.cleanup();
    });

    it('given a read model with rows lost and changed, when it is rebuilt alone, then its rows are the live projection’s again and no other table was touched', async () => {
      await h.caughtUp(live);
      const intact = await h.state(live);
      const schema = live.schema;
      const ids = await tableIds(live, schema);
      await live.exec(`DELETE FROM group_participants WHERE account_id = 'scenario-0'; UPDATE groups SET subject = 'corrupted'`);
      const reads = h.reads(live);
      const contacts = await reads.contacts('scenario-1', { limit: 10, offset: 0 });
      const accounts = await reads.accounts();
      assert.equal((await reads.group('scenario-2', groupOf(2)))?.subject, 'corrupted');

      await stopLive();
      const progress: ReplayProgress[] = [];
      const rebuilt = rebuild('groups', progress);
      // PostgreSQL: the other read models keep serving, unchanged, while the rebuild runs.
      const { result, reads: during } = online()
        ? await readWhile(rebuilt, async () => {
            assert.deepEqual(await reads.contacts('scenario-1', { limit: 10, offset: 0 }), contacts);
            assert.deepEqual(await reads.accounts(), accounts);
            assert.ok((await reads.messagesOfAccount('scenario-3', { limit: 5, offset: 0 })).total > 0);
          })
        : { result: await rebuilt, reads: 0 };
      await startLive();

      assert.deepEqual(result.models, ['groups']);
      assert.ok(result.events > 0);
      if (online()) assert.ok(during > 0, 'the other read models were read during the rebuild');
      assert.equal(progress.at(-1)?.phase, 'done');
      assert.ok(progress.some((p) => p.phase === 'rebuilding' && p.total > 0 && p.done <= p.total));
      assert.equal(progress.at(-1)?.done, progress.at(-1)?.total, 'every record up to the live positions was applied');

      assert.deepEqual(await h.state(live), intact, 'the rebuilt rows equal the live projection’s; every other table and the positions are as they were');
      const swapped = new Set(rebuildUnitOf('groups').tables);
      const now = await tableIds(live, schema);
      for (const table of READ_MODEL_TABLES) {
        if (swapped.has(table)) assert.notEqual(now.get(table), ids.get(table), `${table} was swapped in`);
        else assert.equal(now.get(table), ids.get(table), `${table} was not touched`);
      }
      assert.equal(await schemaExists(live, `${schema}_rebuild_groups`), false, 'the rebuild schema is gone');
      assert.equal((await h.reads(live).group('scenario-2', groupOf(2)))?.subject, 'Group 2');
      assert.equal((await h.reads(live).group('scenario-3', groupOf(3)))?.left, true, 'rebuilt with the accounts model’s state');
    });

    it('given messages and chats damaged while events keep arriving, when chats is rebuilt, then both are swapped in together and the projection equals one from scratch', async () => {
      await h.caughtUp(live);
      const schema = live.schema;
      const ids = await tableIds(live, schema);
      await live.exec(`DELETE FROM messages WHERE account_id = 'scenario-1'; DELETE FROM message_reactions; UPDATE chats SET unread_count = 99, name = NULL`);
      const reads = h.reads(live);
      let waves = 0;
      let result: ReplayResult;
      if (online()) {
        // The live projector keeps running and new events keep arriving until the swap is done.
        let rebuilding = true;
        const producing = (async () => {
          while (rebuilding) await h.produce(projectorScenario(1, 8, { prefix: `during${(waves += 1)}`, codec: h.codec }));
        })();
        const rebuilt = rebuild('chats').finally(() => (rebuilding = false));
        const outcome = await readWhile(rebuilt, async () => {
          assert.equal((await reads.contacts('scenario-0', { limit: 10, offset: 0 })).total, 3);
          assert.ok((await reads.chats('scenario-2', { limit: 10, offset: 0 })).total > 0);
        });
        await producing;
        result = outcome.result;
        assert.ok(outcome.reads > 0, 'the read models were read during the rebuild');
        assert.ok(waves > 0);
      } else {
        await h.produce(projectorScenario(1, 8, { prefix: 'before', codec: h.codec }));
        await h.caughtUp(live);
        await stopLive();
        result = await rebuild('chats');
        await startLive();
      }
      assert.deepEqual(result.models, ['messages', 'chats']);
      // The live projector carries on into the swapped-in tables.
      await h.produce(projectorScenario(1, 5, { prefix: 'after', codec: h.codec }));
      await waitFor(async () => (await h.reads(live).messagesOfAccount('after-0', { limit: 1, offset: 0 })).total === 5, 'events after the swap');
      await h.caughtUp(live);

      const scratch = await open('scratch');
      await h.project(scratch);
      await h.caughtUp(scratch);
      assert.deepEqual(await h.state(live), await h.state(scratch), 'no event lost or applied twice');
      assert.equal((await h.reads(live).chat('scenario-0', chatOf(0, 3)))?.name, 'Old friend');

      const swapped = new Set(rebuildUnitOf('chats').tables);
      assert.ok(swapped.has('messages') && swapped.has('chats'));
      const now = await tableIds(live, schema);
      for (const table of READ_MODEL_TABLES) {
        if (swapped.has(table)) assert.notEqual(now.get(table), ids.get(table), `${table} was swapped in`);
        else assert.equal(now.get(table), ids.get(table), `${table} was not swapped`);
      }
    });

    it('refuses an unknown read model, and a schema without live read models, before changing anything', async () => {
      await assert.rejects(rebuild('chat'), (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && /newsletters/.test(error.message));
      const ghost = `${live.schema}_ghost`;
      await assert.rejects(
        rebuildReadModel({ kafka: h.kafka, topics: h.topics, codec: h.codec, logger: testLogger('replay'), openStore: (schema) => open('ghost', schema), liveSchema: ghost, model: 'labels' }),
        (error: unknown) => error instanceof WaError && error.code === 'INVALID_CONFIG' && /no live read models/.test(error.message),
      );
    });
  });
}

modelRebuildSuite('PGlite', pglite);
modelRebuildSuite('PostgreSQL', postgres);
