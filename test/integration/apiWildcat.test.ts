import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ReadModels } from '../../projections/readModels/index.js';
import { createApp, type ApiServices } from '../../services/api/index.js';
import { KafkaCommandBus } from '../../services/api/commands/index.js';
import { KafkaLiveEvents } from '../../services/api/events/index.js';
import { KafkaApiKeys } from '../../services/api/keys/index.js';
import { StoreMediaService } from '../../services/api/media/index.js';
import { channelRoutes } from '../../services/api/routes/channels/index.js';
import { wildcatRoutes } from '../../services/api/routes/wildcat/index.js';
import { KafkaWebhookRegistry } from '../../services/api/webhooks/index.js';
import { WaError, qrPng } from '../../services/shared/index.js';
import { ConnectorHarness, freshTopic, testLogger, waitFor, type Value } from '../helpers/index.js';

const ADMIN_KEY = 'test-admin-key-0123456789';

/**
 * The read side (projector + SQL read models) is not part of this test: it covers the routes
 * that act through commands, media and webhooks. A read would answer 503, and fail the test.
 */
function readsNotWired(): ReadModels {
  const unavailable = async (): Promise<never> => {
    throw new WaError('UNAVAILABLE', 'read models are not wired in this test');
  };
  return {
    accounts: unavailable,
    account: unavailable,
    connectionHistory: unavailable,
    chats: unavailable,
    chat: unavailable,
    messagesOfChat: unavailable,
    messagesOfAccount: unavailable,
    message: unavailable,
    contacts: unavailable,
    blocked: unavailable,
    groups: unavailable,
    group: unavailable,
    labels: unavailable,
    stories: unavailable,
    newsletters: unavailable,
    communities: unavailable,
    // The command bus asks for results it did not see itself: none here.
    command: async () => null,
    lag: unavailable,
    ping: unavailable,
  };
}

