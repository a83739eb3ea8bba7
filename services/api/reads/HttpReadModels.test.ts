import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { READ_MODEL_MIGRATIONS, serveReadModels, SqlReadModels } from '../../../projections/readModels/index.js';
import { migrate, PgliteStore } from '../../../projections/store/index.js';
import { createLogger, WaError } from '../../shared/index.js';
import { HttpReadModels } from './HttpReadModels.js';

describe('HttpReadModels: the API reading the projector\'s embedded PGlite over HTTP', () => {
  let store: PgliteStore;
  let server: Server;
  let remote: HttpReadModels;

  before(async () => {
    store = await PgliteStore.open({ dataDir: null, schema: 'read_models' });
    await migrate(store, READ_MODEL_MIGRATIONS);
    await store.query(
      `INSERT INTO accounts (account_id, name, auto_connect, settings_at, status, status_at, created_at, updated_at) VALUES ('acme', 'Acme', true, 1000, 'connected', 2000, 1000, 2000)`,
    );
    server = await serveReadModels({ models: new SqlReadModels({ store }), port: 0, logger: createLogger('test', 'silent') });
    remote = new HttpReadModels({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });

  after(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await store?.close();
  });

  it('answers every query as the local read models do', async () => {
    const local = new SqlReadModels({ store });
    assert.deepEqual(await remote.accounts(), await local.accounts());
    assert.deepEqual(await remote.account('acme'), await local.account('acme'));
    assert.equal(await remote.account('nobody'), null);
    assert.deepEqual(await remote.chats('acme', { limit: 10, offset: 0 }), await local.chats('acme', { limit: 10, offset: 0 }));
    await remote.ping();
  });

  it('keeps a bad input a 400 naming the field, and an unreachable projector is UNAVAILABLE', async () => {
    await assert.rejects(remote.chats('acme', { limit: 10, offset: 0, cursor: 'not a cursor' }), (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'cursor');
    const gone = new HttpReadModels({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    await assert.rejects(gone.accounts(), (error: unknown) => error instanceof WaError && error.code === 'UNAVAILABLE');
  });
});
