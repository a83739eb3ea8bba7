import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClickHouseAnalytics, openChdb, startAnalyticsProjection, type AnalyticsQueries } from '../../projections/analytics/index.js';
import { READ_MODEL_MIGRATIONS, SqlReadModels } from '../../projections/readModels/index.js';
import { ProjectionRunner, type ProjectorTopics } from '../../projections/runner/index.js';
import { migrate, PgliteStore } from '../../projections/store/index.js';
import { HttpAnalytics } from '../../services/api/analytics/index.js';
import { apiRoutes, createApp, startApiServices, type ApiServices } from '../../services/api/index.js';
import type { TopicSpec } from '../../services/shared/kafka/index.js';
import { freshGroup, freshTopic, testLogger } from './broker.js';
import { ConnectorHarness, type Value } from './connectorHarness.js';
import { waitFor } from './waitFor.js';

/** The admin key of every API harness. */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789';

/** An answer of the API: status, headers and the parsed JSON body ({} when empty, `{ raw }` when not JSON). */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Value;
}

/**
 * The whole write and read path on the real broker: a connector with the simulator as
 * WhatsApp, the projector filling an in-memory PGlite, and the real API app over HTTP, built
 * by startApiServices exactly as the api role builds it.
 */
export class ApiHarness {
  private constructor(
    readonly h: ConnectorHarness,
    /** What the projector and the analytics projection read: the connector's topics and a fresh webhook delivery log. */
    readonly projected: ProjectorTopics,
    /** The first webhook retry tier, where redeliveries by API are queued (fresh, like every harness topic). */
    readonly webhookRetry: TopicSpec,
    /** The webhook subscriptions the app writes (fresh, compacted). */
    readonly webhookSubscriptions: TopicSpec,
    readonly services: ApiServices,
    readonly base: string,
    private readonly server: Server,
    private readonly closers: Array<() => Promise<void>>,
  ) {}

