import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { freePort, testBrokers, waitFor, type Value } from '../helpers/index.js';
import { WebhookReceiver } from '../helpers/webhookHarness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '../../services/cli/index.js');
const ADMIN = 'deployment-admin-key-0123456789';

/**
 * The single-machine deployment as users run it: `start all` with the simulator as WhatsApp,
 * every role its own process (api, projector, connector, simulator), the read models in
 * embedded PGlite served by the projector to the api. Driven only from outside, over HTTP.
 */
describe('start all with the simulator: every role as its own process', { timeout: 240_000 }, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'deployment-'));
  let child: ReturnType<typeof spawn>;
  let exited: Promise<number | null>;
  let output = '';
  let api = '';
  let sim = '';
  let receiver: WebhookReceiver | undefined;

  before(async () => {
    const [port, simPort, projectorPort, analyticsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    api = `http://127.0.0.1:${port}`;
    sim = `http://127.0.0.1:${simPort}`;
    child = spawn(process.execPath, [cli, 'start', 'all'], {
      env: {
        ...process.env,
        KAFKA_BROKERS: testBrokers().join(','),
        DATA_DIR: dataDir,
        WA_DRIVER: 'simulator',
        PORT: String(port),
        SIM_PORT: String(simPort),
        PROJECTOR_PORT: String(projectorPort),
        ANALYTICS_PORT: String(analyticsPort),
        // Each role's ops server on a free port of its own.
        METRICS_PORT: '0',
        API_KEY: ADMIN,
        // The test's webhook receiver listens on loopback.
        WEBHOOK_ALLOW_PRIVATE: 'true',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => child.once('exit', resolve));
    await waitFor(async () => (await fetch(`${api}/ping`).catch(() => null))?.ok === true, 'the api answering', { timeoutMs: 120_000 });
  });

  after(async () => {
    child?.kill('SIGKILL');
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: Value }> {
    const response = await fetch(`${api}${pathname}`, {
      method,
      headers: { 'x-api-key': ADMIN, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Value };
  }

  async function simPost(pathname: string, body: unknown): Promise<Value> {
    const response = await fetch(`${sim}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200);
    return (await response.json()) as Value;
  }

  it('creates an account, links it, receives and answers a message, reads it back, counts it, delivers it to a webhook, then drains on SIGINT', async () => {
    const hook = await WebhookReceiver.start();
    receiver = hook;
    const registered = await call('POST', '/webhooks', { url: hook.url, events: ['message.received'] });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const secret = String(registered.body.secret);
    const created = await call('POST', '/accounts', { id: 'deploy-1', name: 'Deployment' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await waitFor(async () => (await call('GET', '/channels/deploy-1/qr')).status === 200, 'a QR served from the projector');
    await simPost('/sim/link', { accountId: 'deploy-1', phone: '15550990001' });
    await waitFor(async () => (await call('GET', '/accounts/deploy-1/status')).body.status === 'connected', 'connected');

    const { messageId } = await simPost('/sim/inbound', { accountId: 'deploy-1', from: '15550990002', text: 'hello deployment' });
    const messages = await waitFor(async () => {
      const answer = await call('GET', '/accounts/deploy-1/chats/15550990002@s.whatsapp.net/messages');
      return (answer.body.messages as Value[] | undefined)?.some((m) => m.messageId === messageId) ? answer : null;
    }, 'the inbound message in the read model');
    assert.equal((messages.body.messages as Value[])[0]!.text, 'hello deployment');
    const sent = await call('POST', '/accounts/deploy-1/message/send', { to: '15550990002@s.whatsapp.net', message: 'hello back' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const health = await call('GET', '/health');
    assert.equal(health.body.database.status, 'up');
    assert.equal(health.body.connectors.status, 'up');
    assert.equal(health.body.analytics.status, 'up', JSON.stringify(health.body.analytics));
    // The analytics role (chDB in its own process) counts both messages; the API asks it over HTTP.
    const overview = await waitFor(async () => {
      const answer = await call('GET', '/analytics/overview?channelId=deploy-1');
      return answer.body.data?.totalMessages === 2 ? answer : null;
    }, 'analytics counting both messages');
    assert.deepEqual(overview.body.data, { totalMessages: 2, sentMessages: 1, receivedMessages: 1, todayMessages: 2 });

    // The webhooks role (its own process) delivers the inbound message, signed with the secret the API gave.
    const delivery = await waitFor(() => hook.acknowledged().find((r) => (JSON.parse(r.body) as Value).messageId === messageId), 'the inbound message delivered to the webhook');
    const verified = new Webhook(secret).verify(delivery.body, { 'webhook-id': delivery.id, 'webhook-timestamp': delivery.timestamp, 'webhook-signature': delivery.signature }) as Value;
    assert.equal(verified.message, 'hello deployment');
    assert.equal(verified.accountId, 'deploy-1');

    child.kill('SIGINT');
    assert.equal(await exited, 0, output);
  });
});
