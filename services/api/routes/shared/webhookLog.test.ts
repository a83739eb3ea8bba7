import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Page, Paged, ReadModels, WebhookAttemptOutcome, WebhookAttemptRow } from '../../../../projections/readModels/index.js';
import { createLogger, WaError, type MediaStore } from '../../../shared/index.js';
import type { MediaService, RedeliveryOutcome, RedeliverySelection, WebhookRedelivery, WebhookRegistry, WebhookView } from '../../ApiServices.js';
import { createApp } from '../../createApp.js';
import { listen, memoryKeys, testServices, unused, type RunningApp } from '../../http/testing/apiTestKit.js';
import { channelWebhookRoutes } from '../channels/channelWebhookRoutes.js';
import { webhookRoutes } from '../wildcat/webhookRoutes.js';
import { webhookAttemptSchema } from './webhookLogViews.js';

const ADMIN = 'admin-secret';
const ACME = 'acme-key';
const GLOBEX = 'globex-key';
const NOW = Date.parse('2025-01-15T12:00:00.000Z');

function view(id: string, overrides: Partial<WebhookView> = {}): WebhookView {
  return { id, scope: 'ACCOUNT', accountId: null, url: 'https://hooks.example.com/x', events: [], enabled: true, disabledReason: null, createdAt: NOW - 86_400_000, updatedAt: NOW - 86_400_000, ...overrides };
}

const WEBHOOKS = [
  view('global:9f2c', { scope: 'GLOBAL', events: ['message.received', 'message.sent'] }),
  view('acct:acme', { accountId: 'acme' }),
  view('acct:globex', { accountId: 'globex', enabled: false, disabledReason: 'HTTP 410 Gone' }),
];

/** The two subscription reads the routes use; the rest of the registry is not theirs. */
const registry: WebhookRegistry = {
  registerGlobal: () => Promise.reject(new Error('not used')),
  putForAccount: () => Promise.reject(new Error('not used')),
  remove: () => Promise.reject(new Error('not used')),
  forAccount: async (accountId) => WEBHOOKS.find((w) => w.id === `acct:${accountId}`) ?? null,
  list: async () => [...WEBHOOKS],
};

function row(n: number, outcome: WebhookAttemptOutcome = 'DELIVERED'): WebhookAttemptRow {
  return {
    attemptId: `ev-${n}.acct:acme#1@${NOW - n}`,
    deliveryId: `ev-${n}.acct:acme`,
    subscriptionId: 'acct:acme',
    eventId: `ev-${n}`,
    eventType: 'message.received',
    accountId: 'acme',
    chatJid: '15550000002@s.whatsapp.net',
    attempt: 1,
    outcome,
    statusCode: outcome === 'DELIVERED' ? 200 : 500,
    latencyMs: 30 + n,
    error: outcome === 'DELIVERED' ? null : 'HTTP 500',
    attemptedAt: NOW - n * 1_000,
    nextAttemptAt: null,
    sourceTopic: 'wa.conversation.v1',
    sourcePartition: 1,
    sourceOffset: n,
  };
}

/** Every delivery-log question the routes ask, with its answer: three rows, a next page after the second. */
const asked: { method: string; subscriptionId: string; filter?: unknown; page: Page }[] = [];
function logPage(page: Page): Paged<WebhookAttemptRow> {
  const all = [row(1), row(2, 'DEAD'), row(3, 'GONE')];
  const items = all.slice(page.offset, page.offset + page.limit);
  return { items, total: all.length, nextCursor: page.offset + page.limit < all.length ? 'opaque' : null };
}
const reads = new Proxy(
  {
    webhookAttempts: async (subscriptionId: string, filter: unknown, page: Page) => {
      asked.push({ method: 'webhookAttempts', subscriptionId, filter, page });
      return logPage(page);
    },
    webhookDeadLetters: async (subscriptionId: string, page: Page) => {
      asked.push({ method: 'webhookDeadLetters', subscriptionId, page });
      return logPage(page);
    },
  },
  {
    get: (target, property) => {
      if (property in target) return target[property as keyof typeof target];
      if (property === 'then') return undefined;
      throw new Error(`reads.${String(property)} is not used by these routes`);
    },
  },
) as unknown as ReadModels;

