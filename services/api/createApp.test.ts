import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileMediaStore, createLogger } from '../shared/index.js';
import { createApp } from './createApp.js';
import { openApiProblems, type AnyRoute, type OpenApiDocument } from './http/index.js';
import { healthyReport, listen, memoryKeys, storeOnlyMedia, testServices, type RunningApp } from './http/testing/apiTestKit.js';
import { testRoutes, type TestProbe } from './http/testing/testRoutes.js';
import { systemRoutes } from './system/index.js';

const waitFor = async (condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const ADMIN = 'admin-secret';
const KEY_A = 'key-of-account-a';
const KEY_B = 'key-of-account-b';
const MB = 1024 * 1024;
const logger = createLogger('api-test', 'silent');

interface Answer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

async function call(base: string, route: string, init: RequestInit & { key?: string | null } = {}): Promise<Answer> {
  const { key = ADMIN, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (key !== null && !headers.has('x-api-key') && !headers.has('authorization')) headers.set('X-API-Key', key);
  const response = await fetch(base + route, { ...rest, headers });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: response.status, headers: response.headers, body, text };
}

const json = (value: unknown, extra: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...extra },
  body: JSON.stringify(value),
});

async function filesUnder(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

describe('createApp over real HTTP', () => {
  let dataDir: string;
  let store: FileMediaStore;
  let running: RunningApp;
  let routes: AnyRoute[];
  const probe: TestProbe = { streamsStarted: 0, streamsStopped: 0 };
  const base = (): string => running.url;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wa-api-'));
    store = FileMediaStore.inDataDir(dataDir);
    const documentRoutes = testRoutes(probe);
    routes = [...systemRoutes(documentRoutes), ...documentRoutes];
    const services = testServices({
      keys: memoryKeys(ADMIN, { [KEY_A]: { keyId: 'key_a', accountId: 'acc-a' }, [KEY_B]: { keyId: 'key_b', accountId: 'acc-b' } }),
      media: storeOnlyMedia(store),
      health: async () => healthyReport(Date.parse('2025-11-08T12:30:45.123Z')),
      now: () => Date.parse('2025-11-08T12:30:45.123Z'),
    });
    const app = createApp({
      services,
      routes,
      logger,
      config: { apiRateLimitPerMinute: 600_000, apiRateLimitBurst: 100_000, apiBodyLimitBytes: 70 * MB, mediaMaxBytes: 50 * MB },
      heartbeatMs: 50,
    });
    running = await listen(app);
  });

  after(async () => {
    await running.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('envelopes', () => {
    it('given a WILDCAT route, then the answer is { ok: true, ...body }', async () => {
      const answer = await call(base(), '/accounts/acc-a/message/send', json({ to: '123@s.whatsapp.net', message: 'hi' }));
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { ok: true, messageId: 'm-acc-a-123@s.whatsapp.net', idempotencyKey: null });
      assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
    });

    it('given a WHAPI route answering data, then the answer is { success: true, data }', async () => {
      const answer = await call(base(), '/chats?channelId=acc-a&limit=7');
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { success: true, data: [{ chatId: 'acc-a:7' }] });
    });

    it('given a WHAPI route answering spread, then its fields sit beside success', async () => {
      const answer = await call(base(), '/messages/contact', json({ channelId: 'acc-a', to: '79991234567', contact: { fullName: 'John', phone: '+123456' } }));
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { success: true, messageId: 'c-acc-a', to: '79991234567', contact: { fullName: 'John', phone: '+123456' }, channelId: 'acc-a' });
    });

    it('given a WILDCAT error, then { ok: false, error: message, code, field }', async () => {
      const answer = await call(base(), '/accounts/acc-a/message/send', json({ to: 'x' }));
      assert.equal(answer.status, 400);
      assert.deepEqual(answer.body, { ok: false, error: 'to and message are required', code: 'INVALID_ARGUMENT', field: 'message' });
    });

    it('given a WHAPI error below 500, then { success: false, error: { code, message } } with the message', async () => {
      const answer = await call(base(), '/conflict');
      assert.equal(answer.status, 409);
      assert.deepEqual(answer.body, { success: false, error: { code: 'CONFLICT', message: 'account acc-a is not connected' } });
    });

    it('given an unexpected error, then 500 with a generic message and no details', async () => {
      const answer = await call(base(), '/boom', { key: null });
      assert.equal(answer.status, 500);
      assert.deepEqual(answer.body, { ok: false, error: 'internal_error', code: 'INTERNAL' });
      assert.doesNotMatch(answer.text, /hunter2/);
    });
  });

  describe('validation', () => {
    it('given a nested field missing, then 400 naming the dotted field', async () => {
      const answer = await call(base(), '/messages/contact', json({ channelId: 'acc-a', to: '79991234567', contact: { fullName: 'John' } }));
      assert.equal(answer.status, 400);
      assert.equal(answer.body.success, false);
      assert.equal(answer.body.error.code, 'INVALID_ARGUMENT');
      assert.equal(answer.body.error.field, 'contact.phone');
      assert.equal(answer.body.error.message, 'contact.phone is required');
    });

    it('given a nested field of the wrong type or size, then the message names it and says why', async () => {
      const wrongType = await call(base(), '/messages/contact', json({ channelId: 'acc-a', to: '7999', contact: { fullName: 'John', phone: 42 } }));
      assert.equal(wrongType.body.error.field, 'contact.phone');
      assert.equal(wrongType.body.error.message, 'contact.phone must be a string');
      const tooShort = await call(base(), '/messages/contact', json({ channelId: 'acc-a', to: '7999', contact: { fullName: 'John', phone: '1' } }));
      assert.equal(tooShort.body.error.message, 'contact.phone must be at least 3 characters long');
    });

    it('given WHAPI fields in the query, then they count, and the body wins', async () => {
      const answer = await call(base(), '/messages/contact?channelId=acc-a&to=111', json({ to: '222', contact: { fullName: 'J', phone: '+123' } }));
      assert.equal(answer.status, 200);
      assert.equal(answer.body.to, '222');
      const fromQuery = await call(base(), '/messages/contact?channelId=acc-a&to=333', json({ contact: { fullName: 'J', phone: '+123' } }));
      assert.equal(fromQuery.body.to, '333');
    });

    it('given a query value out of range, then 400 naming it', async () => {
      const answer = await call(base(), '/chats?channelId=acc-a&limit=1000');
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.field, 'limit');
      assert.equal(answer.body.error.message, 'limit must be at most 100');
    });

    it('given malformed JSON, then 400 naming body', async () => {
      const answer = await call(base(), '/accounts/acc-a/message/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"to": "x",' });
      assert.equal(answer.status, 400);
      assert.deepEqual(answer.body, { ok: false, error: 'body is not valid JSON', code: 'INVALID_ARGUMENT', field: 'body' });
    });

    it("given JSON sent with curl's default urlencoded type, then it is read as JSON", async () => {
      const answer = await call(base(), '/accounts/acc-a/message/send', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '{"to":"5","message":"hi"}' });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.messageId, 'm-acc-a-5');
    });

    it('given a urlencoded form, then its fields are the body', async () => {
      const answer = await call(base(), '/accounts/acc-a/message/send', { method: 'POST', body: new URLSearchParams({ to: '6', message: 'hi' }) });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.messageId, 'm-acc-a-6');
    });

    it('given an unsupported content type, then 415 naming body', async () => {
      const answer = await call(base(), '/accounts/acc-a/message/send', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<to/>' });
      assert.equal(answer.status, 415);
      assert.equal(answer.body.field, 'body');
    });

    it('given a channel route without a channel, then 400 naming channelId', async () => {
      const answer = await call(base(), '/chats');
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.field, 'channelId');
    });

    it('given a malformed channel id, then 400 naming channelId', async () => {
      const answer = await call(base(), '/chats?channelId=../etc');
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.field, 'channelId');
    });

    it('given the channel in X-Channel-Id, then it is the account', async () => {
      const answer = await call(base(), '/chats', { headers: { 'X-Channel-Id': 'acc-b' } });
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.data, [{ chatId: 'acc-b:50' }]);
    });

    it('given a channel route without body fields, then channelId is still read from the body', async () => {
      const answer = await call(base(), '/chats/123@s.whatsapp.net/read', { ...json({ channelId: 'acc-a' }), key: KEY_A });
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.data, { chatId: '123@s.whatsapp.net', accountId: 'acc-a' });
    });

    it('given an Idempotency-Key, then a valid one reaches the handler and a bad one is 400', async () => {
      const good = await call(base(), '/accounts/acc-a/message/send', json({ to: '1', message: 'x' }, { 'Idempotency-Key': 'order-42' }));
      assert.equal(good.body.idempotencyKey, 'order-42');
      const bad = await call(base(), '/accounts/acc-a/message/send', json({ to: '1', message: 'x' }, { 'Idempotency-Key': 'x'.repeat(129) }));
      assert.equal(bad.status, 400);
      assert.equal(bad.body.field, 'Idempotency-Key');
    });

    it('given a malformed Idempotency-Key on a read or a public route, then it is ignored as the document says', async () => {
      // Found by the API fuzz (test/integration/apiFuzz.test.ts): GET /ping and every read answered an undocumented 400.
      const read = await call(base(), '/chats?channelId=acc-a', { headers: { 'Idempotency-Key': 'has space' } });
      assert.equal(read.status, 200, read.text);
      const ping = await call(base(), '/ping', { key: null, headers: { 'Idempotency-Key': 'x'.repeat(129) } });
      assert.equal(ping.status, 200, ping.text);
    });
  });

  describe('authentication and access', () => {
    it('given no key, then 401 in the surface of the route', async () => {
      const wildcat = await call(base(), '/accounts/acc-a/message/send', { ...json({ to: '1', message: 'x' }), key: null });
      assert.equal(wildcat.status, 401);
      assert.equal(wildcat.body.ok, false);
      assert.equal(wildcat.body.code, 'UNAUTHORIZED');
      assert.equal(wildcat.headers.get('www-authenticate'), 'Bearer');
      const whapi = await call(base(), '/chats?channelId=acc-a', { key: null });
      assert.equal(whapi.status, 401);
      assert.equal(whapi.body.error.code, 'UNAUTHORIZED');
    });

    it('given a wrong key, then 401', async () => {
      const answer = await call(base(), '/chats?channelId=acc-a', { key: 'nope' });
      assert.equal(answer.status, 401);
    });

    it('given the key as a Bearer token, then it is accepted', async () => {
      const answer = await call(base(), '/chats?channelId=acc-a', { headers: { authorization: `Bearer ${KEY_A}` } });
      assert.equal(answer.status, 200);
    });

    it("given an account key, then its own account works and another account's is 403", async () => {
      assert.equal((await call(base(), '/accounts/acc-a/message/send', { ...json({ to: '1', message: 'x' }), key: KEY_A })).status, 200);
      const path = await call(base(), '/accounts/acc-a/message/send', { ...json({ to: '1', message: 'x' }), key: KEY_B });
      assert.equal(path.status, 403);
      assert.equal(path.body.code, 'FORBIDDEN');
      const channel = await call(base(), '/chats?channelId=acc-a', { key: KEY_B });
      assert.equal(channel.status, 403);
      const inBody = await call(base(), '/messages/contact', { ...json({ channelId: 'acc-a', to: '1', contact: { fullName: 'J', phone: '123' } }), key: KEY_B });
      assert.equal(inBody.status, 403, 'a channel named only in the body is checked too');
    });

    it("given another account's key on an upload, then 403 before anything is stored", async () => {
      const before = await filesUnder(store.root);
      const form = new FormData();
      form.append('to', '1');
      form.append('image', new Blob([Buffer.alloc(1000, 7)]), 'x.png');
      const answer = await call(base(), '/accounts/acc-a/message/send/image', { method: 'POST', body: form, key: KEY_B });
      assert.equal(answer.status, 403);
      assert.deepEqual(await filesUnder(store.root), before);
    });

    it('given an account key on an admin route, then 403; the admin key passes', async () => {
      assert.equal((await call(base(), '/admin-only', { key: KEY_A })).status, 403);
      assert.equal((await call(base(), '/admin-only')).status, 200);
    });

    it('given a key on a key route, then the handler sees its principal (never the key)', async () => {
      const answer = await call(base(), '/echo/x', { ...json({ a: 1 }), key: KEY_A });
      assert.deepEqual(answer.body.data.principal, { kind: 'account', keyId: 'key_a', accountId: 'acc-a' });
      assert.doesNotMatch(answer.text, new RegExp(KEY_A));
    });
  });

  describe('routing', () => {
    it('given an unknown path, then 404 in the envelope its path suggests', async () => {
      const wildcat = await call(base(), '/accounts/acc-a/nothing-here');
      assert.equal(wildcat.status, 404);
      assert.equal(wildcat.body.ok, false);
      assert.equal(wildcat.body.code, 'NOT_FOUND');
      const whapi = await call(base(), '/groups/nothing/here');
      assert.equal(whapi.status, 404);
      assert.equal(whapi.body.success, false);
      assert.equal(whapi.body.error.code, 'NOT_FOUND');
    });

    it('given a known path with another method, then 405 with Allow', async () => {
      const answer = await call(base(), '/ping', { method: 'DELETE' });
      assert.equal(answer.status, 405);
      assert.equal(answer.body.ok, false);
      assert.match(answer.headers.get('allow') ?? '', /GET/);
    });

    it('given OPTIONS on a known path, then 204 with Allow; HEAD answers headers only', async () => {
      const options = await call(base(), '/accounts/acc-a/message/send', { method: 'OPTIONS' });
      assert.equal(options.status, 204);
      assert.match(options.headers.get('allow') ?? '', /POST/);
      const head = await fetch(`${base()}/ping`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), '');
    });

    it('given any answer, then the security headers are set', async () => {
      const answer = await call(base(), '/ping', { key: null });
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(answer.headers.get('x-frame-options'), 'DENY');
      assert.equal(answer.headers.get('referrer-policy'), 'no-referrer');
      assert.match(answer.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    });

    it('given a sane X-Request-Id, then it is echoed; otherwise a new one is made', async () => {
      const echoed = await call(base(), '/echo/x', { ...json({}), headers: { 'content-type': 'application/json', 'X-Request-Id': 'req-123.abc' } });
      assert.equal(echoed.headers.get('x-request-id'), 'req-123.abc');
      assert.equal(echoed.body.data.requestId, 'req-123.abc');
      const replaced = await call(base(), '/ping', { headers: { 'X-Request-Id': 'bad id with spaces' } });
      assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    });
  });

  describe('results', () => {
    it('given an accepted command, then 202 with Location and the pending envelope of each surface', async () => {
      const wildcat = await call(base(), '/accounts/acc-a/connect', { method: 'POST' });
      assert.equal(wildcat.status, 202);
      assert.equal(wildcat.headers.get('location'), '/commands/cmd-acc-a');
      assert.deepEqual(wildcat.body, { ok: true, commandId: 'cmd-acc-a', status: 'pending' });
      const whapi = await call(base(), '/messages/text', json({ channelId: 'acc-a', to: '1', body: 'x' }));
      assert.equal(whapi.status, 202);
      assert.equal(whapi.headers.get('location'), '/commands/cmd%2Facc-a');
      assert.deepEqual(whapi.body, { success: true, commandId: 'cmd/acc-a', status: 'pending' });
    });

    it('given a stream result, then the bytes with Content-Type and Content-Length', async () => {
      const bytes = Buffer.from('%PDF-1.4 not really');
      const stored = await store.put(bytes, { mimetype: 'application/pdf' });
      const response = await fetch(`${base()}/media/${stored.mediaId}?channelId=acc-a`, { headers: { 'X-API-Key': ADMIN } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/pdf');
      assert.equal(response.headers.get('content-length'), String(bytes.length));
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
    });

    it('given an event stream, then events flow unbuffered and the handler stops when the client leaves', async () => {
      const started = probe.streamsStarted;
      const stopped = probe.streamsStopped;
      const controller = new AbortController();
      const response = await fetch(`${base()}/events`, { headers: { 'X-API-Key': ADMIN }, signal: controller.signal });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(response.headers.get('cache-control'), 'no-cache, no-transform');
      const reader = response.body!.getReader();
      let seen = '';
      while (!seen.includes('data: {"n":2}')) seen += new TextDecoder().decode((await reader.read()).value);
      assert.match(seen, /^id: 1\nevent: tick\ndata: \{"n":1\}\n\n/);
      assert.equal(probe.streamsStarted, started + 1);
      controller.abort();
      await waitFor(() => probe.streamsStopped === stopped + 1, 'the stream handler to stop after the client left');
    });

    it('given an idle event stream, then heartbeat comments keep it alive', async () => {
      const controller = new AbortController();
      const response = await fetch(`${base()}/events?quiet=true`, { headers: { 'X-API-Key': ADMIN }, signal: controller.signal });
      const reader = response.body!.getReader();
      let seen = '';
      while (!seen.includes(': heartbeat\n\n')) seen += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
    });
  });

  describe('multipart', () => {
    it('given a declared file, then it is streamed into the store and the text fields are the body', async () => {
      const bytes = Buffer.alloc(300_000, 9);
      const form = new FormData();
      form.append('to', '123@s.whatsapp.net');
      form.append('caption', 'look');
      form.append('image', new Blob([bytes], { type: 'image/png' }), 'photo.png');
      const answer = await call(base(), '/accounts/acc-a/message/send/image', { method: 'POST', body: form });
      assert.equal(answer.status, 200);
      const id = createHash('sha256').update(bytes).digest('hex');
      assert.deepEqual(answer.body, { ok: true, mediaId: id, size: 300_000, mimetype: 'image/png', fileName: 'photo.png', to: '123@s.whatsapp.net', caption: 'look' });
      assert.equal((await store.stat(id))?.size, 300_000);
    });

    it('given no file where one is required, then 400 naming the file field', async () => {
      const form = new FormData();
      form.append('to', '1');
      const answer = await call(base(), '/accounts/acc-a/message/send/image', { method: 'POST', body: form });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.field, 'image');
    });

    it('given an undeclared file field, then 400 naming it and nothing kept', async () => {
      const before = await filesUnder(store.root);
      const form = new FormData();
      form.append('to', '1');
      form.append('virus', new Blob([Buffer.alloc(10, 1)]), 'x.exe');
      const answer = await call(base(), '/accounts/acc-a/message/send/image', { method: 'POST', body: form });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.field, 'virus');
      assert.deepEqual(await filesUnder(store.root), before);
    });

    it('given a file over 50 MB, then 413 naming the field, streamed without holding it, and the store unchanged', async () => {
      const before = await filesUnder(store.root);
      const boundary = 'wa-test-boundary-7f3a';
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="to"\r\n\r\n123\r\n--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const total = 50 * MB + 1;
      const chunk = new Uint8Array(64 * 1024).fill(0x5a);
      let sent = 0;
      let stage = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (stage === 0) {
            stage = 1;
            return controller.enqueue(head);
          }
          if (sent < total) {
            const size = Math.min(chunk.length, total - sent);
            sent += size;
            return controller.enqueue(size === chunk.length ? chunk : chunk.subarray(0, size));
          }
          if (stage === 1) {
            stage = 2;
            controller.enqueue(tail);
          }
          controller.close();
        },
      });
      const answer = await call(base(), '/accounts/acc-a/message/send/image', {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
        duplex: 'half',
      } as RequestInit);
      assert.equal(answer.status, 413);
      assert.equal(answer.body.ok, false);
      assert.equal(answer.body.code, 'PAYLOAD_TOO_LARGE');
      assert.equal(answer.body.field, 'image');
      assert.deepEqual(await filesUnder(store.root), before);
      // The connection is still usable afterwards.
      assert.equal((await call(base(), '/ping')).status, 200);
    });
  });

  describe('system routes', () => {
    it('GET /ping answers { ok, pong, time }', async () => {
      const answer = await call(base(), '/ping', { key: null });
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { ok: true, pong: true, time: '2025-11-08T12:30:45.123Z' });
    });

    it('GET /health answers the document shape plus kafka, analytics, connectors; redis says it is not used', async () => {
      const answer = await call(base(), '/health', { key: null });
      assert.equal(answer.status, 200);
      assert.deepEqual(Object.keys(answer.body).sort(), ['analytics', 'auth', 'channels', 'connectors', 'database', 'kafka', 'redis', 'status', 'timestamp']);
      assert.equal(answer.body.status, 'ok');
      assert.equal(answer.body.timestamp, '2025-11-08T12:30:45.123Z');
      assert.equal(answer.body.redis.status, 'not_used');
      assert.equal(answer.body.database.engine, 'pglite');
      assert.deepEqual(answer.body.channels, { status: 'up', accounts: 2, connectors: 1 });
    });

    it('GET /settings needs a key and answers the OpenAPI document as data', async () => {
      assert.equal((await call(base(), '/settings', { key: null })).status, 401);
      const answer = await call(base(), '/settings', { key: KEY_A });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.success, true);
      assert.equal(answer.body.data.openapi, '3.1.0');
    });

    it('GET /openapi.json documents every route: paths, parameters, unique operationIds, resolvable refs', async () => {
      const answer = await call(base(), '/openapi.json', { key: null });
      assert.equal(answer.status, 200);
      const doc = answer.body as OpenApiDocument;
      assert.deepEqual(openApiProblems(doc, routes), []);
      assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['apiKey', 'bearer']);
      const operationIds: string[] = [];
      for (const route of routes) {
        const template = route.path.replace(/:(\w+)/g, '{$1}');
        const op = doc.paths[template]?.[route.method.toLowerCase()];
        assert.ok(op, `${route.method} ${template} is documented`);
        operationIds.push(op.operationId);
        assert.equal(op.operationId, route.operationId);
        assert.ok(op.summary.length > 0);
        for (const name of [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
          assert.ok(op.parameters.some((p) => p.in === 'path' && p.name === name && p.required), `${template} declares path parameter ${name}`);
        }
        if (route.access === 'public') assert.deepEqual(op.security, []);
        else assert.equal(op.security, undefined, 'keyed routes use the document-wide security');
        for (const [status, response] of Object.entries(op.responses)) {
          assert.match(status, /^[1-5]\d\d$/);
          assert.ok(response.description);
        }
      }
      assert.equal(new Set(operationIds).size, operationIds.length, 'operationIds are unique');
      const count = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
      assert.equal(count, routes.length, 'nothing else is documented');
      const refs = [...answer.text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(refs.length > 0);
      for (const ref of refs) {
        assert.match(ref, /^#\/components\/schemas\//);
        assert.ok(doc.components.schemas[ref.split('/').pop()!], `${ref} resolves`);
      }
      const contact = doc.paths['/messages/contact']!['post']!;
      const contactSchema = contact.requestBody!.content['application/json']!.schema as any;
      assert.deepEqual(contactSchema.properties.contact.required, ['fullName', 'phone']);
      assert.ok(contact.parameters.some((p) => p.in === 'header' && p.name === 'X-Channel-Id'));
      const upload = doc.paths['/accounts/{accountId}/message/send/image']!['post']!;
      const form = upload.requestBody!.content['multipart/form-data']!.schema as any;
      assert.equal(form.properties.image.contentMediaType, 'application/octet-stream');
      assert.ok(form.required.includes('image'));
      assert.equal(upload.requestBody!.content['application/json'], undefined, 'a required file needs multipart');
      const chats = doc.paths['/chats']!['get']!;
      assert.ok(chats.parameters.some((p) => p.in === 'query' && p.name === 'limit'));
    });

    it('GET /docs is a self-contained HTML page with a strict policy', async () => {
      const answer = await call(base(), '/docs', { key: null });
      assert.equal(answer.status, 200);
      assert.match(answer.headers.get('content-type') ?? '', /^text\/html/);
      const csp = answer.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/);
      assert.doesNotMatch(answer.text, /<script|<link|src="http|href="http|@import|url\(/i);
      for (const route of routes) assert.ok(answer.text.includes(route.operationId), `${route.operationId} is on the page`);
      const style = /<style>([\s\S]*?)<\/style>/.exec(answer.text)![1]!;
      assert.ok(csp.includes(createHash('sha256').update(style).digest('base64')), 'the inline style matches the policy hash');
    });
  });
});