describe('WILDCAT and WHAPI /channels routes over HTTP (real app, real broker, simulator as WhatsApp)', () => {
  let h: ConnectorHarness;
  let bus: KafkaCommandBus;
  let webhooks: KafkaWebhookRegistry;
  let keys: KafkaApiKeys;
  let server: Server;
  let base: string;

  before(async () => {
    h = await ConnectorHarness.start({ partitions: 4 });
    await h.startConnector();
    const logger = testLogger('api');
    const reads = readsNotWired();
    const instanceId = `api-${process.pid}`;
    bus = await KafkaCommandBus.start({
      kafka: h.kafka,
      codec: h.codec,
      topics: { commands: h.topics.commands, commandResults: h.topics.commandResults },
      instanceId,
      logger,
      reads,
      waitMs: 20_000,
    });
    webhooks = await KafkaWebhookRegistry.start({
      kafka: h.kafka,
      codec: h.codec,
      topic: await freshTopic(h.kafka, 'webhooks', { partitions: 4, cleanup: 'compact', key: 'entry', valueSchema: 'wa.webhooks.WebhookSubscription' }),
      box: h.box,
      instanceId,
      logger,
      allowPrivate: true,
    });
    keys = await KafkaApiKeys.start({ kafka: h.kafka, topic: await freshTopic(h.kafka, 'api-keys', { partitions: 1, cleanup: 'compact', key: 'entry', valueSchema: null }), logger, adminKey: ADMIN_KEY });
    const services: ApiServices = {
      commands: bus,
      reads,
      media: new StoreMediaService({ store: h.media, allowPrivate: true }),
      webhooks,
      keys,
      events: new KafkaLiveEvents({ kafka: h.kafka, codec: h.codec, topics: { conversation: h.topics.conversation, account: h.topics.account, presence: h.topics.presence }, instanceId, logger }),
      health: async () => {
        throw new WaError('UNAVAILABLE', 'health is not part of this test');
      },
      now: Date.now,
    };
    const app = createApp({
      services,
      routes: [...wildcatRoutes, ...channelRoutes],
      logger,
      config: { apiRateLimitPerMinute: 100_000, apiRateLimitBurst: 10_000, apiBodyLimitBytes: 10 * 1_048_576, mediaMaxBytes: 10 * 1_048_576 },
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await bus?.stop();
    await webhooks?.stop();
    await keys?.stop();
    await h?.stop();
    assert.deepEqual(h?.fatal, []);
  });

  async function call(method: string, path: string, body?: unknown, options: { key?: string | null; form?: FormData } = {}): Promise<{ status: number; body: Value }> {
    const headers: Record<string, string> = {};
    const key = options.key === undefined ? ADMIN_KEY : options.key;
    if (key !== null) headers['x-api-key'] = key;
    let payload: string | FormData | undefined;
    if (options.form) payload = options.form;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(`${base}${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Value) };
  }

  async function outbox(accountId: string, to: string): Promise<Value[]> {
    return (await h.simGet(`/sim/outbox?accountId=${accountId}&to=${to}`)).messages as Value[];
  }

  async function connected(accountId: string): Promise<void> {
    await h.event(
      (e) => e.accountId === accountId && e.type === 'connection.state' && e.data['wa.account.ConnectionStateChanged'].state === 'CONNECTED',
      `${accountId} connected`,
    );
  }

  it('WILDCAT: create an account, connect it, link it in the simulator, then send text and an uploaded image', async () => {
    const created = await call('POST', '/accounts', { id: 'mybot', name: 'My WhatsApp Bot' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.ok, true);
    assert.equal(created.body.account._id, 'mybot');
    assert.equal(created.body.account.name, 'My WhatsApp Bot');
    assert.equal(created.body.account.collectionName, 'auth_mybot');
    assert.equal(created.body.account.status, 'connecting');
    assert.match(created.body.account.createdAt, /^\d{4}-\d\d-\d\dT/);

    const again = await call('POST', '/accounts', { id: 'mybot' });
    assert.equal(again.status, 400);
    assert.deepEqual([again.body.ok, again.body.error], [false, 'Account already exists']);
    const noId = await call('POST', '/accounts', { name: 'x' });
    assert.deepEqual([noId.status, noId.body.ok, noId.body.error], [400, false, 'id is required']);

    const connect = await call('POST', '/accounts/mybot/connect');
    assert.equal(connect.status, 200, JSON.stringify(connect.body));
    assert.deepEqual(connect.body, { ok: true, message: 'Attempting to connect mybot', status: 'connecting' });

    await h.sim('/sim/link', { accountId: 'mybot', phone: '15550001111' });
    await connected('mybot');

    const missing = await call('POST', '/accounts/mybot/message/send', { to: '15550002222@s.whatsapp.net' });
    assert.deepEqual([missing.status, missing.body.ok, missing.body.error], [400, false, 'to and message are required']);

    const sent = await call('POST', '/accounts/mybot/message/send', { to: '15550002222@s.whatsapp.net', message: 'Hello! How are you?' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.ok, true);
    assert.equal(typeof sent.body.messageId, 'string');
    const [text] = await outbox('mybot', '15550002222');
    assert.deepEqual([text!.messageId, text!.type, text!.text], [sent.body.messageId, 'text', 'Hello! How are you?']);

    const png = await qrPng('a picture');
    const form = new FormData();
    form.append('to', '+1 555 000 3333');
    form.append('caption', 'Check out this photo!');
    form.append('image', new Blob([png], { type: 'image/png' }), 'photo.png');
    const image = await call('POST', '/accounts/mybot/message/send/image', undefined, { form });
    assert.equal(image.status, 200, JSON.stringify(image.body));
    const [picture] = await waitFor(async () => {
      const found = await outbox('mybot', '15550003333');
      return found.length > 0 ? found : null;
    }, 'image in the outbox');
    assert.deepEqual([picture!.messageId, picture!.type, picture!.caption, picture!.media.size], [image.body.messageId, 'image', 'Check out this photo!', png.length]);

    const noFile = new FormData();
    noFile.append('to', '15550003333@s.whatsapp.net');
    const withoutImage = await call('POST', '/accounts/mybot/message/send/image', undefined, { form: noFile });
    assert.equal(withoutImage.status, 400);
    assert.equal(withoutImage.body.ok, false);
  });

  it('WILDCAT: a key of another account is refused; disconnect makes sends fail with internal_error; delete removes the account', async () => {
    const { key } = await keys.create('someone-else', 'test');
    const foreign = await call('POST', '/accounts/mybot/message/send', { to: '15550002222', message: 'x' }, { key });
    assert.equal(foreign.status, 403);
    assert.equal((await call('POST', '/accounts', { id: 'sneaky' }, { key })).status, 403);
    assert.equal((await call('POST', '/accounts/mybot/connect', undefined, { key: null })).status, 401);

    const disconnected = await call('POST', '/accounts/mybot/disconnect');
    assert.deepEqual([disconnected.status, disconnected.body], [200, { ok: true, message: 'Account mybot disconnected' }]);
    const failed = await call('POST', '/accounts/mybot/message/send', { to: '15550002222', message: 'anyone there?' });
    assert.deepEqual([failed.status, failed.body.ok, failed.body.error], [500, false, 'internal_error']);

    const deleted = await call('DELETE', '/accounts/mybot');
    assert.deepEqual([deleted.status, deleted.body], [200, { ok: true, message: 'Account mybot deleted' }]);
    const gone = await call('POST', '/accounts/mybot/connect');
    assert.deepEqual([gone.status, gone.body.error], [404, 'Account not found']);
  });

  it('WILDCAT: POST /webhooks registers a URL once', async () => {
    const first = await call('POST', '/webhooks', { url: 'https://example.com/whatsapp-webhook' });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.created, true);
    assert.equal(first.body.url, 'https://example.com/whatsapp-webhook');
    const second = await call('POST', '/webhooks', { url: 'https://example.com/whatsapp-webhook' });
    assert.deepEqual([second.status, second.body], [200, { ok: true, url: 'https://example.com/whatsapp-webhook', created: false }]);
    const bad = await call('POST', '/webhooks', { url: 'not a url' });
    assert.deepEqual([bad.status, bad.body.error], [400, 'url must be a valid HTTP/HTTPS URL']);
    const listed = await call('GET', '/webhooks');
    assert.ok((listed.body.webhooks as Value[]).some((webhook) => webhook.url === 'https://example.com/whatsapp-webhook' && webhook.scope === 'GLOBAL'));
  });

  it('WHAPI: create a channel, connect by QR (data URL), link, send text, location, contact and a base64 document', async () => {
    const created = await call('POST', '/channels', { name: 'Sales', department: 'Sales', autoConnect: false });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.success, true);
    const id = created.body.data.id as string;
    assert.match(id, /^ch_[0-9a-f]{16}$/);
    assert.deepEqual([created.body.data.name, created.body.data.department, created.body.data.status], ['Sales', 'Sales', 'disconnected']);

    const connect = await call('POST', `/channels/${id}/connect`);
    assert.equal(connect.status, 200, JSON.stringify(connect.body));
    assert.deepEqual([connect.body.success, connect.body.status], [true, 'qr']);
    assert.match(connect.body.qr, /^data:image\/png;base64,/);

    await h.sim('/sim/link', { accountId: id, phone: '15550004444' });
    await connected(id);
    const again = await call('POST', `/channels/${id}/connect`);
    assert.deepEqual(again.body, { success: true, status: 'connected', phone: '15550004444' });

    const text = await call('POST', `/channels/${id}/messages/send-immediate`, { phone: '79991234567', message: 'Hi!' });
    assert.equal(text.status, 200, JSON.stringify(text.body));
    assert.deepEqual(Object.keys(text.body).sort(), ['messageId', 'success']);

    const location = await call('POST', `/channels/${id}/messages/location`, { to: '79991234567', latitude: 55.7558, longitude: 37.6173, name: 'Moscow', address: 'Red Square' });
    assert.equal(location.status, 200, JSON.stringify(location.body));
    const contact = await call('POST', `/channels/${id}/messages/contact`, { to: '79991234567', contact: { fullName: 'John Doe', phone: '+123456789' } });
    assert.equal(contact.status, 200, JSON.stringify(contact.body));
    const pdf = Buffer.from('%PDF-1.4\n% a tiny document\n').toString('base64');
    const document = await call('POST', `/channels/${id}/messages/document`, { to: '79991234567', media: pdf, filename: 'report.pdf', mimetype: 'application/pdf' });
    assert.equal(document.status, 200, JSON.stringify(document.body));

    const sent = await waitFor(async () => {
      const found = await outbox(id, '79991234567');
      return found.length >= 4 ? found : null;
    }, 'four messages in the outbox');
    const byId = new Map(sent.map((entry) => [entry.messageId as string, entry]));
    assert.equal(byId.get(text.body.messageId)!.text, 'Hi!');
    assert.deepEqual(byId.get(location.body.messageId)!.location, { latitude: 55.7558, longitude: 37.6173, name: 'Moscow', address: 'Red Square' });
    assert.match(byId.get(contact.body.messageId)!.contact.vcard, /FN:John Doe/);
    assert.deepEqual([byId.get(document.body.messageId)!.type, byId.get(document.body.messageId)!.fileName], ['document', 'report.pdf']);

    const bad = await call('POST', `/channels/${id}/messages/send-immediate`, { message: 'Hi!' });
    assert.equal(bad.status, 400);
    assert.deepEqual([bad.body.success, bad.body.error.message, bad.body.error.field], [false, 'phone is required', 'phone']);

    const loggedOut = await call('POST', `/channels/${id}/logout`);
    assert.deepEqual([loggedOut.status, loggedOut.body], [200, { success: true, data: { id, status: 'disconnected' } }]);
  });

  it('WHAPI: connect-phone answers a pairing code; unknown channels are 404', async () => {
    const created = await call('POST', '/channels', { name: 'Support', autoConnect: false });
    const id = created.body.data.id as string;
    const pairing = await call('POST', `/channels/${id}/connect-phone`, { phoneNumber: '+1 555 000 5555' });
    assert.equal(pairing.status, 200, JSON.stringify(pairing.body));
    assert.equal(pairing.body.success, true);
    assert.match(pairing.body.pairingCode, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    const missing = await call('POST', '/channels/ch_nope/connect');
    assert.deepEqual([missing.status, missing.body.success, missing.body.error.message], [404, false, 'Channel not found']);

    const updated = await call('PUT', `/channels/${id}`, { name: 'Support EU' });
    assert.deepEqual([updated.status, updated.body.data.name], [200, 'Support EU']);
    const deleted = await call('DELETE', `/channels/${id}`);
    assert.deepEqual([deleted.status, deleted.body], [200, { success: true, data: { id, deleted: true } }]);
  });

  it('WHAPI: a channel webhook is configured, read back and removed', async () => {
    const created = await call('POST', '/channels', { name: 'Hooks', autoConnect: false });
    const id = created.body.data.id as string;
    assert.equal((await call('GET', `/channels/${id}/webhook`)).status, 404);
    const put = await call('PUT', `/channels/${id}/webhook`, { url: 'https://example.com/webhook', events: ['message.received', 'message.sent'] });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual([put.body.data.url, put.body.data.events, put.body.data.enabled, put.body.data.scope], ['https://example.com/webhook', ['message.received', 'message.sent'], true, 'ACCOUNT']);
    const got = await call('GET', `/channels/${id}/webhook`);
    assert.equal(got.body.data.id, put.body.data.id);
    assert.equal('secret' in got.body.data, false);
    const removed = await call('DELETE', `/channels/${id}/webhook`);
    assert.deepEqual(removed.body, { success: true, data: { id: put.body.data.id, deleted: true } });
    assert.equal((await call('GET', `/channels/${id}/webhook`)).status, 404);
  });
});
