import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, TEST_ADMIN_KEY, waitFor, type Value } from '../helpers/index.js';

/**
 * The api role's whole app (every route of both documents, built by startApiServices as in
 * production) over real HTTP, commands through the real broker to a connector with the
 * simulator, and reads from the projector's PGlite: the read routes answer from what
 * WhatsApp really sent.
 */
describe('API end to end: both documents over commands and read models', () => {
  let api: ApiHarness;
  const ACCOUNT = 'e2e-wild';
  const PHONE = '15550900001';
  const FRIEND = '15550900002';
  const FRIEND_JID = `${FRIEND}@s.whatsapp.net`;

  before(async () => {
    api = await ApiHarness.start();
  });

  after(async () => {
    await api?.stop();
    assert.deepEqual(api?.h.fatal, []);
  });

  it('WILDCAT: create, QR, link, inbound text and image, then the account, chats, messages and media read back', async () => {
    const created = await api.call('POST', '/accounts', { id: ACCOUNT, name: 'Wild E2E' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.ok, true);
    assert.equal(created.body.account._id, ACCOUNT);

    const qr = await api.eventually(`/channels/${ACCOUNT}/qr`, (a) => a.status === 200, 'a QR in the read model');
    assert.match(qr.body.qr, /^data:image\/png;base64,/);
    const png = await fetch(`${api.base}/channels/${ACCOUNT}/qr/image`, { headers: { 'x-api-key': TEST_ADMIN_KEY } });
    assert.equal(png.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await png.arrayBuffer()).subarray(0, 4), Buffer.from([0x89, 0x50, 0x4e, 0x47]));

    await api.h.sim('/sim/link', { accountId: ACCOUNT, phone: PHONE });
    const status = await api.eventually(`/accounts/${ACCOUNT}/status`, (a) => a.body.status === 'connected', 'connected status');
    assert.deepEqual(Object.keys(status.body).sort(), ['accountId', 'lastUpdate', 'ok', 'status']);
    const listed = await api.call('GET', '/accounts');
    const mine = (listed.body.accounts as Value[]).find((a) => a._id === ACCOUNT);
    assert.equal(mine?.status, 'connected');
    assert.equal(mine?.hasQR, false);
    const channel = await api.call('GET', `/channels/${ACCOUNT}`);
    assert.equal(channel.body.success, true);
    assert.equal(channel.body.data.phone, PHONE);

    const text = await api.h.sim('/sim/inbound', { accountId: ACCOUNT, from: FRIEND, text: 'hello from a friend' });
    const image = randomBytes(3000);
    const pic = await api.h.sim('/sim/inbound', { accountId: ACCOUNT, from: FRIEND, type: 'image', caption: 'a picture', media: image.toString('base64'), mimetype: 'image/png' });

    const chats = await api.eventually(`/accounts/${ACCOUNT}/chats`, (a) => (a.body.chats as Value[] | undefined)?.some((c) => c.chatId === FRIEND_JID && c.unreadCount === 2) ?? false, 'the chat with two unread');
    assert.equal(chats.body.ok, true);
    const messages = await api.eventually(
      `/accounts/${ACCOUNT}/chats/${FRIEND_JID}/messages`,
      (a) => (a.body.messages as Value[] | undefined)?.some((m) => m.messageId === pic.messageId && m.hasMedia === true && typeof m.mediaId === 'string') ?? false,
      'the image with its stored media',
    );
    const ids = (messages.body.messages as Value[]).map((m) => m.messageId);
    assert.deepEqual(ids, [pic.messageId, text.messageId], 'newest first');
    const one = await api.call('GET', `/accounts/${ACCOUNT}/messages/${text.messageId}`);
    assert.deepEqual({ ...one.body.message, timestamp: 0 }, { messageId: text.messageId, from: FRIEND_JID, chatId: FRIEND_JID, timestamp: 0, text: 'hello from a friend', type: 'text', fromMe: false });

    // The file is downloaded from WhatsApp after the message arrived: it becomes available shortly after.
    const media = await waitFor(async () => {
      const answer = await fetch(`${api.base}/accounts/${ACCOUNT}/messages/${pic.messageId}/media`, { headers: { 'x-api-key': TEST_ADMIN_KEY } });
      if (answer.status === 200) return answer;
      await answer.body?.cancel();
      return null;
    }, 'the image downloadable');
    assert.equal(media.headers.get('content-type'), 'image/png');
    assert.equal(media.headers.get('content-length'), String(image.length));
    assert.deepEqual(Buffer.from(await media.arrayBuffer()), image);
    // The stored copy keeps what the message said about the file.
    // The file lands in the store just before its message.media event reaches the read model.
    const stored = await waitFor(async () => {
      const whapiList = await api.call('GET', `/messages/list/${FRIEND_JID}?channelId=${ACCOUNT}`);
      const found = (whapiList.body.data as Value[]).find((m) => m.id === pic.messageId);
      return found?.media?.state === 'stored' ? found : null;
    }, 'the image recorded as stored');
    assert.equal(stored.media.mimetype, 'image/png');
    assert.equal(stored.media.mediaId, createHash('sha256').update(image).digest('hex'));
    const missing = await api.call('GET', `/accounts/${ACCOUNT}/messages/${text.messageId}/media`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.ok, false);
  });

  it('WILDCAT: reply and react to a received message; the read model shows the reply quoting it and the reaction', async () => {
    const inbound = await api.h.sim('/sim/inbound', { accountId: ACCOUNT, from: FRIEND, text: 'reply to me' });
    await api.eventually(`/accounts/${ACCOUNT}/messages/${inbound.messageId}`, (a) => a.status === 200, 'the inbound message');
    const reply = await api.call('POST', `/accounts/${ACCOUNT}/message/reply`, { to: FRIEND_JID, message: 'here is my reply', quotedMessageId: inbound.messageId });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const react = await api.call('POST', `/accounts/${ACCOUNT}/message/react`, { to: FRIEND_JID, messageId: inbound.messageId, emoji: '👍' });
    assert.deepEqual(react.body, { ok: true, message: 'Reaction sent' });
    const outbox = (await api.h.simGet(`/sim/outbox?accountId=${ACCOUNT}&to=${FRIEND}`)).messages as Value[];
    assert.ok(outbox.some((m) => m.messageId === reply.body.messageId));
    const whapi = await api.eventually(
      `/messages/list/${FRIEND_JID}?channelId=${ACCOUNT}`,
      (a) => (a.body.data as Value[] | undefined)?.some((m) => m.id === reply.body.messageId || m.messageId === reply.body.messageId) ?? false,
      'the reply in the WHAPI message list',
    );
    assert.equal(whapi.body.success, true);
  });

  it('WHAPI: media given as a URL is fetched by the connector and sent byte for byte', async () => {
    const picture = randomBytes(5000);
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': picture.length });
      res.end(picture);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/picture.jpg`;
      const sent = await api.call('POST', '/messages/image', { channelId: ACCOUNT, to: FRIEND, media: url, caption: 'from a URL' });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const outbox = (await api.h.simGet(`/sim/outbox?accountId=${ACCOUNT}&to=${FRIEND}`)).messages as Value[];
      const entry = outbox.find((m) => m.messageId === sent.body.messageId);
      assert.equal(entry?.type, 'image');
      assert.equal(entry?.media?.sha256, createHash('sha256').update(picture).digest('hex'));
      const missing = await api.call('POST', '/messages/image', { channelId: ACCOUNT, to: FRIEND, media: url.replace('picture.jpg', 'nothing.jpg').replace(/:\d+\//, ':9/') });
      assert.equal(missing.status, 400, JSON.stringify(missing.body));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('system: /health reports every part, /openapi.json describes every route, /commands/:id reports a finished command', async () => {
    const health = await api.call('GET', '/health', undefined, { key: null });
    assert.equal(health.status, 200, JSON.stringify(health.body));
    assert.equal(health.body.kafka.status, 'up');
    assert.equal(health.body.database.status, 'up');
    assert.ok(['ok', 'degraded'].includes(health.body.status));
    assert.ok('redis' in health.body && 'channels' in health.body && 'auth' in health.body, JSON.stringify(Object.keys(health.body)));

    const doc = await api.call('GET', '/openapi.json', undefined, { key: null });
    assert.equal(doc.body.openapi, '3.1.0');
    for (const path of ['/accounts/{accountId}/message/send', '/channels/{id}/qr/image', '/messages/text', '/groups/{id}/participants/promote', '/commands/{commandId}', '/events'])
      assert.ok(doc.body.paths[path], `${path} documented`);

    const sent = await api.call('POST', '/messages/text', { channelId: ACCOUNT, to: FRIEND, body: 'tracked' }, { headers: { 'idempotency-key': 'e2e-tracked-1' } });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const again = await api.call('POST', '/messages/text', { channelId: ACCOUNT, to: FRIEND, body: 'tracked' }, { headers: { 'idempotency-key': 'e2e-tracked-1' } });
    assert.equal(again.body.messageId, sent.body.messageId, 'the same Idempotency-Key gives the first outcome');
    const outbox = (await api.h.simGet(`/sim/outbox?accountId=${ACCOUNT}&to=${FRIEND}`)).messages as Value[];
    assert.equal(outbox.filter((m) => m.text === 'tracked').length, 1);
  });
});