/** Redeliveries asked for; `ev-none` has no delivery in the log. */
const redelivered: { subscriptionId: string; selection: RedeliverySelection }[] = [];
const deliveries: WebhookRedelivery = {
  redeliver: async (subscription, selection): Promise<RedeliveryOutcome> => {
    if (selection.kind === 'event' && selection.eventId === 'ev-none') throw new WaError('NOT_FOUND', 'no delivery of event ev-none', { field: 'eventId' });
    redelivered.push({ subscriptionId: subscription.id, selection });
    return { queued: 3, missing: 1 };
  },
};

describe('webhook delivery log and redelivery routes (real app over HTTP)', () => {
  let running: RunningApp;

  before(async () => {
    const services = testServices({
      keys: memoryKeys(ADMIN, { [ACME]: { keyId: 'key_acme', accountId: 'acme' }, [GLOBEX]: { keyId: 'key_globex', accountId: 'globex' } }),
      // JSON bodies are read without touching the media store; the rest of media is not used.
      media: { store: unused<MediaStore>('media.store'), fromField: () => Promise.reject(new Error('not used')), open: () => Promise.reject(new Error('not used')) } satisfies MediaService,
      webhooks: registry,
      reads,
      webhookDeliveries: deliveries,
      now: () => NOW,
    });
    const app = createApp({
      services,
      routes: [...webhookRoutes, ...channelWebhookRoutes],
      logger: createLogger('test', 'silent'),
      config: { apiRateLimitPerMinute: 1_000_000, apiRateLimitBurst: 100_000, apiBodyLimitBytes: 1_048_576, mediaMaxBytes: 1_048_576 },
    });
    running = await listen(app);
  });

  after(async () => {
    await running?.close();
  });

  beforeEach(() => {
    asked.length = 0;
    redelivered.length = 0;
  });

  async function call(method: string, path: string, key: string | null = ADMIN, body?: unknown): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = {};
    if (key !== null) headers['x-api-key'] = key;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${running.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: await response.json() };
  }

  it('WILDCAT attempts: { ok, attempts, total, nextCursor }, filtered and paged as asked', async () => {
    const answer = await call('GET', '/webhooks/acct:acme/attempts?eventId=ev-2&outcome=dead&limit=2');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(Object.keys(answer.body).sort(), ['attempts', 'nextCursor', 'ok', 'total']);
    assert.equal(answer.body.ok, true);
    assert.equal(answer.body.total, 3);
    assert.equal(answer.body.nextCursor, '2');
    assert.deepEqual(answer.body.attempts.map((a: { eventId: string; outcome: string }) => `${a.eventId}:${a.outcome}`), ['ev-1:delivered', 'ev-2:dead']);
    for (const attempt of answer.body.attempts) assert.deepEqual(webhookAttemptSchema.parse(attempt), attempt);
    assert.deepEqual(answer.body.attempts[1], {
      attemptId: `ev-2.acct:acme#1@${NOW - 2}`,
      deliveryId: 'ev-2.acct:acme',
      eventId: 'ev-2',
      eventType: 'message.received',
      accountId: 'acme',
      chatId: '15550000002@s.whatsapp.net',
      attempt: 1,
      outcome: 'dead',
      statusCode: 500,
      latencyMs: 32,
      error: 'HTTP 500',
      attemptedAt: '2025-01-15T11:59:58.000Z',
      nextAttemptAt: null,
    });
    assert.deepEqual(asked, [{ method: 'webhookAttempts', subscriptionId: 'acct:acme', filter: { eventId: 'ev-2', outcome: 'DEAD' }, page: { limit: 2, offset: 0 } }]);

    const next = await call('GET', `/webhooks/${encodeURIComponent('acct:acme')}/attempts?limit=2&cursor=${answer.body.nextCursor}`);
    assert.equal(next.status, 200);
    assert.deepEqual(next.body.attempts.map((a: { eventId: string }) => a.eventId), ['ev-3']);
    assert.equal(next.body.nextCursor, null, 'the last page');
    assert.deepEqual(asked[1]?.page, { limit: 2, offset: 2 });
  });

  it('WILDCAT: the admin sees every webhook, an account key its account’s only (403), an unknown one is 404', async () => {
    assert.equal((await call('GET', '/webhooks/global:9f2c/attempts')).status, 200);
    assert.equal((await call('GET', '/webhooks/acct:acme/dead-letters', ACME)).status, 200);
    for (const path of ['/webhooks/global:9f2c/attempts', '/webhooks/acct:globex/attempts', '/webhooks/acct:globex/dead-letters']) {
      const refused = await call('GET', path, ACME);
      assert.equal(refused.status, 403, path);
      assert.deepEqual([refused.body.ok, refused.body.code], [false, 'FORBIDDEN']);
    }
    const refused = await call('POST', '/webhooks/global:9f2c/redeliver', ACME, { deadLetters: true });
    assert.equal(refused.status, 403);
    const unknown = await call('GET', '/webhooks/global:0000/attempts');
    assert.equal(unknown.status, 404);
    assert.deepEqual([unknown.body.code, unknown.body.field], ['NOT_FOUND', 'webhookId']);
    assert.equal((await call('GET', '/webhooks/acct:acme/attempts', null)).status, 401);
    assert.equal((await call('GET', '/webhooks/acct:acme/attempts', 'not-a-key')).status, 401);
    assert.deepEqual(
      asked.map((a) => `${a.method} ${a.subscriptionId}`),
      ['webhookAttempts global:9f2c', 'webhookDeadLetters acct:acme'],
      'nothing was read for a refused request',
    );
  });

  it('WILDCAT dead letters: { ok, deadLetters, total, nextCursor }', async () => {
    const answer = await call('GET', '/webhooks/global:9f2c/dead-letters?offset=1&limit=5');
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.body).sort(), ['deadLetters', 'nextCursor', 'ok', 'total']);
    assert.deepEqual(answer.body.deadLetters.map((a: { outcome: string }) => a.outcome), ['dead', 'gone']);
    assert.deepEqual(asked, [{ method: 'webhookDeadLetters', subscriptionId: 'global:9f2c', page: { limit: 5, offset: 1 } }]);
  });

  it('a bad query is a 400 naming the field', async () => {
    for (const [query, field] of [
      ['outcome=lost', 'outcome'],
      ['limit=0', 'limit'],
      ['limit=1000', 'limit'],
      ['offset=-1', 'offset'],
      ['cursor=next', 'cursor'],
    ] as const) {
      const wildcat = await call('GET', `/webhooks/acct:acme/attempts?${query}`);
      assert.equal(wildcat.status, 400, query);
      assert.equal(wildcat.body.field, field, query);
      const whapi = await call('GET', `/channels/acme/webhook/attempts?${query}`);
      assert.equal(whapi.status, 400, query);
      assert.equal(whapi.body.error.field, field, query);
    }
    assert.deepEqual(asked, []);
  });

  it('WHAPI: { success, data } for the channel’s own webhook; 403 for another channel’s key; 404 without a webhook', async () => {
    const attempts = await call('GET', '/channels/acme/webhook/attempts?outcome=DELIVERED', ACME);
    assert.equal(attempts.status, 200, JSON.stringify(attempts.body));
    assert.deepEqual(Object.keys(attempts.body).sort(), ['data', 'success']);
    assert.deepEqual(Object.keys(attempts.body.data).sort(), ['attempts', 'nextCursor', 'total']);
    assert.equal(attempts.body.data.attempts.length, 3);
    assert.deepEqual(asked[0], { method: 'webhookAttempts', subscriptionId: 'acct:acme', filter: { outcome: 'DELIVERED' }, page: { limit: 50, offset: 0 } });

    const dead = await call('GET', '/channels/acme/webhook/dead-letters');
    assert.equal(dead.status, 200);
    assert.deepEqual(Object.keys(dead.body.data).sort(), ['deadLetters', 'nextCursor', 'total']);

    const other = await call('GET', '/channels/globex/webhook/attempts', ACME);
    assert.equal(other.status, 403);
    assert.equal(other.body.success, false);
    assert.equal((await call('POST', '/channels/globex/webhook/redeliver', ACME, { deadLetters: true })).status, 403);
    const none = await call('GET', '/channels/initech/webhook/dead-letters');
    assert.equal(none.status, 404);
    assert.equal(none.body.error.code, 'NOT_FOUND');
    assert.equal((await call('POST', '/channels/initech/webhook/redeliver', ADMIN, { eventId: 'ev-1' })).status, 404);
    assert.equal(redelivered.length, 0);
  });

  it('redeliver: 202 with what was queued, in each surface’s envelope; the selection as asked', async () => {
    const wildcat = await call('POST', '/webhooks/global:9f2c/redeliver', ADMIN, { eventId: 'ev-1' });
    assert.equal(wildcat.status, 202, JSON.stringify(wildcat.body));
    assert.deepEqual(wildcat.body, { ok: true, queued: 3, missing: 1 });
    const own = await call('POST', '/webhooks/acct:acme/redeliver', ACME, { since: '2025-01-15T11:00:00Z', until: NOW - 60_000 });
    assert.equal(own.status, 202);
    const whapi = await call('POST', '/channels/acme/webhook/redeliver', ACME, { deadLetters: true });
    assert.equal(whapi.status, 202);
    assert.deepEqual(whapi.body, { success: true, data: { queued: 3, missing: 1 } });
    // WHAPI fields may come in the query string.
    const fromQuery = await call('POST', `/channels/acme/webhook/redeliver?since=${NOW - 1_000}`, ACME, {});
    assert.equal(fromQuery.status, 202, JSON.stringify(fromQuery.body));
    assert.deepEqual(redelivered, [
      { subscriptionId: 'global:9f2c', selection: { kind: 'event', eventId: 'ev-1' } },
      { subscriptionId: 'acct:acme', selection: { kind: 'since', since: NOW - 3_600_000, until: NOW - 60_000 } },
      { subscriptionId: 'acct:acme', selection: { kind: 'deadLetters' } },
      { subscriptionId: 'acct:acme', selection: { kind: 'since', since: NOW - 1_000, until: null } },
    ]);
  });

  it('redeliver: 400 naming the field for anything but exactly one form, 404 for an event never delivered, 409 while disabled', async () => {
    for (const [body, field] of [
      [{}, 'body'],
      [{ eventId: 'ev-1', deadLetters: true }, 'deadLetters'],
      [{ eventId: 'ev-1', since: NOW - 1 }, 'since'],
      [{ deadLetters: false }, 'deadLetters'],
      [{ since: NOW + 60_000 }, 'since'],
      [{ since: 'last tuesday' }, 'since'],
      [{ since: NOW - 10, until: NOW - 20 }, 'until'],
      [{ until: NOW }, 'until'],
      [{ everything: true }, 'everything'],
    ] as const) {
      const wildcat = await call('POST', '/webhooks/acct:acme/redeliver', ADMIN, body);
      assert.equal(wildcat.status, 400, JSON.stringify(body));
      assert.deepEqual([wildcat.body.ok, wildcat.body.code, wildcat.body.field], [false, 'INVALID_ARGUMENT', field], JSON.stringify(body));
      const whapi = await call('POST', '/channels/acme/webhook/redeliver', ADMIN, body);
      assert.equal(whapi.status, 400, JSON.stringify(body));
      assert.equal(whapi.body.error.field, field, JSON.stringify(body));
    }
    const never = await call('POST', '/webhooks/acct:acme/redeliver', ADMIN, { eventId: 'ev-none' });
    assert.equal(never.status, 404);
    assert.equal(never.body.field, 'eventId');
    const disabled = await call('POST', '/webhooks/acct:globex/redeliver', GLOBEX, { deadLetters: true });
    assert.equal(disabled.status, 409);
    assert.equal(disabled.body.code, 'CONFLICT');
    assert.match(disabled.body.error, /disabled \(HTTP 410 Gone\)/);
    assert.equal((await call('POST', '/channels/globex/webhook/redeliver', ADMIN, { eventId: 'ev-1' })).status, 409);
    // A disabled webhook's log is still readable.
    assert.equal((await call('GET', '/channels/globex/webhook/attempts', GLOBEX)).status, 200);
    assert.deepEqual(redelivered, []);
  });
});
