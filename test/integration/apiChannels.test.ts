import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { qrPng } from '../../services/shared/index.js';
import { ApiHarness, TEST_ADMIN_KEY, assertFields, waitFor, type ApiAnswer, type Value } from '../helpers/index.js';

/** A channel as `GET /channels` shows it (the document's example has id, name, status and phone). */
const CHANNEL_FIELDS = { id: 'string', name: 'string|null', department: 'string|null', autoConnect: 'boolean', status: 'string', phone: 'string|null', createdAt: 'date', updatedAt: 'date' };
const WHAPI_STATUSES = ['connected', 'disconnected', 'connecting', 'qr'];
const CHAT_FIELDS = {
  id: 'jid',
  type: 'string',
  name: 'string|null',
  unreadCount: 'integer',
  lastMessageId: 'string|null',
  lastMessageAt: 'integer|null',
  archived: 'boolean',
  pinned: 'boolean',
  mutedUntil: 'integer|null',
  labels: 'array',
  ephemeralSeconds: 'integer|null',
};
const MESSAGE_FIELDS = {
  id: 'string',
  chatId: 'jid',
  from: 'jid',
  fromMe: 'boolean',
  type: 'string',
  timestamp: 'integer',
  status: 'string|null',
  text: 'string|null',
  caption: 'string|null',
  media: 'object|null',
  quotedMessageId: 'string|null',
  mentions: 'array',
  reactions: 'array',
  edited: 'boolean',
  deleted: 'boolean',
  starred: 'boolean',
  pinned: 'boolean',
};
const MEDIA_FIELDS = { mediaId: 'string|null', mimetype: 'string|null', fileName: 'string|null', size: 'integer|null', state: 'string' };
const WEBHOOK_FIELDS = {
  id: 'string',
  scope: 'string',
  accountId: 'string|null',
  url: 'string',
  events: 'array',
  enabled: 'boolean',
  disabledReason: 'string|null',
  createdAt: 'date',
  updatedAt: 'date',
};

/**
 * Every `/channels...` endpoint of the WHAPI-compatible document over real HTTP against the
 * api role's whole app: commands through the real broker to a connector with the simulator as
 * WhatsApp, reads from the projector's PGlite. Shapes, documented errors, auth and paging.
 */
