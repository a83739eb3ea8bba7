import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileMediaStore, createLogger } from '../../shared/index.js';
import { createApp } from '../createApp.js';
import { listen, memoryKeys, storeOnlyMedia, testServices, type RunningApp } from '../http/testing/apiTestKit.js';
import { systemRoutes } from '../system/index.js';
import { CONSOLE_CONTENT_SECURITY_POLICY, contentTypeOf } from './index.js';

const ADMIN = 'admin-secret';
const PAGE = '<!doctype html><html><head><script type="module" src="/console/assets/index-Ab12_x.js"></script></head><body><div id="app"></div></body></html>';
const SCRIPT = 'console.log("console");\n';
const STYLE = 'body{margin:0}\n';

async function start(consoleDir: string, dataDir: string): Promise<RunningApp> {
  const services = testServices({ keys: memoryKeys(ADMIN, {}), media: storeOnlyMedia(FileMediaStore.inDataDir(dataDir)) });
  const app = createApp({
    services,
    routes: systemRoutes([]),
    logger: createLogger('console-test', 'silent'),
    config: { apiRateLimitPerMinute: 600, apiRateLimitBurst: 100, apiBodyLimitBytes: 1024 * 1024, mediaMaxBytes: 1024 * 1024 },
    consoleDir,
  });
  return listen(app);
}

describe('the console files (GET /console, /console/assets/*)', () => {
  let root: string;
  let built: RunningApp;
  let unbuilt: RunningApp;

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'wa-console-'));
    const dist = path.join(root, 'dist-console');
    await mkdir(path.join(dist, 'assets'), { recursive: true });
    await writeFile(path.join(dist, 'index.html'), PAGE);
    await writeFile(path.join(dist, 'assets', 'index-Ab12_x.js'), SCRIPT);
    await writeFile(path.join(dist, 'assets', 'index-Cd34.css'), STYLE);
    await mkdir(path.join(dist, 'assets', 'nested'));
    await writeFile(path.join(dist, 'assets', 'nested', 'deep.js'), SCRIPT);
    built = await start(dist, path.join(root, 'data-built'));
    unbuilt = await start(path.join(root, 'never-built'), path.join(root, 'data-unbuilt'));
  });

  after(async () => {
    await built?.close();
    await unbuilt?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves the page without an API key, as HTML under its own strict policy', async () => {
    for (const pathname of ['/console', '/console/']) {
      const response = await fetch(built.url + pathname);
      assert.equal(response.status, 200, pathname);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(response.headers.get('content-security-policy'), CONSOLE_CONTENT_SECURITY_POLICY);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.equal(await response.text(), PAGE);
    }
    const directives = CONSOLE_CONTENT_SECURITY_POLICY.split('; ');
    assert.ok(directives.includes("script-src 'self'"), 'scripts from this origin only');
    assert.ok(directives.includes("default-src 'none'"));
    assert.ok(directives.includes("frame-ancestors 'none'"));
    assert.ok(!CONSOLE_CONTENT_SECURITY_POLICY.includes('unsafe'), 'no inline script or style, no eval');
  });

  it('serves the hashed assets without a key, with their content type and a year of caching', async () => {
    const script = await fetch(`${built.url}/console/assets/index-Ab12_x.js`);
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(script.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(script.headers.get('content-length'), String(Buffer.byteLength(SCRIPT)));
    assert.equal(await script.text(), SCRIPT);
    const style = await fetch(`${built.url}/console/assets/index-Cd34.css`);
    assert.equal(style.status, 200);
    assert.equal(style.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(await style.text(), STYLE);
    const head = await fetch(`${built.url}/console/assets/index-Ab12_x.js`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(SCRIPT)));
    assert.equal(await head.text(), '');
  });

  it('answers 404 for a missing asset, a folder, a nested path or a way out of the assets folder', async () => {
    for (const pathname of [
      '/console/assets/missing-123.js',
      '/console/assets/nested',
      '/console/assets/nested/deep.js',
      '/console/assets/..%2Findex.html',
      '/console/assets/%2e%2e/index.html',
      '/console/assets/',
      '/console/index.html',
    ]) {
      const response = await fetch(built.url + pathname);
      assert.equal(response.status, 404, pathname);
      assert.equal(await response.text().then((text) => text.includes('<html')), false, pathname);
    }
  });

  it('serves only GET and HEAD: another method on /console is not a console request', async () => {
    const response = await fetch(`${built.url}/console`, { method: 'POST' });
    assert.equal(response.status, 404);
  });

  it('without a build, answers 404 saying to run make build', async () => {
    const response = await fetch(`${unbuilt.url}/console`);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.match(await response.text(), /make build/);
    assert.equal((await fetch(`${unbuilt.url}/console/assets/index-Ab12_x.js`)).status, 404);
  });

  it('is not part of the API documents, and the API itself still wants its key', async () => {
    const document = (await (await fetch(`${built.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    assert.deepEqual(
      Object.keys(document.paths).filter((p) => p.startsWith('/console')),
      [],
    );
    assert.equal((await fetch(`${built.url}/settings`)).status, 401);
    assert.equal((await fetch(`${built.url}/settings`, { headers: { 'x-api-key': ADMIN } })).status, 200);
  });

  it('names content types by extension', () => {
    assert.equal(contentTypeOf('a-1.js'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeOf('a-1.CSS'), 'text/css; charset=utf-8');
    assert.equal(contentTypeOf('logo-1.svg'), 'image/svg+xml');
    assert.equal(contentTypeOf('font-1.woff2'), 'font/woff2');
    assert.equal(contentTypeOf('blob-1.bin'), 'application/octet-stream');
  });
});
