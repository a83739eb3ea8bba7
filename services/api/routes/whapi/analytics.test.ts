import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClickHouseAnalytics, ensureAnalyticsSchema, openChdb, qualified, type AnalyticsClient, type DayCounts } from '../../../../projections/analytics/index.js';
import type { AccountRow } from '../../../../projections/readModels/index.js';
import { READ_MODEL_MIGRATIONS, SqlReadModels } from '../../../../projections/readModels/index.js';
import { migrate, PgliteStore } from '../../../../projections/store/index.js';
import { createLogger, WaError } from '../../../shared/index.js';
import type { MediaService } from '../../ApiServices.js';
import { createApp } from '../../createApp.js';
import { buildOpenApi, checkRoutes } from '../../http/index.js';
import { listen, memoryKeys, testServices, unused, type RunningApp } from '../../http/testing/apiTestKit.js';
import {
  analyticsRoutes,
  analyticsScope,
  changePercent,
  channelStats,
  channelStatsSchema,
  dailyQuery,
  dayCountsSchema,
  hourCountsSchema,
  overviewSchema,
  periodOf,
  trendsOf,
  trendsQuery,
  trendsSchema,
  weekdayCountsSchema,
} from './analytics.js';
import { assertRejects, valid } from './testing/whapiTesting.js';
import { messageFact } from '../../../../projections/analytics/testing/index.js';

const ADMIN = { kind: 'admin', keyId: 'admin' } as const;
const ACME_KEY = { kind: 'account', keyId: 'key_acme', accountId: 'acme' } as const;

function day(date: string, sent: number, received: number): DayCounts {
  return { date, total: sent + received, sent, received };
}

function account(accountId: string, name: string | null): AccountRow {
  return { accountId, name } as AccountRow;
}

function forbidden(error: unknown): boolean {
  return error instanceof WaError && error.code === 'FORBIDDEN';
}