describe('createApp limits', () => {
  let dataDir: string;
  let running: RunningApp;
  let now = 0;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wa-api-limits-'));
    const store = FileMediaStore.inDataDir(dataDir);
    const documentRoutes = testRoutes({ streamsStarted: 0, streamsStopped: 0 });
    const app = createApp({
      services: testServices({ keys: memoryKeys(ADMIN, { [KEY_A]: { keyId: 'key_a', accountId: 'acc-a' } }), media: storeOnlyMedia(store) }),
      routes: [...systemRoutes(documentRoutes), ...documentRoutes],
      logger,
      config: { apiRateLimitPerMinute: 60, apiRateLimitBurst: 2, apiBodyLimitBytes: 1024, mediaMaxBytes: 1024 },
      clock: () => now,
    });
    running = await listen(app);
  });

  after(async () => {
    await running.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('given a key past its burst, then 429 with Retry-After; other keys and public routes are unaffected; tokens come back', async () => {
    const echo = (key: string): Promise<Answer> => call(running.url, '/echo/x', { ...json({}), key });
    assert.equal((await echo(ADMIN)).status, 200);
    assert.equal((await echo(ADMIN)).status, 200);
    const limited = await echo(ADMIN);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.equal(limited.body.error.code, 'RATE_LIMITED');
    assert.equal((await echo(KEY_A)).status, 200, 'each key has its own bucket');
    assert.equal((await call(running.url, '/ping', { key: null })).status, 200);
    now += 1_000;
    assert.equal((await echo(ADMIN)).status, 200, 'one token per second at 60 per minute');
  });

  it('given a JSON body over the limit, then 413 naming body', async () => {
    now += 60_000;
    const answer = await call(running.url, '/echo/x', json({ pad: 'x'.repeat(2_000) }));
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.field, 'body');
    const chunked = await call(running.url, '/echo/x', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([JSON.stringify({ pad: 'x'.repeat(2_000) })]).stream(),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413, 'a body without Content-Length is counted while read');
  });
});
