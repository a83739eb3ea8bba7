import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { WaError } from '../../../services/shared/index.js';
import { freshGroup, testLogger, waitFor } from '../../../test/helpers/index.js';
import { dayOf } from '../sql/sqlLiteral.js';
import { EventFactory, T0 } from '../../readModels/testing/index.js';
import { kafkaLogEnds } from '../../runner/index.js';
import { ProjectorHarness, projectorScenario, scenarioSubscription } from '../../runner/testing/index.js';
import type { AnalyticsClient } from '../client/AnalyticsClient.js';
import { ClickHouseAnalytics } from '../queries/ClickHouseAnalytics.js';
import { analyticsLag } from '../queries/analyticsLag.js';
import { qualified, ROLLUPS, rollupSelect, type FactTableName } from '../sql/analyticsSchema.js';
import { replayAnalytics } from '../replayAnalytics.js';
import { startAnalyticsProjection, type AnalyticsProjection } from '../startAnalyticsProjection.js';

/** Opens the analytics store of one engine for the suite. */
export interface AnalyticsEngine {
  engine: 'chdb' | 'clickhouse';
  open(): Promise<AnalyticsClient>;
  cleanup(): Promise<void>;
}

/** The SQL of the README's analytics cookbook. */
function cookbookQueries(): string[] {
  // Tests run from the repository root (make test, test/run.sh).
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('```sql', readme.indexOf('### Analytics cookbook'));
  const block = readme.slice(start + 6, readme.indexOf('```', start + 6));
  return block.split(';').map((query) => query.trim()).filter((query) => query !== '');
}

const ACCOUNTS = 3;
const MESSAGES = 60;

/**
 * What the scenario holds, counted from its own rules (projectorScenario), not through the code
 * under test: every message once (some are written twice), receipts of sent messages, two
 * connection states per account (and one disconnection added here), a command result every
 * 23rd message, webhook attempts of every 4th message (one delivered, or a retry then dead;
 * some logged twice).
 */
function expected(
  accounts: number,
  messages: number,
): { messages: number; sent: number; received: number; statuses: number; connections: number; commands: number; attempts: number; failedAttempts: number } {
  let sent = 0;
  let statuses = 0;
  let commands = 0;
  let attempts = 0;
  let failedAttempts = 0;
  for (let m = 0; m < messages; m += 1) {
    if (m % 3 === 1) {
      sent += 1;
      statuses += m % 2 === 0 ? 2 : 1;
    }
    if (m % 23 === 0) commands += 1;
    if (m % 8 === 0) attempts += 1;
    else if (m % 4 === 0) {
      attempts += 2;
      failedAttempts += 2;
    }
  }
  return {
    messages: accounts * messages,
    sent: accounts * sent,
    received: accounts * (messages - sent),
    statuses: accounts * statuses,
    connections: accounts * 2 + 1,
    commands: accounts * commands,
    attempts: accounts * attempts,
    failedAttempts: accounts * failedAttempts,
  };
}

/**
 * The analytics projection against the real broker and one ClickHouse engine: the scenario's
 * events counted exactly, a crash between the rows and their positions changing nothing, and a
 * rollup view that missed rows repaired from its fact table.
 */