  /**
   * `projector: false` leaves the read models empty: for measuring the command path alone,
   * without the projector's PGlite work sharing this one event loop. `analytics: true` runs the
   * analytics projection into chDB in memory (a database of its own) and gives the app
   * ClickHouseAnalytics on it; without it the app asks an analytics role that is not there.
   */
  static async start(options: { partitions?: number; commandWaitMs?: number; projector?: boolean; analytics?: boolean } = {}): Promise<ApiHarness> {
    const h = await ConnectorHarness.start({ partitions: options.partitions ?? 4 });
    const closers: Array<() => Promise<void>> = [() => h.stop()];
    try {
      await h.startConnector();
      const projected: ProjectorTopics = {
        conversation: h.topics.conversation,
        account: h.topics.account,
        commandResults: h.topics.commandResults,
        webhookAttempts: await freshTopic(h.kafka, 'webhook-attempts', { partitions: h.topics.commands.partitions }),
      };
      const store = await PgliteStore.open({ dataDir: null, schema: 'read_models' });
      closers.push(() => store.close());
      await migrate(store, READ_MODEL_MIGRATIONS);
      if (options.projector !== false) {
        const projector = await ProjectionRunner.start({
          kafka: h.kafka,
          groupId: freshGroup('projector'),
          topics: projected,
          store,
          codec: h.codec,
          logger: testLogger('projector'),
        });
        closers.push(() => projector.stop());
      }
      const analytics = options.analytics === true ? await ApiHarness.startAnalytics(h, projected, closers) : { queries: new HttpAnalytics({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 1_000 }), engine: 'chdb (via the analytics role)' };
      const webhookRetry = await freshTopic(h.kafka, 'webhook-retry', { partitions: h.topics.commands.partitions, valueSchema: 'wa.webhooks.WebhookDelivery' });
      const webhookSubscriptions = await freshTopic(h.kafka, 'webhooks', { partitions: h.topics.commands.partitions, cleanup: 'compact', key: 'entry' });
      const { services, stop } = await startApiServices({
        kafka: h.kafka,
        topics: {
          ...h.topics,
          webhookRetry,
          webhooks: webhookSubscriptions,
          apiKeys: await freshTopic(h.kafka, 'api-keys', { partitions: 1, cleanup: 'compact', key: 'entry', valueSchema: null }),
        },
        codec: h.codec,
        box: h.box,
        media: h.media,
        reads: new SqlReadModels({ store }),
        readEngine: 'pglite',
        analytics: analytics.queries,
        analyticsEngine: analytics.engine,
        instanceId: `test-api-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
        logger: testLogger('api'),
        adminKey: TEST_ADMIN_KEY,
        commandWaitMs: options.commandWaitMs ?? 20_000,
        commandTtlMs: 300_000,
        mediaMaxBytes: 50 * 1_048_576,
        allowPrivate: true,
        connectorGroup: h.groupId,
      });
      closers.push(stop);
      const app = createApp({
        services,
        routes: apiRoutes(),
        logger: testLogger('api'),
        config: { apiRateLimitPerMinute: 1_000_000, apiRateLimitBurst: 100_000, apiBodyLimitBytes: 70 * 1_048_576, mediaMaxBytes: 50 * 1_048_576 },
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', resolve));
      closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      return new ApiHarness(h, projected, webhookRetry, webhookSubscriptions, services, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, closers);
    } catch (error) {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      throw error;
    }
  }

  /** chDB in memory, a fresh database filled by the analytics projection from the harness's topics. */
  private static async startAnalytics(h: ConnectorHarness, topics: ProjectorTopics, closers: Array<() => Promise<void>>): Promise<{ queries: AnalyticsQueries; engine: string }> {
    const client = await openChdb(null);
    const database = `wa_api_${randomBytes(6).toString('hex')}`;
    closers.push(async () => {
      await client.command(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
      await client.close();
    });
    const projection = await startAnalyticsProjection({
      kafka: h.kafka,
      groupId: freshGroup('analytics'),
      topics,
      client,
      database,
      codec: h.codec,
      logger: testLogger('analytics'),
      flushIntervalMs: 100,
      onFatal: (error) => h.fatal.push(error),
    });
    closers.push(() => projection.stop());
    return { queries: new ClickHouseAnalytics(client, database), engine: client.engine };
  }

  /** Calls the API; `key` null sends none, a FormData body goes multipart, anything else JSON. */
  async call(method: string, path: string, body?: unknown, options: { key?: string | null; headers?: Record<string, string> } = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? TEST_ADMIN_KEY : options.key;
    if (key !== null) headers['x-api-key'] = key;
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(`${this.base}${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
    const text = await response.text();
    let parsed: Value;
    try {
      parsed = text === '' ? {} : (JSON.parse(text) as Value);
    } catch {
      parsed = { raw: text };
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /** Polls a GET until `ready` accepts its answer (the read models are eventually consistent). */
  async eventually(path: string, ready: (answer: ApiAnswer) => boolean, what: string, key?: string): Promise<ApiAnswer> {
    return waitFor(async () => {
      const answer = await this.call('GET', path, undefined, key === undefined ? {} : { key });
      return ready(answer) ? answer : null;
    }, what);
  }

  /** What an account sent to `to`, as the simulated network saw it. */
  async outbox(accountId: string, to: string): Promise<Value[]> {
    return (await this.h.simGet(`/sim/outbox?accountId=${accountId}&to=${to}`)).messages as Value[];
  }

  /** Stops the app, the services, the projector and the connector harness. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    for (const close of this.closers.reverse()) await close();
  }
}

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Whether a JSON value is of one of the types `assertFields` names. */
function isOfType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value) && Number.isFinite(Date.parse(value));
    case 'jid':
      return typeof value === 'string' && /^[^@\s]+@(s\.whatsapp\.net|g\.us|lid|newsletter|broadcast)$/.test(value);
    default:
      throw new Error(`assertFields: unknown type ${type}`);
  }
}

/**
 * Asserts that `value` has exactly the fields of `spec`, each of one of its types (`string`,
 * `number`, `integer`, `boolean`, `null`, `array`, `object`, `date` = ISO 8601, `jid`, or
 * several joined by `|`); a key ending in `?` may be absent. Checks a response against the
 * shape an API document shows.
 */
export function assertFields(value: unknown, spec: Readonly<Record<string, string>>, what: string): void {
  assert.ok(isOfType(value, 'object'), `${what}: expected an object, got ${JSON.stringify(value)}`);
  const record = value as Record<string, unknown>;
  const expected = new Map(Object.entries(spec).map(([key, types]) => [key.replace(/\?$/, ''), { optional: key.endsWith('?'), types: types.split('|') }]));
  for (const key of Object.keys(record)) assert.ok(expected.has(key), `${what}: unexpected field ${key} in ${JSON.stringify(record)}`);
  for (const [key, { optional, types }] of expected) {
    if (!(key in record)) {
      assert.ok(optional, `${what}: missing field ${key} in ${JSON.stringify(record)}`);
      continue;
    }
    assert.ok(
      types.some((type) => isOfType(record[key], type)),
      `${what}: ${key} should be ${types.join(' or ')}, got ${JSON.stringify(record[key])}`,
    );
  }
}