describe('WHAPI analytics: the pure parts', () => {
  it('scope: the admin sees every account or the one it names; an account key its own only', () => {
    assert.equal(analyticsScope(ADMIN, null), null);
    assert.deepEqual(analyticsScope(ADMIN, 'globex'), ['globex']);
    assert.deepEqual(analyticsScope(ACME_KEY, null), ['acme']);
    assert.deepEqual(analyticsScope(ACME_KEY, 'acme'), ['acme']);
    assert.throws(() => analyticsScope(ACME_KEY, 'globex'), forbidden);
    assert.throws(() => analyticsScope({ kind: 'anonymous' }, null), (error: unknown) => error instanceof WaError && error.code === 'UNAUTHORIZED');
  });

  it('a period of n days ends today and counts today as one of them', () => {
    assert.deepEqual(periodOf('2025-01-15', 1), { from: '2025-01-15', to: '2025-01-15' });
    assert.deepEqual(periodOf('2025-01-15', 3), { from: '2025-01-13', to: '2025-01-15' });
    assert.deepEqual(periodOf('2025-01-02', 7), { from: '2024-12-27', to: '2025-01-02' });
    assert.deepEqual(periodOf('2024-03-01', 2), { from: '2024-02-29', to: '2024-03-01' });
  });

  it('change in percent, one decimal; null when the previous period had nothing', () => {
    assert.equal(changePercent(15, 10), 50);
    assert.equal(changePercent(5, 10), -50);
    assert.equal(changePercent(0, 4), -100);
    assert.equal(changePercent(10, 10), 0);
    assert.equal(changePercent(1, 3), -66.7);
    assert.equal(changePercent(2, 3), -33.3);
    assert.equal(changePercent(8, 7), 14.3);
    assert.equal(changePercent(300, 1), 29_900);
    assert.equal(changePercent(10, 0), null);
    assert.equal(changePercent(0, 0), null);
  });

  it('trends: the later half is the current period, the earlier the previous one', () => {
    const series = [day('2025-01-12', 1, 0), day('2025-01-13', 0, 2), day('2025-01-14', 2, 2), day('2025-01-15', 0, 1)];
    const trends = trendsOf(series, 2);
    assert.deepEqual(trends, {
      days: 2,
      current: { total: 5, sent: 2, received: 3 },
      previous: { total: 3, sent: 1, received: 2 },
      changePercent: 66.7,
      series: [day('2025-01-14', 2, 2), day('2025-01-15', 0, 1)],
    });
    assert.deepEqual(trendsSchema.parse(trends), trends, 'the answer has the documented shape');
    assert.equal(trendsOf([day('2025-01-14', 0, 0), day('2025-01-15', 3, 0)], 1).changePercent, null);
    assert.throws(() => trendsOf(series, 1), (error: unknown) => error instanceof WaError && error.code === 'INTERNAL');
  });

  it('channel stats: every visible account in order, zeros without messages, counts of unlisted accounts left out', () => {
    const stats = channelStats(
      [account('acme', 'Acme Sales'), account('globex', null), account('initech', 'Initech')],
      [
        { accountId: 'initech', today: 1, week: 4, total: 9 },
        { accountId: 'acme', today: 2, week: 3, total: 3 },
        { accountId: 'deleted', today: 5, week: 5, total: 5 },
      ],
    );
    assert.deepEqual(stats, [
      { channelId: 'acme', name: 'Acme Sales', today: 2, week: 3, total: 3 },
      { channelId: 'globex', name: null, today: 0, week: 0, total: 0 },
      { channelId: 'initech', name: 'Initech', today: 1, week: 4, total: 9 },
    ]);
    for (const entry of stats) assert.deepEqual(channelStatsSchema.parse(entry), entry);
  });

  it('days: a whole number from 1 to 366, else a 400 naming days; absent means the default', () => {
    assert.deepEqual(valid(dailyQuery, { days: '3' }, 'query'), { days: 3 });
    assert.deepEqual(valid(dailyQuery, { days: '366', channelId: 'acme' }, 'query'), { days: 366, channelId: 'acme' });
    assert.deepEqual(valid(trendsQuery, {}, 'query'), {});
    for (const days of ['0', '367', 'abc', '1.5', '-2', '']) {
      assertRejects(dailyQuery, { days }, 'days', 'query');
      assertRejects(trendsQuery, { days }, 'days', 'query');
    }
    assertRejects(dailyQuery, { channelId: ['a', 'b'] }, 'channelId', 'query');
  });

  it('six GET routes of the WHAPI document, for any key, documented with their query and answers', () => {
    assert.deepEqual(
      analyticsRoutes.map((route) => `${route.method} ${route.path}`),
      ['GET /analytics/overview', 'GET /analytics/daily', 'GET /analytics/by-hour', 'GET /analytics/by-weekday', 'GET /analytics/channels', 'GET /analytics/trends'],
    );
    checkRoutes(analyticsRoutes);
    const document = buildOpenApi(analyticsRoutes, { title: 'test', version: '0' });
    for (const route of analyticsRoutes) {
      assert.equal(route.surface, 'whapi');
      assert.equal(route.access, 'key');
      assert.deepEqual(route.tags, ['Analytics']);
      for (const status of [200, 400, 401, 403, 404, 429]) assert.ok(route.responses[status], `${route.path} documents ${status}`);
      const operation = (document.paths[route.path] as Record<string, { parameters: { name: string }[] }>)['get']!;
      const names = operation.parameters.map((parameter) => parameter.name);
      assert.ok(names.includes('channelId'), route.path);
      assert.equal(names.includes('days'), route.path === '/analytics/daily' || route.path === '/analytics/trends', route.path);
    }
    const daily = JSON.stringify(document.paths['/analytics/daily']);
    assert.match(daily, /"example":7/, 'the default of days is shown');
    assert.match(JSON.stringify(document.paths['/analytics/trends']), /"example":14/);
  });
});

const ADMIN_KEY = 'admin-secret';
const ACME = 'acme-key';
const GLOBEX = 'globex-key';
const NOW = Date.parse('2025-01-15T12:00:00Z'); // a Wednesday


/**
 * The routes in the real app over HTTP, on real stores: the analytics facts in chDB (in
 * memory), the accounts in PGlite (in memory), the clock fixed.
 */
