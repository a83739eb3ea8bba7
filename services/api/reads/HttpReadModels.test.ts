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
    await store.query(
      `INSERT INTO webhook_attempts (attempt_id, delivery_id, subscription_id, event_id, event_type, account_id, chat_jid, attempt, outcome, status_code, latency_ms, error,
         attempted_at, next_attempt_at, source_topic, source_partition, source_offset)
       VALUES ('E1.sub-1#1', 'E1.sub-1', 'sub-1', 'E1', 'message.received', 'acme', NULL, 1, 'RETRYING', 503, 80, 'HTTP 503', 3000, 8000, 'wa.conversation.v1', 0, 5),
              ('E1.sub-1#2', 'E1.sub-1', 'sub-1', 'E1', 'message.received', 'acme', NULL, 2, 'DEAD', NULL, 10000, 'timeout', 8000, NULL, 'wa.conversation.v1', 0, 5)`,
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
    const attempts = await remote.webhookAttempts('sub-1', { eventId: 'E1' }, { limit: 1, offset: 0 });
    assert.deepEqual(attempts, await local.webhookAttempts('sub-1', { eventId: 'E1' }, { limit: 1, offset: 0 }));
    assert.deepEqual([attempts.items[0]?.attemptId, attempts.items[0]?.statusCode, attempts.total, attempts.nextCursor], ['E1.sub-1#2', null, 2, '1']);
    const dead = await remote.webhookDeadLetters('sub-1', { limit: 10, offset: 0 });
    assert.deepEqual(dead, await local.webhookDeadLetters('sub-1', { limit: 10, offset: 0 }));
    assert.deepEqual(dead.items.map((row) => row.error), ['timeout']);
    await remote.ping();
  });

  it('keeps a bad input a 400 naming the field, and an unreachable projector is UNAVAILABLE', async () => {
    await assert.rejects(remote.chats('acme', { limit: 10, offset: 0, cursor: 'not a cursor' }), (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'cursor');
    await assert.rejects(
      remote.webhookAttempts('sub-1', { outcome: 'failed' as never }, { limit: 10, offset: 0 }),
      (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'outcome',
    );
    const gone = new HttpReadModels({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    await assert.rejects(gone.accounts(), (error: unknown) => error instanceof WaError && error.code === 'UNAVAILABLE');
  });
});
