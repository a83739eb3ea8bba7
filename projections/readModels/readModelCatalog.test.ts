import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_EVENT_TYPES, CONVERSATION_EVENT_TYPES, type ProjectedEvent } from '../events/index.js';
import { migrate, PgliteStore } from '../store/index.js';
import { READ_MODEL_MIGRATIONS, READ_MODEL_TABLES } from './readModelCatalog.js';
import { EventFactory, everyEventType, ReadModelSpec } from './testing/index.js';

/** One sample of every event type the projector reads, each touching state the ones before built. */
const SAMPLES = everyEventType(new EventFactory('acc-1'));

describe('every read model', () => {
  let spec: ReadModelSpec;
  before(async () => {
    spec = await ReadModelSpec.start();
  });
  after(() => spec.close());

  it('has a sample of every event type', () => {
    const covered = new Set(SAMPLES.map((event) => event.type));
    for (const type of [...CONVERSATION_EVENT_TYPES, ...ACCOUNT_EVENT_TYPES, 'command.result', 'webhook.attempt']) assert.ok(covered.has(type as ProjectedEvent['type']), `no sample of ${type}`);
  });

  it('given the samples before it, when each event type is delivered twice, then the second delivery changes nothing', async () => {
    for (const event of SAMPLES) await spec.when(event);
  });

  it('given everything applied once, when everything is applied again in order, then nothing changes', async () => {
    await spec.reset();
    await spec.given(...SAMPLES);
    const once = await spec.snapshot();
    await spec.given(...SAMPLES);
    assert.deepEqual(await spec.snapshot(), once);
  });

  it('given a database of schema version 1, when migrated, then only the new steps run and every table is there', async () => {
    const store = await PgliteStore.open({ dataDir: null, schema: 'read_models' });
    try {
      assert.deepEqual((await migrate(store, READ_MODEL_MIGRATIONS.slice(0, 1))).applied, [1]);
      assert.deepEqual(await migrate(store, READ_MODEL_MIGRATIONS), { applied: [2], current: 2 });
      const { rows } = await store.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'read_models'");
      const tables = new Set(rows.map((row) => row.tablename));
      for (const table of READ_MODEL_TABLES) assert.ok(tables.has(table), `${table} exists`);
    } finally {
      await store.close();
    }
  });
});
