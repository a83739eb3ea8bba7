import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { FileMediaStore, createLogger } from '../shared/index.js';
import { createApp } from './createApp.js';
import { listen, memoryKeys, storeOnlyMedia, testServices, type RunningApp } from './http/testing/apiTestKit.js';
import { testRoutes } from './http/testing/testRoutes.js';
import { systemRoutes } from './system/index.js';

const ADMIN = 'admin-secret';
const KEY_A = 'key-of-account-a';

// Segments of real routes mixed with hostile ones, so generated paths hit routes as well as misses.
const segment = fc.oneof(
  fc.constantFrom('accounts', 'acc-a', 'acc-b', 'message', 'send', 'image', 'connect', 'messages', 'contact', 'text', 'chats', 'media', 'echo', 'ping', 'health', 'docs', 'settings', 'openapi.json', 'api-keys', 'keys', 'admin-only', 'conflict', 'channels'),
  fc.constantFrom('%', '%zz', '%00', '%E0%A4%A', '..', '.', '__proto__', 'constructor', '%2F', 'a'.repeat(300), '😀', '%F0%9F%98%80'),
  fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent),
);
const query = fc.oneof(
  fc.constant(''),
  fc.dictionary(fc.constantFrom('channelId', 'limit', 'to', 'accountId', 'quiet', '__proto__', 'contact[phone]', 'x'), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('acc-a', 'acc-b', '-1', '1e99', 'NaN'))).map((entries) => `?${new URLSearchParams(entries).toString()}`),
);
const printable = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7E]/g, '').trim());
const headerSet = fc.record(
  {
    'x-api-key': fc.oneof({ arbitrary: fc.constantFrom(ADMIN, KEY_A), weight: 4 }, { arbitrary: fc.oneof(fc.constantFrom('wrong', ''), printable), weight: 1 }),
    authorization: fc.oneof(fc.constantFrom(`Bearer ${ADMIN}`, 'Bearer', 'Basic abc'), printable),
    'content-type': fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=x', 'text/plain', 'application/xml', 'application/json; charset=latin1', '', 'image/png'),
    'x-request-id': printable,
    'idempotency-key': printable,
    'x-channel-id': fc.oneof({ arbitrary: fc.constantFrom('acc-a', 'acc-b'), weight: 3 }, { arbitrary: fc.oneof(fc.constant('..'), printable), weight: 1 }),
    'content-encoding': fc.constantFrom('gzip', 'identity'),
  },
  { requiredKeys: ['x-api-key'] },
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.record({ to: fc.jsonValue(), message: fc.jsonValue(), contact: fc.jsonValue(), channelId: fc.oneof(fc.constantFrom('acc-a', 'acc-b'), fc.jsonValue()) }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{"to":', '--x\r\nContent-Disposition: form-data; name="image"; filename="a"\r\n\r\nabc\r\n--x--\r\n', '--x\r\n\r\n', 'a=1&a=2&__proto__=3', '\uFEFF{}', '[]', 'null'),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
);
const anyMethod = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PURGE', 'PROPFIND');

const documentRoutes = testRoutes({ streamsStarted: 0, streamsStopped: 0 }, { withFailures: false });
const routes = [...systemRoutes(documentRoutes), ...documentRoutes];

/** A request line: half the time a real route (its parameters filled with anything), else any path. */
const target = fc.oneof(
  fc
    .record({ route: fc.constantFrom(...routes), fill: fc.array(segment, { minLength: 3, maxLength: 3 }), other: anyMethod, own: fc.boolean() })
    .map(({ route, fill, other, own }) => {
      let n = 0;
      return { path: route.path.replace(/:\w+/g, () => fill[n++ % fill.length]!), method: own ? route.method : other };
    }),
  fc.record({ segments: fc.array(segment, { minLength: 0, maxLength: 6 }), method: anyMethod }).map(({ segments, method }) => ({ path: `/${segments.join('/')}`, method })),
);

describe('createApp under random requests', () => {
  let dataDir: string;
  let running: RunningApp;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wa-api-prop-'));
    const store = FileMediaStore.inDataDir(dataDir);
    const app = createApp({
      services: testServices({ keys: memoryKeys(ADMIN, { [KEY_A]: { keyId: 'key_a', accountId: 'acc-a' } }), media: storeOnlyMedia(store) }),
      routes,
      logger: createLogger('api-prop', 'silent'),
      config: { apiRateLimitPerMinute: 1_000_000, apiRateLimitBurst: 1_000_000, apiBodyLimitBytes: 64 * 1024, mediaMaxBytes: 64 * 1024 },
    });
    running = await listen(app);
  });

  after(async () => {
    await running.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('never answers 5xx and never crashes, whatever the path, method, headers and body', async () => {
    await fc.assert(
      fc.asyncProperty(target, query, headerSet, body, async ({ path: where, method: verb }, search, headers, payload) => {
        const withBody = payload !== undefined && verb !== 'GET' && verb !== 'HEAD';
        const response = await fetch(`${running.url}${where}${search}`, {
          method: verb,
          headers: Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== '')),
          ...(withBody ? { body: payload } : {}),
        });
        const text = await response.text();
        assert.ok(response.status < 500, `${verb} ${where}${search} answered ${response.status}: ${text.slice(0, 300)}`);
        if (verb !== 'HEAD' && response.status >= 400) {
          const answer = JSON.parse(text) as { ok?: boolean; success?: boolean };
          assert.ok(answer.ok === false || answer.success === false, `an error answer is in an envelope: ${text.slice(0, 200)}`);
        }
      }),
      { numRuns: 1_000 },
    );
    const ping = await fetch(`${running.url}/ping`);
    assert.equal(ping.status, 200, 'the server still answers');
  });
});