describe('WHAPI analytics over HTTP (chDB and PGlite in memory)', () => {
  let client: AnalyticsClient;
  let store: PgliteStore;
  let running: RunningApp;

  before(async () => {
    client = await openChdb(null);
    const database = 'wa_routes_test';
    await ensureAnalyticsSchema(client, database);
    await client.insert(qualified(database, 'messages'), [
      messageFact('acme', 'inbound', '2025-01-15 10:05:00'),
      messageFact('acme', 'outbound', '2025-01-15 10:30:00'),
      messageFact('acme', 'inbound', '2025-01-14 23:59:59'),
      messageFact('globex', 'outbound', '2025-01-13 08:00:00'),
      messageFact('globex', 'inbound', '2024-12-30 08:00:00'),
    ]);
    store = await PgliteStore.open({ dataDir: null, schema: 'read_models' });
    await migrate(store, READ_MODEL_MIGRATIONS);
    await store.query(
      `INSERT INTO accounts (account_id, name, auto_connect, settings_at, status, status_at, created_at, updated_at) VALUES
       ('acme', 'Acme Sales', true, 1000, 'connected', 2000, 1000, 2000), ('globex', 'Globex', true, 1000, 'connected', 2000, 1000, 2000), ('quiet', 'Quiet', true, 1000, 'connected', 2000, 1000, 2000)`,
    );
    const services = testServices({
      keys: memoryKeys(ADMIN_KEY, { [ACME]: { keyId: 'key_acme', accountId: 'acme' }, [GLOBEX]: { keyId: 'key_globex', accountId: 'globex' } }),
      media: unused<MediaService>('media'),
      reads: new SqlReadModels({ store }),
      analytics: new ClickHouseAnalytics(client, database),
      now: () => NOW,
    });
    const app = createApp({
      services,
      routes: analyticsRoutes,
      logger: createLogger('test', 'silent'),
      config: { apiRateLimitPerMinute: 1_000_000, apiRateLimitBurst: 100_000, apiBodyLimitBytes: 1_048_576, mediaMaxBytes: 1_048_576 },
    });
    running = await listen(app);
  });

  after(async () => {
    await running?.close();
    await store?.close();
    await client?.close();
  });

  async function get(path: string, key: string = ADMIN_KEY, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const response = await fetch(`${running.url}${path}`, { headers: { 'x-api-key': key, ...headers } });
    return { status: response.status, body: await response.json() };
  }

  async function data(path: string, key?: string, headers?: Record<string, string>): Promise<any> {
    const answer = await get(path, key, headers);
    assert.equal(answer.status, 200, `${path}: ${JSON.stringify(answer.body)}`);
    assert.deepEqual(Object.keys(answer.body).sort(), ['data', 'success']);
    assert.equal(answer.body.success, true);
    return answer.body.data;
  }

  it('overview: every account for the admin, one with channelId or X-Channel-Id, its own for an account key', async () => {
    const all = await data('/analytics/overview');
    assert.deepEqual(all, { totalMessages: 5, sentMessages: 2, receivedMessages: 3, todayMessages: 2 });
    assert.deepEqual(overviewSchema.parse(all), all);
    assert.deepEqual(await data('/analytics/overview?channelId=globex'), { totalMessages: 2, sentMessages: 1, receivedMessages: 1, todayMessages: 0 });
    assert.deepEqual(await data('/analytics/overview', ADMIN_KEY, { 'x-channel-id': 'globex' }), { totalMessages: 2, sentMessages: 1, receivedMessages: 1, todayMessages: 0 });
    assert.deepEqual(await data('/analytics/overview', ACME), { totalMessages: 3, sentMessages: 1, receivedMessages: 2, todayMessages: 2 });
    assert.deepEqual(await data('/analytics/overview?channelId=acme', ACME), { totalMessages: 3, sentMessages: 1, receivedMessages: 2, todayMessages: 2 });
  });

  it('an account key naming another channel is 403; an unknown channel is 404; a bad one 400 naming channelId', async () => {
    for (const path of ['/analytics/overview', '/analytics/daily', '/analytics/by-hour', '/analytics/by-weekday', '/analytics/channels', '/analytics/trends']) {
      const other = await get(`${path}?channelId=globex`, ACME);
      assert.equal(other.status, 403, path);
      assert.equal(other.body.success, false);
      assert.equal((await get(path, ACME, { 'x-channel-id': 'globex' })).status, 403, path);
      const unknown = await get(`${path}?channelId=nobody`);
      assert.equal(unknown.status, 404, path);
      assert.equal(unknown.body.error.field, 'channelId');
      const bad = await get(`${path}?channelId=${encodeURIComponent('not a channel')}`);
      assert.equal(bad.status, 400, path);
      assert.equal(bad.body.error.field, 'channelId');
      assert.equal((await get(path, 'not-a-key')).status, 401, path);
    }
  });

  it('daily: `days` days ending today (UTC), oldest first, zero-filled; 7 by default', async () => {
    const three = await data('/analytics/daily?days=3');
    assert.deepEqual(three, [
      { date: '2025-01-13', total: 1, sent: 1, received: 0 },
      { date: '2025-01-14', total: 1, sent: 0, received: 1 },
      { date: '2025-01-15', total: 2, sent: 1, received: 1 },
    ]);
    for (const entry of three) assert.deepEqual(dayCountsSchema.parse(entry), entry);
    const week = await data('/analytics/daily?channelId=acme');
    assert.deepEqual(week.map((entry: DayCounts) => entry.date), ['2025-01-09', '2025-01-10', '2025-01-11', '2025-01-12', '2025-01-13', '2025-01-14', '2025-01-15']);
    assert.deepEqual(week.map((entry: DayCounts) => entry.total), [0, 0, 0, 0, 0, 1, 2]);
    assert.equal((await data('/analytics/daily?days=366')).length, 366);
    for (const days of ['0', 'abc', '367']) {
      const refused = await get(`/analytics/daily?days=${days}`);
      assert.equal(refused.status, 400, days);
      assert.equal(refused.body.error.field, 'days');
    }
  });

  it('by-hour and by-weekday: 24 hours and 7 days over all time', async () => {
    const hours = await data('/analytics/by-hour');
    assert.equal(hours.length, 24);
    assert.deepEqual(hours.map((entry: { hour: number }) => entry.hour), Array.from({ length: 24 }, (_, hour) => hour));
    assert.deepEqual(hours[10], { hour: 10, total: 2, sent: 1, received: 1 });
    assert.deepEqual(hours[8], { hour: 8, total: 2, sent: 1, received: 1 });
    assert.deepEqual(hours[23], { hour: 23, total: 1, sent: 0, received: 1 });
    for (const entry of hours) assert.deepEqual(hourCountsSchema.parse(entry), entry);
    assert.deepEqual((await data('/analytics/by-hour?channelId=acme'))[8], { hour: 8, total: 0, sent: 0, received: 0 });

    const weekdays = await data('/analytics/by-weekday', GLOBEX);
    assert.deepEqual(weekdays.map((entry: { name: string }) => entry.name), ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
    // 2025-01-13 and 2024-12-30 are Mondays.
    assert.deepEqual(weekdays[0], { weekday: 1, name: 'Monday', total: 2, sent: 1, received: 1 });
    assert.equal(weekdays.reduce((total: number, entry: { total: number }) => total + entry.total, 0), 2);
    for (const entry of weekdays) assert.deepEqual(weekdayCountsSchema.parse(entry), entry);
  });

  it('channels: every account for the admin (zeros without messages), its own for an account key', async () => {
    assert.deepEqual(await data('/analytics/channels'), [
      { channelId: 'acme', name: 'Acme Sales', today: 2, week: 3, total: 3 },
      { channelId: 'globex', name: 'Globex', today: 0, week: 1, total: 2 },
      { channelId: 'quiet', name: 'Quiet', today: 0, week: 0, total: 0 },
    ]);
    assert.deepEqual(await data('/analytics/channels', GLOBEX), [{ channelId: 'globex', name: 'Globex', today: 0, week: 1, total: 2 }]);
    assert.deepEqual(await data('/analytics/channels?channelId=acme'), [{ channelId: 'acme', name: 'Acme Sales', today: 2, week: 3, total: 3 }]);
  });

  it('trends: the last `days` days against the ones before, 14 by default', async () => {
    const trends = await data('/analytics/trends?days=2');
    assert.deepEqual(trends, {
      days: 2,
      current: { total: 3, sent: 1, received: 2 },
      previous: { total: 1, sent: 1, received: 0 },
      changePercent: 200,
      series: [
        { date: '2025-01-14', total: 1, sent: 0, received: 1 },
        { date: '2025-01-15', total: 2, sent: 1, received: 1 },
      ],
    });
    const fortnight = await data('/analytics/trends');
    assert.equal(fortnight.days, 14);
    assert.equal(fortnight.series.length, 14);
    assert.equal(fortnight.series[0].date, '2025-01-02');
    assert.deepEqual(fortnight.current, { total: 4, sent: 2, received: 2 });
    assert.deepEqual(fortnight.previous, { total: 1, sent: 0, received: 1 }, 'the message of 2024-12-30 is in the fortnight before');
    assert.equal(fortnight.changePercent, 300);
    assert.equal((await data('/analytics/trends?days=1', GLOBEX)).changePercent, null);
    const refused = await get('/analytics/trends?days=0');
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.field, 'days');
  });
});