export function analyticsSuite(engines: () => Promise<AnalyticsEngine>): void {
  describe('analytics projection with the real broker', { timeout: 300_000 }, () => {
    let engine: AnalyticsEngine;
    let client: AnalyticsClient;
    let h: ProjectorHarness;
    const running = new Set<AnalyticsProjection>();
    const want = expected(ACCOUNTS, MESSAGES);
    const today = dayOf(T0);

    before(async () => {
      engine = await engines();
      client = await engine.open();
      h = await ProjectorHarness.start();
      await h.produce(projectorScenario(ACCOUNTS, MESSAGES, { codec: h.codec }));
      // One disconnection, for the cookbook's disconnection query.
      const lost = new EventFactory('scenario-0', h.codec).envelope(
        'connection.state',
        'wa.account.ConnectionStateChanged',
        { state: 'DISCONNECTED', previousState: 'CONNECTED', reason: 'CONNECTION_LOST', statusCode: 428, connectionId: 'c-0' },
        { at: T0 + 5_000_000 },
      );
      await h.produce({ conversation: [], account: [{ accountId: 'scenario-0', value: lost }], commandResults: [], webhookAttempts: [] });
    });

    after(async () => {
      for (const projection of running) await projection.stop().catch(() => undefined);
      await h?.stop();
      await client?.close();
      await engine?.cleanup();
    });

    const database = (): string => `wa_t_${randomBytes(4).toString('hex')}`;
    const start = async (db: string, groupId: string, afterInsert?: (table: string) => void): Promise<AnalyticsProjection> => {
      const projection = await startAnalyticsProjection({
        kafka: h.kafka,
        groupId,
        topics: h.topics,
        client,
        database: db,
        codec: h.codec,
        logger: testLogger('analytics'),
        flushIntervalMs: 200,
        sessionTimeoutMs: 6_000,
        heartbeatIntervalMs: 500,
        ...(afterInsert ? { afterInsert } : {}),
      });
      running.add(projection);
      return projection;
    };
    const stop = async (projection: AnalyticsProjection): Promise<void> => {
      await projection.stop().catch(() => undefined);
      running.delete(projection);
    };
    const caughtUp = async (db: string): Promise<void> => {
      const ends = kafkaLogEnds(h.kafka);
      try {
        await waitFor(async () => (await analyticsLag(client, db, h.topicNames(), ends)) === 0, 'analytics to catch up with the log', { timeoutMs: 120_000, intervalMs: 100 });
      } finally {
        await ends.close();
      }
    };
    const count = async (db: string, table: FactTableName): Promise<number> => Number((await client.query<{ n: string }>(`SELECT count() AS n FROM ${qualified(db, table)}`))[0]!.n);
    const rolledUp = async (db: string): Promise<number[]> =>
      Promise.all(ROLLUPS.map(async (view) => Number((await client.query<{ n: string }>(`SELECT countMerge(messages) AS n FROM ${qualified(db, view.name)}`))[0]!.n)));
    const assertCounts = async (db: string): Promise<void> => {
      assert.equal(await count(db, 'messages'), want.messages, 'messages');
      assert.equal(await count(db, 'message_status'), want.statuses, 'status transitions');
      assert.equal(await count(db, 'connections'), want.connections, 'connection states');
      assert.equal(await count(db, 'command_outcomes'), want.commands, 'command outcomes');
      assert.equal(await count(db, 'webhook_deliveries'), want.attempts, 'webhook delivery attempts');
      assert.deepEqual(await rolledUp(db), ROLLUPS.map(() => want.messages), 'daily, hourly and weekday views');
      const analytics = new ClickHouseAnalytics(client, db);
      assert.deepEqual(await analytics.overview(null, today), { totalMessages: want.messages, sentMessages: want.sent, receivedMessages: want.received, todayMessages: want.messages });
      const perAccount = await analytics.perAccount(null, today);
      assert.deepEqual(perAccount.map((a) => [a.accountId, a.total, a.today, a.week]), Array.from({ length: ACCOUNTS }, (_, a) => [`scenario-${a}`, MESSAGES, MESSAGES, MESSAGES]));
      assert.equal((await analytics.overview(['scenario-1'], today)).totalMessages, MESSAGES);
      const hours = await analytics.byHour(null);
      assert.equal(hours.reduce((sum, h) => sum + h.total, 0), want.messages);
      const weekdays = await analytics.byWeekday(null);
      assert.equal(weekdays.find((d) => d.weekday === ((new Date(T0).getUTCDay() + 6) % 7) + 1)!.total, want.messages);
    };

    it('counts every event once, re-emitted ones included; the README cookbook runs on it', async () => {
      const db = database();
      const projection = await start(db, freshGroup('analytics'));
      await caughtUp(db);
      await assertCounts(db);
      await stop(projection);
      const queries = cookbookQueries();
      assert.equal(queries.length, 6);
      const results: Record<string, unknown>[][] = [];
      for (const query of queries) {
        const rows = await client.query<Record<string, unknown>>(query.replaceAll('wa_analytics.', `${db}.`).replace(/today\(\) - 30|toMonday\(now\(\)\)|now\(\) - 86400|now\(\) - 7 \* 86400/g, 'toDate(0)'));
        assert.ok(rows.length > 0, `no rows from: ${query.split('\n')[0]}`);
        results.push(rows);
      }
      // The webhook query: one endpoint, one day, every attempt, the failed share exact.
      const [perEndpoint] = results[5]!;
      assert.deepEqual([results[5]!.length, perEndpoint!.endpoint_id, Number(perEndpoint!.attempts)], [1, scenarioSubscription(), want.attempts]);
      assert.ok(Math.abs(Number(perEndpoint!.failure_rate) - want.failedAttempts / want.attempts) < 1e-9, `failure rate ${String(perEndpoint!.failure_rate)}`);
    });

    it('a crash after the rows, before their positions, counts nothing twice', async () => {
      const db = database();
      const group = freshGroup('analytics-crash');
      let crashed = false;
      const first = await start(db, group, (table) => {
        if (table === 'message_status' && !crashed) {
          crashed = true;
          throw new WaError('INTERNAL', 'injected crash after the first rows');
        }
      });
      await assert.rejects(first.runner.done, /injected crash/);
      await stop(first);
      assert.ok((await count(db, 'messages')) > 0, 'the crash came after some rows were stored');
      const second = await start(db, group);
      await caughtUp(db);
      await assertCounts(db);
      await stop(second);
    });

    it('a view that missed rows is redone from its fact table', async () => {
      const db = database();
      const group = freshGroup('analytics-view');
      const first = await start(db, group);
      await caughtUp(db);
      await stop(first);
      // The daily view keeps only its first rows, as if the process died between a flush's
      // insert into messages and the view's own, several flushes in a row.
      const daily = ROLLUPS.find((view) => view.name === 'messages_daily')!;
      await client.command(`TRUNCATE TABLE ${qualified(db, daily.name)}`);
      await client.command(`INSERT INTO ${qualified(db, daily.name)} ${rollupSelect(db, daily, 'src_offset < 20')}`);
      const partial = (await rolledUp(db))[0]!;
      assert.ok(partial > 0 && partial < want.messages, `the view lost rows (${partial} of ${want.messages})`);
      const second = await start(db, group);
      await waitFor(async () => (await rolledUp(db))[0] === want.messages, 'the daily view to be repaired', { timeoutMs: 60_000, intervalMs: 100 });
      await assertCounts(db);
      await stop(second);
    });

    it('a replay from the log swaps in the same totals as the live run, and refuses while the role runs', async () => {
      const db = database();
      const group = freshGroup('analytics-live');
      const live = await start(db, group);
      await caughtUp(db);
      await assert.rejects(
        replayAnalytics({ kafka: h.kafka, topics: h.topics, client, codec: h.codec, logger: testLogger('replay'), database: db, liveGroup: group }),
        (error: unknown) => error instanceof WaError && error.code === 'CONFLICT' && /stop it/.test(error.message),
      );
      await stop(live);
      const phases: string[] = [];
      const result = await replayAnalytics({ kafka: h.kafka, topics: h.topics, client, codec: h.codec, logger: testLogger('replay'), database: db, liveGroup: group, onProgress: (p) => phases.push(p.phase) });
      const ends = kafkaLogEnds(h.kafka);
      const onTopics = (await ends(h.topicNames())).reduce((sum, end) => sum + end.high - end.low, 0);
      await ends.close();
      assert.equal(result.events, onTopics);
      assert.deepEqual(phases.slice(-2), ['swapping', 'done']);
      await assertCounts(db);
      // The views are made again on the swapped tables: new rows still roll up (this test runs
      // last: the late account's messages are on the shared topics from now on).
      const again = await start(db, group);
      await h.produce(projectorScenario(1, 5, { prefix: 'late', codec: h.codec }));
      await caughtUp(db);
      assert.deepEqual(await rolledUp(db), ROLLUPS.map(() => want.messages + 5));
      await stop(again);
      const left = await client.query<{ name: string }>(`SELECT name FROM system.databases WHERE name IN ('${db}_rebuild', '${db}_old')`);
      assert.deepEqual(left, []);
    });
  });
}