describe('WHAPI /channels API over HTTP (real app, real broker, simulator as WhatsApp, projector into PGlite)', () => {
  let api: ApiHarness;
  let picture: Buffer;
  let channel: string;
  let channelKey: string;
  let otherKey: string;
  const PHONE = '15558880001';
  const FRIEND = '15558880009';
  const FRIEND_JID = `${FRIEND}@s.whatsapp.net`;
  const MANY_CHATS = 'ch-many';
  const LONG_CHAT = 'ch-long';
  const HISTORY_JID = '15550000000@s.whatsapp.net';

  before(async () => {
    picture = await qrPng('a picture');
    api = await ApiHarness.start();
  });

  after(async () => {
    await api?.stop();
    assert.deepEqual(api?.h.fatal, []);
  });

  /** Asserts a WHAPI error: the status and `{ success: false, error: { code, message, field? } }`. */
  function assertError(answer: ApiAnswer, status: number, message: string | RegExp, what: string, field?: string): void {
    assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
    assertFields(answer.body, { success: 'boolean', error: 'object' }, what);
    assert.equal(answer.body.success, false, what);
    assertFields(answer.body.error, { code: 'string', message: 'string', 'field?': 'string', 'commandId?': 'string' }, `${what} (error)`);
    if (typeof message === 'string') assert.equal(answer.body.error.message, message, what);
    else assert.match(answer.body.error.message, message, what);
    if (field !== undefined) assert.equal(answer.body.error.field, field, `${what}: the field`);
  }

  /** Asserts `{ success: true, data }` and returns data. */
  function dataOf(answer: ApiAnswer, what: string): Value {
    assert.equal(answer.status, 200, `${what}: ${JSON.stringify(answer.body)}`);
    assertFields(answer.body, { success: 'boolean', data: 'object|array' }, what);
    assert.equal(answer.body.success, true);
    return answer.body.data;
  }

  it('every /channels route refuses a missing or unknown key with 401; a Bearer token is a key', async () => {
    for (const [method, path] of [...adminRoutes(), ...channelRoutes('ch_0123456789abcdef')]) {
      assertError(await api.call(method, path, undefined, { key: null }), 401, 'an API key is required: send it as X-API-Key or Authorization: Bearer', `${method} ${path} without a key`);
      assertError(await api.call(method, path, undefined, { key: 'not-a-key-of-this-api' }), 401, 'the API key is not valid', `${method} ${path} with a wrong key`);
    }
    const bearer = await api.call('GET', '/channels', undefined, { key: null, headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
    assert.equal(bearer.status, 200, 'the admin key as a Bearer token');
    assert.ok(Array.isArray(dataOf(bearer, 'list')));
  });

  it('POST /channels creates (201, once per Idempotency-Key); GET /channels and /channels/:id show it; PUT updates it; 400s and 404s', async () => {
    const created = await api.call('POST', '/channels', { name: 'Sales', department: 'Sales', autoConnect: false });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertFields(created.body, { success: 'boolean', data: 'object' }, 'create');
    assertFields(created.body.data, CHANNEL_FIELDS, 'created channel');
    channel = created.body.data.id;
    assert.match(channel, /^ch_[0-9a-f]{16}$/);
    assert.deepEqual(
      [created.body.data.name, created.body.data.department, created.body.data.autoConnect, created.body.data.status, created.body.data.phone],
      ['Sales', 'Sales', false, 'disconnected', null],
    );

    const retry = { headers: { 'idempotency-key': 'create-support-1' } };
    const first = await api.call('POST', '/channels', { name: 'Support' }, retry);
    const again = await api.call('POST', '/channels', { name: 'Support' }, retry);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.deepEqual([again.status, again.body], [201, first.body], 'a retried create answers the first outcome');
    assert.equal(first.body.data.autoConnect, true, 'autoConnect defaults to true');

    assertError(await api.call('POST', '/channels', {}), 400, 'name is required', 'create without name', 'name');
    assertError(await api.call('POST', '/channels', { name: '  ' }), 400, 'name is required', 'create with a blank name', 'name');
    const badFlag = await api.call('POST', '/channels', { name: 'x', autoConnect: 'sometimes' });
    assertError(badFlag, 400, /autoConnect/, 'a non-boolean autoConnect', 'autoConnect');

    const listed = await api.eventually('/channels', (a) => (a.body.data as Value[] | undefined)?.some((c) => c.id === first.body.data.id) ?? false, 'both channels listed');
    const list = dataOf(listed, 'list') as Value[];
    for (const item of list) {
      assertFields(item, CHANNEL_FIELDS, `listed ${item.id}`);
      assert.ok(WHAPI_STATUSES.includes(item.status), item.status);
    }
    const got = dataOf(await api.call('GET', `/channels/${channel}`), 'get');
    assertFields(got, CHANNEL_FIELDS, 'channel details');
    assert.deepEqual(got, list.find((c) => c.id === channel));
    assert.deepEqual({ ...got, updatedAt: null }, { ...created.body.data, updatedAt: null });

    const updated = dataOf(await api.call('PUT', `/channels/${channel}`, { name: 'Sales EU', autoConnect: true }), 'update');
    assertFields(updated, CHANNEL_FIELDS, 'updated channel');
    assert.deepEqual([updated.id, updated.name, updated.department, updated.autoConnect], [channel, 'Sales EU', 'Sales', true], 'absent fields stay');
    await api.eventually(`/channels/${channel}`, (a) => a.body.data?.name === 'Sales EU' && a.body.data?.autoConnect === true, 'the update projected');
    assertError(await api.call('PUT', `/channels/${channel}`, { name: '' }), 400, 'name must not be empty', 'update to an empty name', 'name');
    assertError(await api.call('PUT', '/channels/ch_nope', { name: 'x' }), 404, 'Channel not found', 'update an unknown channel');

    const status = await api.call('GET', `/channels/${channel}/status`);
    assert.deepEqual([status.status, status.body], [200, { status: 'disconnected' }], 'the bare { status } of the document');
    assertError(await api.call('GET', `/channels/${channel}/qr`), 404, 'No QR code available: connect the channel first (POST /channels/:id/connect)', 'a QR before connect');
    assertError(await api.call('GET', `/channels/${channel}/qr/image`), 404, /^No QR code available/, 'a QR image before connect');

    const unknown = 'ch_nope';
    assertError(await api.call('GET', `/channels/${unknown}`), 404, 'Channel not found', 'an unknown channel', 'id');
    assertError(await api.call('GET', `/channels/${unknown}/status`), 404, 'Channel not found', 'status of an unknown channel');
    assertError(await api.call('GET', `/channels/${unknown}/qr`), 404, 'Channel not found', 'QR of an unknown channel');
    assertError(await api.call('GET', `/channels/${unknown}/qr/image`), 404, 'Channel not found', 'QR image of an unknown channel');
    assertError(await api.call('POST', `/channels/${unknown}/connect`), 404, 'Channel not found', 'connect an unknown channel');
    assertError(await api.call('POST', `/channels/${unknown}/connect-phone`, { phoneNumber: '+15558880002' }), 404, 'Channel not found', 'pair an unknown channel');
    assertError(await api.call('POST', `/channels/${unknown}/disconnect`), 404, 'Channel not found', 'disconnect an unknown channel');
    assertError(await api.call('POST', `/channels/${unknown}/logout`), 404, 'Channel not found', 'log out an unknown channel');
    assertError(await api.call('DELETE', `/channels/${unknown}`), 404, 'Channel not found', 'delete an unknown channel');
    assertError(await api.call('GET', `/channels/${unknown}/chats`), 404, 'Channel not found', 'chats of an unknown channel');
    assertError(await api.call('GET', `/channels/${unknown}/chats/${FRIEND_JID}/messages`), 404, 'Channel not found', 'messages of an unknown channel');
    assertError(await api.call('POST', `/channels/${unknown}/messages/send-immediate`, { phone: FRIEND, message: 'x' }), 404, 'Channel not found', 'send from an unknown channel');
    assertError(await api.call('GET', '/channels/not%20an%20id'), 400, /1 to 64 letters/, 'a malformed channel id');
  });

  it('per-account keys: a key acts for its own channel only (403 elsewhere and on the admin routes)', async () => {
    channelKey = (await api.services.keys.create(channel, 'channels test')).key;
    otherKey = (await api.services.keys.create('ch_someone_else', 'channels test')).key;
    assert.equal(dataOf(await api.call('GET', `/channels/${channel}`, undefined, { key: channelKey }), 'own channel').id, channel);
    for (const [method, path] of channelRoutes(channel)) {
      assertError(await api.call(method, path, undefined, { key: otherKey }), 403, `this key may not act for account ${channel}`, `${method} ${path} with another channel's key`);
    }
    for (const [method, path] of adminRoutes()) {
      assertError(await api.call(method, path, undefined, { key: channelKey }), 403, 'this route needs the admin key', `${method} ${path} with a channel key`);
    }
  });

  it('connect by QR: the answer, /status, /qr and /qr/image follow the session until it is linked', async () => {
    const connect = await api.call('POST', `/channels/${channel}/connect`, undefined, { key: channelKey });
    assert.equal(connect.status, 200, JSON.stringify(connect.body));
    assertFields(connect.body, { success: 'boolean', status: 'string', qr: 'string' }, 'connect');
    assert.deepEqual([connect.body.success, connect.body.status], [true, 'qr']);
    assert.match(connect.body.qr, /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);

    await api.eventually(`/channels/${channel}/status`, (a) => a.body.status === 'qr', 'status qr');
    const qr = await api.call('GET', `/channels/${channel}/qr`, undefined, { key: channelKey });
    assert.equal(qr.status, 200, JSON.stringify(qr.body));
    assertFields(qr.body, { success: 'boolean', qr: 'string' }, 'qr');
    assert.match(qr.body.qr, /^data:image\/png;base64,/);
    assert.equal(qr.headers.get('cache-control'), 'no-store');
    const image = await fetch(`${api.base}/channels/${channel}/qr/image`, { headers: { 'x-api-key': channelKey } });
    assert.deepEqual([image.status, image.headers.get('content-type'), image.headers.get('cache-control')], [200, 'image/png', 'no-store']);
    const bytes = Buffer.from(await image.arrayBuffer());
    assert.equal(image.headers.get('content-length'), String(bytes.length));
    assert.deepEqual(bytes.subarray(0, 4), Buffer.from([0x89, 0x50, 0x4e, 0x47]));

    await api.h.sim('/sim/link', { accountId: channel, phone: PHONE });
    await api.eventually(`/channels/${channel}/status`, (a) => a.body.status === 'connected', 'status connected');
    const got = dataOf(await api.call('GET', `/channels/${channel}`), 'linked channel');
    assert.deepEqual([got.status, got.phone], ['connected', PHONE]);
    assertError(await api.call('GET', `/channels/${channel}/qr`), 404, /^No QR code available/, 'a QR once linked');
    const again = await api.call('POST', `/channels/${channel}/connect`);
    assert.deepEqual([again.status, again.body], [200, { success: true, status: 'connected', phone: PHONE }]);
  });

  it('sends: text, image (base64 and data URL), video, document, location, contact answer { success, messageId }; their 400s', async () => {
    const send = (path: string, body: Value) => api.call('POST', `/channels/${channel}/messages/${path}`, body, { key: channelKey });
    const video = Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42'), Buffer.alloc(1_000, 5)]);
    const pdf = Buffer.from('%PDF-1.4\n% a report\n');
    const answers = {
      text: await send('send-immediate', { phone: FRIEND, message: 'Hi!' }),
      base64Image: await send('image', { to: FRIEND, media: `data:image/png;base64,${picture.toString('base64')}`, caption: 'inline' }),
      jidImage: await send('image', { to: FRIEND_JID, media: picture.toString('base64') }),
      video: await send('video', { to: FRIEND, media: video.toString('base64'), caption: 'a clip' }),
      document: await send('document', { to: FRIEND, media: pdf.toString('base64'), filename: 'report.pdf', mimetype: 'application/pdf' }),
      location: await send('location', { to: FRIEND, latitude: 55.7558, longitude: 37.6173, name: 'Moscow', address: 'Red Square' }),
      contact: await send('contact', { to: FRIEND, contact: { fullName: 'John Doe', phone: '+79991234567' } }),
    };
    for (const [what, answer] of Object.entries(answers)) {
      assert.equal(answer.status, 200, `${what}: ${JSON.stringify(answer.body)}`);
      assertFields(answer.body, { success: 'boolean', messageId: 'string' }, `send ${what}`);
      assert.equal(answer.body.success, true);
    }
    const sent = await waitFor(async () => {
      const found = await api.outbox(channel, FRIEND);
      return found.length >= 7 ? new Map(found.map((m) => [m.messageId as string, m])) : null;
    }, 'seven messages in the outbox');
    const entry = (what: keyof typeof answers): Value => sent.get(answers[what].body.messageId)!;
    assert.deepEqual([entry('text').type, entry('text').text], ['text', 'Hi!']);
    assert.deepEqual([entry('base64Image').type, entry('base64Image').caption, entry('base64Image').media.size], ['image', 'inline', picture.length]);
    assert.deepEqual([entry('jidImage').type, entry('jidImage').caption, entry('jidImage').media.size], ['image', undefined, picture.length]);
    assert.deepEqual([entry('video').type, entry('video').caption, entry('video').media.size], ['video', 'a clip', video.length]);
    assert.deepEqual([entry('document').type, entry('document').fileName, entry('document').mimetype, entry('document').media.size], ['document', 'report.pdf', 'application/pdf', pdf.length]);
    assert.deepEqual(entry('location').location, { latitude: 55.7558, longitude: 37.6173, name: 'Moscow', address: 'Red Square' });
    assert.equal(entry('contact').contact.displayName, 'John Doe');
    assert.match(entry('contact').contact.vcard, /TEL[^:\n]*:\+?79991234567/);

    assertError(await send('send-immediate', { message: 'Hi!' }), 400, 'phone is required', 'send-immediate without phone', 'phone');
    assertError(await send('send-immediate', { phone: FRIEND }), 400, 'message is required', 'send-immediate without message', 'message');
    assertError(await send('send-immediate', { phone: 'nobody', message: 'x' }), 400, /^phone must be/, 'send-immediate to a non-number', 'phone');
    assertError(await send('image', { to: FRIEND }), 400, 'media is required', 'image without media', 'media');
    assertError(await send('image', { media: picture.toString('base64') }), 400, 'to is required', 'image without to', 'to');
    assertError(await send('image', { to: FRIEND, media: '%%% not media %%%' }), 400, /^media is neither an http\(s\) URL nor valid base64/, 'image with garbage media', 'media');
    assertError(await send('video', { to: FRIEND }), 400, 'media is required', 'video without media', 'media');
    assertError(await send('document', { to: FRIEND, media: pdf.toString('base64'), mimetype: 'pdf' }), 400, 'mimetype must look like application/pdf', 'document with a bad mimetype', 'mimetype');
    assertError(await send('location', { to: FRIEND, latitude: 91, longitude: 0 }), 400, 'latitude is between -90 and 90', 'location off the globe', 'latitude');
    assertError(await send('location', { to: FRIEND, latitude: 0, longitude: -181 }), 400, 'longitude is between -180 and 180', 'location off the globe', 'longitude');
    const noLatitude = await send('location', { to: FRIEND, longitude: 0 });
    assertError(noLatitude, 400, /latitude/, 'location without latitude', 'latitude');
    assertError(await send('contact', { to: FRIEND }), 400, 'contact is required', 'contact without contact', 'contact');
    assertError(await send('contact', { to: FRIEND, contact: { phone: '+79991234567' } }), 400, 'contact.fullName is required', 'contact without fullName', 'contact.fullName');
    assertError(await send('contact', { to: FRIEND, contact: { fullName: 'John' } }), 400, 'contact.phone is required', 'contact without phone', 'contact.phone');
  });

  it('GET /channels/:id/chats and .../chats/:chatId/messages read back with every WHAPI field', async () => {
    const inbound = await api.h.sim('/sim/inbound', { accountId: channel, from: FRIEND, text: 'Hello back' });
    const messages = await api.eventually(
      `/channels/${channel}/chats/${FRIEND_JID}/messages`,
      (a) => (a.body.data as Value[] | undefined)?.some((m) => m.id === inbound.messageId) ?? false,
      'the inbound message',
    );
    const list = dataOf(messages, 'messages') as Value[];
    assert.ok(list.length >= 8, `${list.length} messages`);
    for (const message of list) {
      assertFields(message, MESSAGE_FIELDS, `message ${message.id}`);
      if (message.media !== null) assertFields(message.media, MEDIA_FIELDS, `media of ${message.id}`);
    }
    const timestamps = list.map((m) => m.timestamp as number);
    assert.deepEqual(timestamps, [...timestamps].sort((a, b) => b - a), 'newest first');
    const received = list.find((m) => m.id === inbound.messageId)!;
    assert.deepEqual(
      { ...received, timestamp: 0 },
      {
        id: inbound.messageId,
        chatId: FRIEND_JID,
        from: FRIEND_JID,
        fromMe: false,
        type: 'text',
        timestamp: 0,
        status: null,
        text: 'Hello back',
        caption: null,
        media: null,
        quotedMessageId: null,
        mentions: [],
        reactions: [],
        edited: false,
        deleted: false,
        starred: false,
        pinned: false,
      },
    );
    const hi = list.find((m) => m.text === 'Hi!')!;
    assert.deepEqual([hi.fromMe, hi.from, hi.type], [true, `${PHONE}@s.whatsapp.net`, 'text']);
    assert.ok(['pending', 'sent', 'delivered', 'read'].includes(hi.status), hi.status);
    const types = new Set(list.filter((m) => m.fromMe).map((m) => m.type));
    for (const type of ['text', 'image', 'video', 'document', 'location', 'contact']) assert.ok(types.has(type), `an own ${type} message`);
    const image = list.find((m) => m.caption === 'inline')!;
    assert.deepEqual([image.type, image.media.size], ['image', picture.length]);
    assert.ok(['pending', 'stored'].includes(image.media.state), image.media.state);

    const chats = dataOf(await api.call('GET', `/channels/${channel}/chats`), 'chats') as Value[];
    for (const chat of chats) assertFields(chat, CHAT_FIELDS, `chat ${chat.id}`);
    const friend = chats.find((c) => c.id === FRIEND_JID)!;
    assert.deepEqual(
      { ...friend, lastMessageId: null, name: null },
      { id: FRIEND_JID, type: 'user', name: null, unreadCount: 1, lastMessageId: null, lastMessageAt: list[0]!.timestamp, archived: false, pinned: false, mutedUntil: null, labels: [], ephemeralSeconds: null },
    );
    // The chat's last message is the first of its message list, also within one second.
    assert.equal(friend.lastMessageId, list[0]!.id);
    assertError(await api.call('GET', `/channels/${channel}/chats/not-a-chat/messages`), 400, /^chatId must be/, 'an invalid chatId', 'chatId');
  });

  it('chats page with limit and offset: default 50, at most 100, most recent first without gaps or repeats', async () => {
    await api.h.linkedAccount(MANY_CHATS, '15558880003', { historyMessages: 105, historyChats: 105 });
    const path = `/channels/${MANY_CHATS}/chats`;
    await api.eventually(`${path}?offset=100`, (a) => (a.body.data as Value[] | undefined)?.length === 5, 'all 105 history chats projected');
    const page = async (query: string): Promise<Value[]> => dataOf(await api.call('GET', `${path}${query}`), `chats${query}`) as Value[];
    const first = await page('?limit=100');
    const rest = await page('?limit=100&offset=100');
    assert.deepEqual([first.length, rest.length], [100, 5]);
    const all = [...first, ...rest];
    for (const chat of all) assertFields(chat, CHAT_FIELDS, `history chat ${chat.id}`);
    assert.equal(new Set(all.map((c) => c.id)).size, 105, 'no chat twice');
    const times = all.map((c) => c.lastMessageAt as number);
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'most recent first');
    assert.deepEqual(await page(''), first.slice(0, 50), 'default limit 50');
    assert.deepEqual(await page('?limit=10&offset=20'), all.slice(20, 30));
    assert.deepEqual(await page('?offset=105'), []);
    assertError(await api.call('GET', `${path}?limit=101`), 400, 'limit must be at most 100', 'chats?limit=101', 'limit');
    assertError(await api.call('GET', `${path}?limit=0`), 400, 'limit must be at least 1', 'chats?limit=0', 'limit');
    assertError(await api.call('GET', `${path}?offset=-1`), 400, 'offset must be at least 0', 'chats?offset=-1', 'offset');
    assertError(await api.call('GET', `${path}?offset=many`), 400, 'offset must be a number', 'chats?offset=many', 'offset');
  });

  it('chat messages page with limit and offset: default 50, at most 100, newest first', async () => {
    await api.h.linkedAccount(LONG_CHAT, '15558880004', { historyMessages: 120, historyChats: 1 });
    const path = `/channels/${LONG_CHAT}/chats/${HISTORY_JID}/messages`;
    await api.eventually(`${path}?offset=100`, (a) => (a.body.data as Value[] | undefined)?.length === 20, 'all 120 history messages projected');
    const page = async (query: string): Promise<Value[]> => dataOf(await api.call('GET', `${path}${query}`), `messages${query}`) as Value[];
    const first = await page('?limit=100');
    const rest = await page('?offset=100&limit=100');
    assert.deepEqual([first.length, rest.length], [100, 20]);
    const all = [...first, ...rest];
    for (const message of all) assertFields(message, MESSAGE_FIELDS, `history ${message.id}`);
    assert.equal(new Set(all.map((m) => m.id)).size, 120, 'no message twice');
    const times = all.map((m) => m.timestamp as number);
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    assert.equal(all[0]!.text, 'History message 120 of 120');
    assert.deepEqual(await page(''), first.slice(0, 50), 'default limit 50');
    assert.deepEqual(await page('?limit=7&offset=50'), all.slice(50, 57));
    assertError(await api.call('GET', `${path}?limit=101`), 400, 'limit must be at most 100', 'messages?limit=101', 'limit');
    assertError(await api.call('GET', `${path}?limit=1.5`), 400, 'limit must be a whole number', 'messages?limit=1.5', 'limit');
  });

  it('GET/PUT/DELETE /channels/:id/webhook: 404 until configured, the subscription with its generated secret once, then without', async () => {
    assertError(await api.call('GET', `/channels/${channel}/webhook`, undefined, { key: channelKey }), 404, 'Webhook not configured', 'no webhook yet');
    const put = await api.call('PUT', `/channels/${channel}/webhook`, { url: 'https://example.com/webhook', events: ['message.received', 'message.sent'] }, { key: channelKey });
    const created = dataOf(put, 'put webhook');
    assertFields(created, { ...WEBHOOK_FIELDS, secret: 'string' }, 'created webhook');
    assert.deepEqual(
      [created.scope, created.accountId, created.url, created.events, created.enabled, created.disabledReason],
      ['ACCOUNT', channel, 'https://example.com/webhook', ['message.received', 'message.sent'], true, null],
    );
    const got = dataOf(await api.call('GET', `/channels/${channel}/webhook`, undefined, { key: channelKey }), 'get webhook');
    assertFields(got, WEBHOOK_FIELDS, 'webhook');
    const { secret: _secret, ...shown } = created;
    assert.deepEqual(got, shown, 'the same subscription, without its secret');

    // Replacing keeps the id and the secret; events may come comma-separated; enabled: false pauses it.
    const replaced = dataOf(await api.call('PUT', `/channels/${channel}/webhook`, { url: 'https://example.com/hook2', events: 'message.received, connection.state', enabled: false }), 'replace webhook');
    assertFields(replaced, WEBHOOK_FIELDS, 'replaced webhook');
    assert.deepEqual([replaced.id, replaced.url, replaced.events, replaced.enabled], [created.id, 'https://example.com/hook2', ['message.received', 'connection.state'], false]);
    const withSecret = dataOf(await api.call('PUT', `/channels/${channel}/webhook`, { url: 'https://example.com/hook2', events: ['message.received'], secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }), 'webhook with a secret');
    assert.equal('secret' in withSecret, false, 'a secret the client chose is not echoed');

    const put400 = (body: Value) => api.call('PUT', `/channels/${channel}/webhook`, body);
    assertError(await put400({ events: ['message.received'] }), 400, 'url is required', 'webhook without url', 'url');
    assertError(await put400({ url: 'mailto:x@example.com', events: ['message.received'] }), 400, 'url must be a valid HTTP/HTTPS URL', 'webhook with a mailto URL', 'url');
    assertError(await put400({ url: 'https://example.com/webhook' }), 400, 'events must be a list of event types', 'webhook without events', 'events');
    assertError(await put400({ url: 'https://example.com/webhook', events: ['Message Received'] }), 400, 'events must be event types like message.received or message.*', 'webhook with a bad event');
    assertError(await put400({ url: 'https://example.com/webhook', events: ['message.*'], secret: 'my-secret' }), 400, 'secret must be whsec_ followed by the base64 of 16 to 64 random bytes (or leave it out: one is generated)', 'webhook with a secret not in whsec_ form', 'secret');
    assertError(await api.call('GET', '/channels/ch_nope/webhook'), 404, 'Webhook not configured', 'webhook of an unknown channel');

    const removed = await api.call('DELETE', `/channels/${channel}/webhook`, undefined, { key: channelKey });
    assert.deepEqual([removed.status, removed.body], [200, { success: true, data: { id: created.id, deleted: true } }]);
    assertError(await api.call('GET', `/channels/${channel}/webhook`), 404, 'Webhook not configured', 'a removed webhook');
    assertError(await api.call('DELETE', `/channels/${channel}/webhook`), 404, 'Webhook not configured', 'remove twice');
  });

  it('disconnect keeps the link (sends refused with 409, connect links again); logout needs a new QR; connect-phone pairs; delete removes', async () => {
    const disconnected = await api.call('POST', `/channels/${channel}/disconnect`, undefined, { key: channelKey });
    assert.deepEqual([disconnected.status, disconnected.body], [200, { success: true, data: { id: channel, status: 'disconnected' } }]);
    await api.eventually(`/channels/${channel}/status`, (a) => a.body.status === 'disconnected', 'status disconnected');
    const refused = await api.call('POST', `/channels/${channel}/messages/send-immediate`, { phone: FRIEND, message: 'anyone?' });
    assertError(refused, 409, /./, 'send while disconnected');
    assert.equal(refused.body.error.code, 'CONFLICT');
    assert.equal(typeof refused.body.error.commandId, 'string');

    const reconnect = await api.call('POST', `/channels/${channel}/connect`);
    assert.equal(reconnect.status, 200, JSON.stringify(reconnect.body));
    assert.ok(['connecting', 'connected'].includes(reconnect.body.status), JSON.stringify(reconnect.body));
    await api.eventually(`/channels/${channel}/status`, (a) => a.body.status === 'connected', 'connected again with the kept session');

    const loggedOut = await api.call('POST', `/channels/${channel}/logout`, undefined, { key: channelKey });
    assert.deepEqual([loggedOut.status, loggedOut.body], [200, { success: true, data: { id: channel, status: 'disconnected' } }]);
    await api.eventually(`/channels/${channel}/status`, (a) => a.body.status === 'disconnected', 'status disconnected after logout');
    const fresh = await api.call('POST', `/channels/${channel}/connect`);
    assert.deepEqual([fresh.status, fresh.body.status], [200, 'qr'], 'a logged-out channel links by a new QR');

    const pairing = await api.call('POST', `/channels/${channel}/connect-phone`, { phoneNumber: '+1 555 888 0001' });
    assert.equal(pairing.status, 200, JSON.stringify(pairing.body));
    assertFields(pairing.body, { success: 'boolean', pairingCode: 'string', status: 'string' }, 'connect-phone');
    assert.match(pairing.body.pairingCode, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    assertError(await api.call('POST', `/channels/${channel}/connect-phone`, {}), 400, 'phoneNumber is required', 'pair without phone', 'phoneNumber');
    assertError(await api.call('POST', `/channels/${channel}/connect-phone`, { phoneNumber: 'call me' }), 400, /^phoneNumber must be a phone number/, 'pair a non-number', 'phoneNumber');

    const deleted = await api.call('DELETE', `/channels/${channel}`, undefined, { key: channelKey });
    assert.deepEqual([deleted.status, deleted.body], [200, { success: true, data: { id: channel, deleted: true } }]);
    await api.eventually(`/channels/${channel}`, (a) => a.status === 404, 'the channel gone from the read model');
    assertError(await api.call('GET', `/channels/${channel}/status`), 404, 'Channel not found', 'status of a deleted channel');
    assertError(await api.call('DELETE', `/channels/${channel}`), 404, 'Channel not found', 'delete twice');
    const listed = dataOf(await api.call('GET', '/channels'), 'list') as Value[];
    assert.equal(listed.some((c) => c.id === channel), false);
  });
});

/** The /channels routes only the admin key may call. */
function adminRoutes(): Array<[string, string]> {
  return [
    ['GET', '/channels'],
    ['POST', '/channels'],
  ];
}

/** The /channels routes of one channel. */
function channelRoutes(id: string): Array<[string, string]> {
  const base = `/channels/${id}`;
  return [
    ['GET', base],
    ['PUT', base],
    ['DELETE', base],
    ['POST', `${base}/connect`],
    ['POST', `${base}/connect-phone`],
    ['POST', `${base}/disconnect`],
    ['POST', `${base}/logout`],
    ['GET', `${base}/status`],
    ['GET', `${base}/qr`],
    ['GET', `${base}/qr/image`],
    ['GET', `${base}/chats`],
    ['GET', `${base}/chats/15558880009@s.whatsapp.net/messages`],
    ['POST', `${base}/messages/send-immediate`],
    ['POST', `${base}/messages/image`],
    ['POST', `${base}/messages/video`],
    ['POST', `${base}/messages/document`],
    ['POST', `${base}/messages/location`],
    ['POST', `${base}/messages/contact`],
    ['GET', `${base}/webhook`],
    ['PUT', `${base}/webhook`],
    ['DELETE', `${base}/webhook`],
  ];
}
