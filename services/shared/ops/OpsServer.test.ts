import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../logger.js';
import { WaError } from '../WaError.js';
import { watchLag } from './consumerLag.js';
import { initMetrics, metrics, registry } from './metrics.js';
import { Health, startOpsServer } from './OpsServer.js';

const logger = createLogger('test', 'silent');

describe('ops server', () => {
  const health = new Health();
  let server: Awaited<ReturnType<typeof startOpsServer>>;
  let failing: string | null = null;
  const get = async (path: string, method = 'GET'): Promise<{ status: number; type: string | null; body: string }> => {
    const response = await fetch(`http://127.0.0.1:${server.port}${path}`, { method });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  };

  before(async () => {
    initMetrics('tester');
    health.check('store', () => {
      if (failing !== null) throw new Error(failing);
    });
    server = await startOpsServer({ port: 0, host: '127.0.0.1', health, logger });
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves the Prometheus text format with the role label, the runtime series and ours', async () => {
    metrics.webhookDeliveries.inc({ outcome: 'delivered' }, 3);
    const stop = watchLag(async () => [{ group: 'g1', topic: 't1', partition: 2, records: 7 }]);
    try {
      const scraped = await get('/metrics');
      assert.equal(scraped.status, 200);
      assert.match(scraped.type ?? '', /^text\/plain; version=0\.0\.4/);
      assert.match(scraped.body, /^wa_webhook_deliveries_total\{outcome="delivered",role="tester"\} 3$/m);
      assert.match(scraped.body, /^wa_consumer_lag_records\{group="g1",topic="t1",partition="2",role="tester"\} 7$/m);
      assert.match(scraped.body, /^process_cpu_user_seconds_total\{role="tester"\} [\d.e+-]+$/m);
      assert.match(scraped.body, /^# TYPE wa_command_duration_seconds histogram$/m);
    } finally {
      stop();
    }
    assert.doesNotMatch((await get('/metrics')).body, /^wa_consumer_lag_records\{/m, 'a removed source leaves no stale series');
  });

  it('a lag source that fails or hangs costs its own series only, never the scrape', async () => {
    const stops = [
      watchLag(async () => {
        throw new Error('broker away');
      }),
      watchLag(async () => [{ group: 'ok', topic: 't', partition: 0, records: 1 }]),
    ];
    try {
      const scraped = await get('/metrics');
      assert.equal(scraped.status, 200);
      assert.match(scraped.body, /^wa_consumer_lag_records\{group="ok",topic="t",partition="0",role="tester"\} 1$/m);
    } finally {
      for (const stop of stops) stop();
    }
  });

  it('is ready only once started, while every check passes and before shutdown begins', async () => {
    const starting = await get('/readyz');
    assert.equal(starting.status, 503);
    assert.deepEqual(JSON.parse(starting.body).checks.started, { ok: false, detail: 'starting' });
    health.markStarted();
    const ready = await get('/readyz');
    assert.equal(ready.status, 200, ready.body);
    assert.deepEqual(JSON.parse(ready.body), { status: 'ready', checks: { started: { ok: true }, running: { ok: true }, store: { ok: true } } });
    failing = 'store unreachable';
    const down = await get('/readyz');
    assert.equal(down.status, 503);
    assert.deepEqual(JSON.parse(down.body).checks.store, { ok: false, detail: 'store unreachable' });
    failing = null;
    assert.equal((await get('/livez')).status, 200);
    health.markStopping('SIGTERM');
    const draining = await get('/readyz');
    assert.equal(draining.status, 503);
    assert.deepEqual(JSON.parse(draining.body).checks.running, { ok: false, detail: 'shutting down (SIGTERM)' });
    assert.equal((await get('/livez')).status, 200, 'a draining process is still alive');
    health.markStopping('fatal');
    assert.equal((await get('/livez')).status, 503);
  });

  it('answers 404 elsewhere, 405 to other methods, and HEAD without a body', async () => {
    assert.equal((await get('/')).status, 404);
    assert.equal((await get('/metrics', 'POST')).status, 405);
    const head = await get('/metrics', 'HEAD');
    assert.deepEqual([head.status, head.body], [200, '']);
  });

  it('a port in use is a configuration error naming METRICS_PORT', async () => {
    await assert.rejects(
      startOpsServer({ port: server.port, host: '127.0.0.1', health, logger }),
      (error: unknown) => error instanceof WaError && error.code === 'INVALID_CONFIG' && error.field === 'METRICS_PORT',
    );
  });

  it('names every series of ours by the conventions: wa_ namespace, _total counters, base units', async () => {
    const ours = (await registry.getMetricsAsJSON()).filter((metric) => metric.name.startsWith('wa_'));
    assert.ok(ours.length >= 14, `series: ${ours.map((m) => m.name).join(', ')}`);
    for (const metric of ours) {
      assert.match(metric.name, /^wa_[a-z_]+$/);
      if (String(metric.type) === 'counter') assert.match(metric.name, /_total$/, metric.name);
      else assert.doesNotMatch(metric.name, /_total$/, metric.name);
      if (String(metric.type) === 'histogram') assert.match(metric.name, /_seconds$/, metric.name);
    }
  });
});
