import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ClickHouseAnalytics, ensureAnalyticsSchema, openChdb, qualified, serveAnalytics, type AnalyticsClient } from '../../../projections/analytics/index.js';
import { createLogger, WaError } from '../../shared/index.js';
import { HttpAnalytics } from './HttpAnalytics.js';
import { messageFact } from '../../../projections/analytics/testing/index.js';

const DATABASE = 'wa_http_analytics_test';
const TODAY = '2025-01-15'; // a Wednesday


describe("HttpAnalytics: the API asking the analytics role's chDB over HTTP", () => {
  let client: AnalyticsClient;
  let local: ClickHouseAnalytics;
  let server: Server;
  let remote: HttpAnalytics;

  before(async () => {
    client = await openChdb(null);
    await ensureAnalyticsSchema(client, DATABASE);
    await client.insert(qualified(DATABASE, 'messages'), [
      messageFact('acme', 'inbound', '2025-01-15 10:05:00'),
      messageFact('acme', 'outbound', '2025-01-15 10:30:00'),
      messageFact('acme', 'inbound', '2025-01-14 23:59:59'),
      messageFact('acme', 'inbound', '2025-01-15 09:00:00', 'status@broadcast'),
      messageFact('globex', 'outbound', '2025-01-13 08:00:00'),
    ]);
    local = new ClickHouseAnalytics(client, DATABASE);
    server = await serveAnalytics({ queries: local, port: 0, logger: createLogger('test', 'silent') });
    remote = new HttpAnalytics({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });

  after(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await client?.close();
  });

  it('answers every question as the local store does', async () => {
    for (const scope of [null, ['acme'], ['globex', 'acme'], []]) {
      assert.deepEqual(await remote.overview(scope, TODAY), await local.overview(scope, TODAY));
      assert.deepEqual(await remote.daily(scope, '2025-01-12', TODAY), await local.daily(scope, '2025-01-12', TODAY));
      assert.deepEqual(await remote.byHour(scope), await local.byHour(scope));
      assert.deepEqual(await remote.byWeekday(scope), await local.byWeekday(scope));
      assert.deepEqual(await remote.perAccount(scope, TODAY), await local.perAccount(scope, TODAY));
    }
    await remote.ping();
  });

  it('carries the stored counts (stories left out)', async () => {
    assert.deepEqual(await remote.overview(null, TODAY), { totalMessages: 4, sentMessages: 2, receivedMessages: 2, todayMessages: 2 });
    assert.deepEqual(await remote.overview(['acme'], TODAY), { totalMessages: 3, sentMessages: 1, receivedMessages: 2, todayMessages: 2 });
    assert.deepEqual(await remote.daily(['acme'], '2025-01-13', TODAY), [
      { date: '2025-01-13', total: 0, sent: 0, received: 0 },
      { date: '2025-01-14', total: 1, sent: 0, received: 1 },
      { date: '2025-01-15', total: 2, sent: 1, received: 1 },
    ]);
    assert.deepEqual((await remote.byHour(null))[10], { hour: 10, total: 2, sent: 1, received: 1 });
    assert.deepEqual((await remote.byWeekday(null))[0], { weekday: 1, name: 'Monday', total: 1, sent: 1, received: 0 });
    assert.deepEqual(await remote.perAccount(null, TODAY), [
      { accountId: 'acme', today: 2, week: 3, total: 3 },
      { accountId: 'globex', today: 0, week: 1, total: 1 },
    ]);
  });

  it('keeps a bad argument a 400, and an analytics role that is not there is UNAVAILABLE', async () => {
    await assert.rejects(remote.daily(null, '2025-02-30', TODAY), (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT');
    const gone = new HttpAnalytics({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    await assert.rejects(gone.ping(), (error: unknown) => error instanceof WaError && error.code === 'UNAVAILABLE');
    await assert.rejects(gone.overview(null, TODAY), (error: unknown) => error instanceof WaError && error.code === 'UNAVAILABLE');
  });
});
