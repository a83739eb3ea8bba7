import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { qrPng } from '../../services/shared/index.js';
import { ApiHarness, TEST_ADMIN_KEY, assertFields, waitFor, type ApiAnswer, type Value } from '../helpers/index.js';

/** The fields of a WILDCAT account (the create example shows five; list and details add currentStatus and hasQR). */
const ACCOUNT_FIELDS = { _id: 'string', name: 'string|null', collectionName: 'string', status: 'string', currentStatus: 'string', hasQR: 'boolean', createdAt: 'date' };
const STATUSES = ['connecting', 'connected', 'reconnecting', 'logged_out', 'not_started'];
const CHAT_FIELDS = { chatId: 'jid', name: 'string|null', unreadCount: 'integer', lastMessageTime: 'integer|null' };
const MESSAGE_FIELDS = {
  messageId: 'string',
  from: 'jid',
  chatId: 'jid',
  timestamp: 'integer',
  type: 'string',
  fromMe: 'boolean',
  'text?': 'string',
  'hasMedia?': 'boolean',
  'mediaId?': 'string',
  'caption?': 'string',
};
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
 * Every WILDCAT endpoint over real HTTP against the api role's whole app: commands through the
 * real broker to a connector with the simulator as WhatsApp, reads from the projector's PGlite.
 * The end-to-end test covers the inbound read-back (chat unread counts, media download, reply,
 * react); this one covers each endpoint's shape, documented errors, auth and paging.
 */
describe('WILDCAT API over HTTP (real app, real broker, simulator as WhatsApp, projector into PGlite)', () => {
  let api: ApiHarness;
  const ACCOUNT = 'wild-a';
  const OTHER = 'wild-b';
  const PHONE = '15557770001';
  const FRIEND = '15557770009';
  const FRIEND_JID = `${FRIEND}@s.whatsapp.net`;
  /** 105 history chats of one message each. */
  const MANY_CHATS = 'wild-chats';
  /** One history chat of 120 messages. */
  const LONG_CHAT = 'wild-long';
  const LONG_PHONE = '15557770004';
  /** The simulator's first history chat (`historyChatPhone(0)`). */
  const HISTORY_JID = '15550000000@s.whatsapp.net';
  let accountKey: string;
  let otherKey: string;

  before(async () => {
    api = await ApiHarness.start();
  });

  after(async () => {
    await api?.stop();
    assert.deepEqual(api?.h.fatal, []);
  });

  /** Asserts a WILDCAT error: the status, `{ ok: false, error }` with the document's words, and the error code beside. */
  function assertError(answer: ApiAnswer, status: number, error: string | RegExp, what: string): void {
    assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
    assertFields(answer.body, { ok: 'boolean', error: 'string', code: 'string', 'field?': 'string', 'commandId?': 'string' }, what);
    assert.equal(answer.body.ok, false, what);
    if (typeof error === 'string') assert.equal(answer.body.error, error, what);
    else assert.match(answer.body.error, error, what);
  }

  /** Waits for `count` outbox entries to `to` and returns them by message id. */
  async function sentTo(accountId: string, to: string, count: number): Promise<Map<string, Value>> {
    const entries = await waitFor(async () => {
      const found = await api.outbox(accountId, to);
      return found.length >= count ? found : null;
    }, `${count} messages to ${to} in the outbox`);
    return new Map(entries.map((entry) => [entry.messageId as string, entry]));
  }

  function form(fields: Record<string, string>, file?: { field: string; bytes: Buffer; type: string; name: string }): FormData {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.append(name, value);
    if (file) data.append(file.field, new Blob([file.bytes], { type: file.type }), file.name);
    return data;
  }

  it('GET /ping answers without a key; every other route refuses a missing or unknown key with 401', async () => {
    const ping = await api.call('GET', '/ping', undefined, { key: null });
    assert.equal(ping.status, 200);
    assertFields(ping.body, { ok: 'boolean', pong: 'boolean', time: 'date' }, 'ping');
    assert.deepEqual([ping.body.ok, ping.body.pong], [true, true]);

    const routes = [...adminRoutes(), ...accountRoutes(ACCOUNT)];
    for (const [method, path] of routes) {
      assertError(await api.call(method, path, undefined, { key: null }), 401, 'an API key is required: send it as X-API-Key or Authorization: Bearer', `${method} ${path} without a key`);
      assertError(await api.call(method, path, undefined, { key: 'not-a-key-of-this-api' }), 401, 'the API key is not valid', `${method} ${path} with a wrong key`);
    }
    const bearer = await api.call('GET', '/accounts', undefined, { key: null, headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
    assert.equal(bearer.status, 200, 'the admin key as a Bearer token');
  });

  it('POST /accounts: 201 with the account, its documented 400s; GET /accounts and /accounts/:id show it as the projector sees it', async () => {
    const created = await api.call('POST', '/accounts', { id: ACCOUNT, name: 'My WhatsApp Bot', collectionName: 'auth_custom' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertFields(created.body, { ok: 'boolean', account: 'object' }, 'create');
    assertFields(created.body.account, ACCOUNT_FIELDS, 'created account');
    assert.deepEqual(
      [created.body.ok, created.body.account._id, created.body.account.name, created.body.account.collectionName, created.body.account.status],
      [true, ACCOUNT, 'My WhatsApp Bot', 'auth_custom', 'connecting'],
    );
    const other = await api.call('POST', '/accounts', { id: OTHER });
    assert.equal(other.status, 201, JSON.stringify(other.body));
    assert.deepEqual([other.body.account.name, other.body.account.collectionName], [null, `auth_${OTHER}`], 'collectionName defaults to auth_{id}');

    assertError(await api.call('POST', '/accounts', { name: 'no id' }), 400, 'id is required', 'create without id');
    assertError(await api.call('POST', '/accounts', { id: '' }), 400, 'id is required', 'create with an empty id');
    assertError(await api.call('POST', '/accounts', { id: ACCOUNT }), 400, 'Account already exists', 'create twice');
    const spaced = await api.call('POST', '/accounts', { id: 'has spaces' });
    assertError(spaced, 400, /^id must be/, 'an id with spaces');
    assert.equal(spaced.body.field, 'id');

    // Created with autoConnect: the session opens at once and waits for its QR to be scanned.
    const details = await api.eventually(`/accounts/${ACCOUNT}`, (a) => a.status === 200 && a.body.account.hasQR === true, 'the account waiting for its QR');
    assertFields(details.body, { ok: 'boolean', account: 'object' }, 'details');
    assertFields(details.body.account, ACCOUNT_FIELDS, 'account details');
    assert.deepEqual(
      { ...details.body.account, createdAt: null },
      { _id: ACCOUNT, name: 'My WhatsApp Bot', collectionName: 'auth_custom', status: 'connecting', currentStatus: 'connecting', hasQR: true, createdAt: null },
    );
    assert.equal(details.body.account.createdAt, created.body.account.createdAt);

    const listed = await api.eventually('/accounts', (a) => (a.body.accounts as Value[] | undefined)?.some((x) => x._id === OTHER) ?? false, 'both accounts listed');
    assertFields(listed.body, { ok: 'boolean', accounts: 'array' }, 'list');
    for (const account of listed.body.accounts as Value[]) {
      assertFields(account, ACCOUNT_FIELDS, `listed ${account._id}`);
      assert.ok(STATUSES.includes(account.status), account.status);
      assert.equal(account.currentStatus, account.status);
    }
    assert.deepEqual((listed.body.accounts as Value[]).find((a) => a._id === ACCOUNT), details.body.account);

    const status = await api.call('GET', `/accounts/${ACCOUNT}/status`);
    assertFields(status.body, { ok: 'boolean', status: 'string', accountId: 'string', lastUpdate: 'date' }, 'status');
    assert.deepEqual([status.body.ok, status.body.status, status.body.accountId], [true, 'connecting', ACCOUNT]);

    assertError(await api.call('GET', '/accounts/nobody'), 404, 'Account not found', 'details of an unknown account');
    assertError(await api.call('GET', '/accounts/nobody/status'), 404, 'Account not found', 'status of an unknown account');
    assertError(await api.call('POST', '/accounts/nobody/connect'), 404, 'Account not found', 'connect an unknown account');
    assertError(await api.call('POST', '/accounts/nobody/disconnect'), 404, 'Account not found', 'disconnect an unknown account');
    assertError(await api.call('DELETE', '/accounts/nobody'), 404, 'Account not found', 'delete an unknown account');
    assertError(await api.call('POST', '/accounts/nobody/message/send', { to: FRIEND_JID, message: 'x' }), 404, 'Account not found', 'send from an unknown account');
  });

  it('per-account keys: a key acts for its own account only (403 elsewhere and on the admin routes)', async () => {
    accountKey = (await api.services.keys.create(ACCOUNT, 'wildcat test')).key;
    otherKey = (await api.services.keys.create(OTHER, 'wildcat test')).key;
    const own = await api.call('GET', `/accounts/${ACCOUNT}`, undefined, { key: accountKey });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.account._id, ACCOUNT);
    assert.equal((await api.call('GET', `/accounts/${ACCOUNT}/chats`, undefined, { key: accountKey })).status, 200);

    for (const [method, path] of accountRoutes(ACCOUNT)) {
      assertError(await api.call(method, path, undefined, { key: otherKey }), 403, `this key may not act for account ${ACCOUNT}`, `${method} ${path} with another account's key`);
    }
    for (const [method, path] of adminRoutes()) {
      assertError(await api.call(method, path, undefined, { key: accountKey }), 403, 'this route needs the admin key', `${method} ${path} with an account key`);
    }
  });

  it('connect, link, then every send: text, image, video, audio, voice, document, reply, react, delete, and their 400s', async () => {
    await api.h.sim('/sim/link', { accountId: ACCOUNT, phone: PHONE });
    await api.eventually(`/accounts/${ACCOUNT}/status`, (a) => a.body.status === 'connected', 'connected');
    const connect = await api.call('POST', `/accounts/${ACCOUNT}/connect`);
    assert.deepEqual([connect.status, connect.body], [200, { ok: true, message: `Attempting to connect ${ACCOUNT}`, status: 'connected' }]);

    // The account's own key sends, as the admin key does.
    const text = await api.call('POST', `/accounts/${ACCOUNT}/message/send`, { to: FRIEND_JID, message: 'Hello! How are you? 👋\nSecond line' }, { key: accountKey });
    assert.equal(text.status, 200, JSON.stringify(text.body));
    assertFields(text.body, { ok: 'boolean', messageId: 'string' }, 'send text');
    const toPhone = await api.call('POST', `/accounts/${ACCOUNT}/message/send`, { to: `+${FRIEND}`, message: 'by phone number' });
    assert.equal(toPhone.status, 200, JSON.stringify(toPhone.body));

    const png = await qrPng('a picture');
    const image = await api.call('POST', `/accounts/${ACCOUNT}/message/send/image`, form({ to: FRIEND_JID, caption: 'Check out this photo!' }, { field: 'image', bytes: png, type: 'image/png', name: 'photo.png' }));
    const videoBytes = Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42'), Buffer.alloc(2_000, 7)]);
    const video = await api.call('POST', `/accounts/${ACCOUNT}/message/send/video`, form({ to: FRIEND_JID, caption: 'Check this video out!' }, { field: 'video', bytes: videoBytes, type: 'video/mp4', name: 'clip.mp4' }));
    const audio = await api.call('POST', `/accounts/${ACCOUNT}/message/send/audio`, form({ to: FRIEND_JID }, { field: 'audio', bytes: Buffer.alloc(1_500, 3), type: 'audio/mpeg', name: 'song.mp3' }));
    const voice = await api.call('POST', `/accounts/${ACCOUNT}/message/send/audio`, form({ to: FRIEND_JID }, { field: 'audio', bytes: Buffer.from('OggS' + 'x'.repeat(800)), type: 'audio/ogg', name: 'note.ogg' }));
    const pdf = Buffer.from('%PDF-1.4\n% an invoice\n');
    const document = await api.call('POST', `/accounts/${ACCOUNT}/message/send/document`, form({ to: FRIEND_JID, caption: 'Your invoice' }, { field: 'document', bytes: pdf, type: 'application/pdf', name: 'invoice.pdf' }));
    for (const [what, answer] of Object.entries({ image, video, audio, voice, document })) {
      assert.equal(answer.status, 200, `${what}: ${JSON.stringify(answer.body)}`);
      assertFields(answer.body, { ok: 'boolean', messageId: 'string' }, `send ${what}`);
    }

    const reply = await api.call('POST', `/accounts/${ACCOUNT}/message/reply`, { to: FRIEND_JID, message: 'Thanks for your message!', quotedMessageId: text.body.messageId });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assertFields(reply.body, { ok: 'boolean', messageId: 'string' }, 'reply');
    const react = await api.call('POST', `/accounts/${ACCOUNT}/message/react`, { to: FRIEND_JID, messageId: toPhone.body.messageId, emoji: '❤️' });
    assert.deepEqual([react.status, react.body], [200, { ok: true, message: 'Reaction sent' }]);
    const deleted = await api.call('POST', `/accounts/${ACCOUNT}/message/delete`, { to: FRIEND_JID, messageId: toPhone.body.messageId });
    assert.deepEqual([deleted.status, deleted.body], [200, { ok: true, message: 'Message deleted' }]);

    const sent = await sentTo(ACCOUNT, FRIEND, 10);
    const entry = (answer: ApiAnswer): Value => sent.get(answer.body.messageId)!;
    assert.deepEqual([entry(text).type, entry(text).text], ['text', 'Hello! How are you? 👋\nSecond line']);
    assert.deepEqual([entry(image).type, entry(image).caption, entry(image).media.size], ['image', 'Check out this photo!', png.length]);
    assert.deepEqual([entry(video).type, entry(video).caption, entry(video).media.size], ['video', 'Check this video out!', videoBytes.length]);
    assert.deepEqual([entry(audio).type, entry(audio).caption], ['audio', undefined]);
    assert.equal(entry(voice).type, 'voice', 'OGG audio goes as a voice note');
    assert.deepEqual([entry(document).type, entry(document).fileName, entry(document).caption, entry(document).media.size], ['document', 'invoice.pdf', 'Your invoice', pdf.length]);
    assert.deepEqual([entry(reply).text, entry(reply).quotedMessageId], ['Thanks for your message!', text.body.messageId]);
    assert.ok([...sent.values()].some((m) => m.targetMessageId === toPhone.body.messageId && m.reaction === '❤️'), 'the reaction');
    assert.equal(entry(toPhone).revoked, true, 'deleted for everyone');

    const send = (body: Value) => api.call('POST', `/accounts/${ACCOUNT}/message/send`, body);
    assertError(await send({ to: FRIEND_JID }), 400, 'to and message are required', 'send without message');
    assertError(await send({ message: 'hi' }), 400, 'to and message are required', 'send without to');
    assertError(await send({ to: FRIEND_JID, message: '' }), 400, 'to and message are required', 'send an empty message');
    const badTo = await send({ to: 'nobody', message: 'hi' });
    assertError(badTo, 400, /^to must be/, 'send to a non-JID');
    assert.equal(badTo.body.field, 'to');
    const noFile = await api.call('POST', `/accounts/${ACCOUNT}/message/send/image`, form({ to: FRIEND_JID }));
    assertError(noFile, 400, 'image is required as a multipart/form-data file', 'image without its file');
    assert.equal(noFile.body.field, 'image');
    const noTo = await api.call('POST', `/accounts/${ACCOUNT}/message/send/document`, form({}, { field: 'document', bytes: pdf, type: 'application/pdf', name: 'x.pdf' }));
    assertError(noTo, 400, 'to is required', 'document without to');
    assertError(
      await api.call('POST', `/accounts/${ACCOUNT}/message/reply`, { to: FRIEND_JID, message: 'x' }),
      400,
      'to, message and quotedMessageId are required',
      'reply without quotedMessageId',
    );
    assertError(await api.call('POST', `/accounts/${ACCOUNT}/message/react`, { to: FRIEND_JID, messageId: 'ABC' }), 400, 'to, messageId and emoji are required', 'react without emoji');
    assertError(await api.call('POST', `/accounts/${ACCOUNT}/message/delete`, { to: FRIEND_JID }), 400, 'to and messageId are required', 'delete without messageId');
  });

  it('chats and messages read back with the documented fields (text, image, document, group, own messages) and media', async () => {
    const image = await qrPng('inbound picture');
    await api.h.sim('/sim/inbound', { accountId: ACCOUNT, from: FRIEND, type: 'image', caption: 'Check this out', media: image.toString('base64'), mimetype: 'image/png' });
    const doc = Buffer.from('%PDF-1.4\n% inbound\n');
    const inboundDoc = await api.h.sim('/sim/inbound', { accountId: ACCOUNT, from: FRIEND, type: 'document', fileName: 'report "Q3".pdf', media: doc.toString('base64'), mimetype: 'application/pdf' });
    const group = await api.h.sim('/sim/inbound', { accountId: ACCOUNT, from: '15557770008', group: '120363000000000077', text: 'Hello team' });
    const GROUP_JID = '120363000000000077@g.us';

    const inGroup = await api.eventually(
      `/accounts/${ACCOUNT}/chats/${GROUP_JID}/messages`,
      (a) => (a.body.messages as Value[] | undefined)?.some((m) => m.messageId === group.messageId) ?? false,
      'the group message',
    );
    const chats = await api.call('GET', `/accounts/${ACCOUNT}/chats`);
    assertFields(chats.body, { ok: 'boolean', chats: 'array' }, 'chats');
    for (const chat of chats.body.chats as Value[]) assertFields(chat, CHAT_FIELDS, `chat ${chat.chatId}`);
    const chatList = chats.body.chats as Value[];
    assert.deepEqual(
      chatList.map((c) => [c.chatId, c.name, c.unreadCount]).sort(),
      [
        [GROUP_JID, 'Group 0077', 1],
        [FRIEND_JID, 'User 0009', 2],
      ],
    );
    assert.ok(chatList[0]!.lastMessageTime >= chatList[1]!.lastMessageTime, 'most recent first');

    const messages = await api.eventually(
      `/accounts/${ACCOUNT}/chats/${FRIEND_JID}/messages`,
      (a) => (a.body.messages as Value[] | undefined)?.some((m) => m.messageId === inboundDoc.messageId && typeof m.mediaId === 'string') ?? false,
      'the inbound document with its stored media',
    );
    assertFields(messages.body, { ok: 'boolean', messages: 'array' }, 'messages');
    const list = messages.body.messages as Value[];
    for (const message of list) assertFields(message, MESSAGE_FIELDS, `message ${message.messageId}`);
    const timestamps = list.map((m) => m.timestamp as number);
    assert.deepEqual(timestamps, [...timestamps].sort((a, b) => b - a), 'newest first');
    const own = list.filter((m) => m.fromMe);
    assert.ok(own.length >= 7, 'the sends of the previous test are there');
    for (const message of own) assert.deepEqual([message.from, message.chatId], [`${PHONE}@s.whatsapp.net`, FRIEND_JID], 'own messages are from the account');
    const sentText = own.find((m) => m.text === 'Hello! How are you? 👋\nSecond line');
    assert.deepEqual(Object.keys(sentText!).sort(), ['chatId', 'from', 'fromMe', 'messageId', 'text', 'timestamp', 'type']);
    const picture = list.find((m) => m.type === 'image' && !m.fromMe)!;
    assert.deepEqual(
      { ...picture, messageId: '', timestamp: 0, mediaId: '' },
      { messageId: '', from: FRIEND_JID, chatId: FRIEND_JID, timestamp: 0, type: 'image', hasMedia: true, mediaId: '', caption: 'Check this out', fromMe: false },
    );

    assert.deepEqual(
      (inGroup.body.messages as Value[]).filter((m) => m.type === 'text').map((m) => ({ ...m, timestamp: 0 })),
      [{ messageId: group.messageId, from: '15557770008@s.whatsapp.net', chatId: GROUP_JID, timestamp: 0, text: 'Hello team', type: 'text', fromMe: false }],
      'a group message is from its participant',
    );
    const byPhone = await api.call('GET', `/accounts/${ACCOUNT}/chats/${FRIEND}/messages?limit=1`);
    assert.deepEqual((byPhone.body.messages as Value[]).map((m) => m.messageId), [list[0]!.messageId], 'a chat may be named by phone number');

    const single = await api.call('GET', `/accounts/${ACCOUNT}/messages/${group.messageId}`);
    assert.equal(single.status, 200);
    assertFields(single.body, { ok: 'boolean', message: 'object' }, 'single message');
    assert.equal(single.body.message.chatId, GROUP_JID);

    const file = await waitFor(async () => {
      const answer = await fetch(`${api.base}/accounts/${ACCOUNT}/messages/${inboundDoc.messageId}/media`, { headers: { 'x-api-key': accountKey } });
      if (answer.status === 200) return answer;
      await answer.body?.cancel();
      return null;
    }, 'the document downloadable');
    assert.equal(file.headers.get('content-type'), 'application/pdf');
    assert.equal(file.headers.get('content-length'), String(doc.length));
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), doc);

    assertError(await api.call('GET', `/accounts/${ACCOUNT}/messages/NOSUCHMESSAGE`), 404, 'Message not found', 'an unknown message');
    assertError(await api.call('GET', `/accounts/${ACCOUNT}/messages/NOSUCHMESSAGE/media`), 404, 'Message not found', 'media of an unknown message');
    assertError(await api.call('GET', `/accounts/${ACCOUNT}/messages/${group.messageId}/media`), 404, 'No media in message', 'media of a text message');
    assertError(await api.call('GET', `/accounts/${OTHER}/messages/${group.messageId}`), 404, 'Message not found', "another account's message");
    assertError(await api.call('GET', '/accounts/nobody/chats'), 404, 'Account not found', 'chats of an unknown account');
    assertError(await api.call('GET', `/accounts/nobody/chats/${FRIEND_JID}/messages`), 404, 'Account not found', 'messages of an unknown account');
    const badChat = await api.call('GET', `/accounts/${ACCOUNT}/chats/not-a-chat/messages`);
    assertError(badChat, 400, /^chatId must be/, 'an invalid chatId');
    assert.equal(badChat.body.field, 'chatId');
  });

  it('chats page with limit and skip: default 50, at most 100, newest first without gaps or repeats', async () => {
    await api.h.linkedAccount(MANY_CHATS, '15557770003', { historyMessages: 105, historyChats: 105 });
    await api.eventually(`/accounts/${MANY_CHATS}/chats?skip=100`, (a) => (a.body.chats as Value[] | undefined)?.length === 5, 'all 105 history chats projected');
    const chatsOf = async (query: string): Promise<Value[]> => {
      const answer = await api.call('GET', `/accounts/${MANY_CHATS}/chats${query}`);
      assert.equal(answer.status, 200, `${query}: ${JSON.stringify(answer.body)}`);
      return answer.body.chats as Value[];
    };
    const first = await chatsOf('?limit=100');
    const rest = await chatsOf('?limit=100&skip=100');
    assert.deepEqual([first.length, rest.length], [100, 5]);
    const all = [...first, ...rest];
    for (const chat of all) assertFields(chat, CHAT_FIELDS, `history chat ${chat.chatId}`);
    assert.equal(new Set(all.map((c) => c.chatId)).size, 105, 'no chat twice');
    const times = all.map((c) => c.lastMessageTime as number);
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'most recent first');
    assert.deepEqual(await chatsOf(''), first.slice(0, 50), 'default limit 50');
    assert.deepEqual(await chatsOf('?limit=10&skip=20'), all.slice(20, 30));
    assert.deepEqual(await chatsOf('?skip=105'), []);

    const bad = async (query: string, message: string): Promise<void> => {
      const answer = await api.call('GET', `/accounts/${MANY_CHATS}/chats${query}`);
      assertError(answer, 400, message, `chats${query}`);
      assert.equal(answer.body.field, query.slice(1).split('=')[0]);
    };
    await bad('?limit=101', 'limit must be at most 100');
    await bad('?limit=0', 'limit must be at least 1');
    await bad('?limit=ten', 'limit must be a number');
    await bad('?limit=2.5', 'limit must be a whole number');
    await bad('?skip=-1', 'skip must be at least 0');
  });

  it('chat messages page with limit and skip: default 50, at most 100, newest first; own history messages are from the account', async () => {
    await api.h.linkedAccount(LONG_CHAT, LONG_PHONE, { historyMessages: 120, historyChats: 1 });
    const path = `/accounts/${LONG_CHAT}/chats/${HISTORY_JID}/messages`;
    await api.eventually(`${path}?skip=100`, (a) => (a.body.messages as Value[] | undefined)?.length === 20, 'all 120 history messages projected');
    const messagesOf = async (query: string): Promise<Value[]> => {
      const answer = await api.call('GET', `${path}${query}`);
      assert.equal(answer.status, 200, `${query}: ${JSON.stringify(answer.body)}`);
      return answer.body.messages as Value[];
    };
    const first = await messagesOf('?limit=100');
    const rest = await messagesOf('?skip=100&limit=100');
    assert.deepEqual([first.length, rest.length], [100, 20]);
    const all = [...first, ...rest];
    assert.equal(new Set(all.map((m) => m.messageId)).size, 120, 'no message twice');
    const times = all.map((m) => m.timestamp as number);
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    assert.equal(all[0]!.text, 'History message 120 of 120');
    for (const message of all) {
      assertFields(message, { messageId: 'string', from: 'jid', chatId: 'jid', timestamp: 'integer', text: 'string', type: 'string', fromMe: 'boolean' }, `history ${message.messageId}`);
      assert.equal(message.from, message.fromMe ? `${LONG_PHONE}@s.whatsapp.net` : HISTORY_JID);
    }
    assert.deepEqual(await messagesOf(''), first.slice(0, 50), 'default limit 50');
    assert.deepEqual(await messagesOf('?limit=7&skip=50'), all.slice(50, 57));

    assertError(await api.call('GET', `${path}?limit=101`), 400, 'limit must be at most 100', 'messages?limit=101');
    assertError(await api.call('GET', `${path}?skip=x`), 400, 'skip must be a number', 'messages?skip=x');
  });

  it('disconnect makes sends fail with 500 internal_error; connect links again; delete removes the account', async () => {
    const disconnected = await api.call('POST', `/accounts/${ACCOUNT}/disconnect`, undefined, { key: accountKey });
    assert.deepEqual([disconnected.status, disconnected.body], [200, { ok: true, message: `Account ${ACCOUNT} disconnected` }]);
    const failed = await api.call('POST', `/accounts/${ACCOUNT}/message/send`, { to: FRIEND_JID, message: 'anyone there?' });
    assertError(failed, 500, 'internal_error', 'send while disconnected');
    const failedImage = await api.call('POST', `/accounts/${ACCOUNT}/message/send/image`, form({ to: FRIEND_JID }, { field: 'image', bytes: await qrPng('x'), type: 'image/png', name: 'x.png' }));
    assertError(failedImage, 500, 'internal_error', 'image while disconnected');
    const status = await api.eventually(`/accounts/${ACCOUNT}/status`, (a) => a.body.status !== 'connected', 'the disconnected status');
    assert.equal(status.body.status, 'not_started', 'a closed session waits for the next connect');

    const connect = await api.call('POST', `/accounts/${ACCOUNT}/connect`);
    assert.equal(connect.status, 200, JSON.stringify(connect.body));
    assertFields(connect.body, { ok: 'boolean', message: 'string', status: 'string' }, 'connect');
    assert.equal(connect.body.message, `Attempting to connect ${ACCOUNT}`);
    assert.ok(['connecting', 'connected'].includes(connect.body.status), connect.body.status);
    await api.eventually(`/accounts/${ACCOUNT}/status`, (a) => a.body.status === 'connected', 'connected again with the kept session');
    assert.equal((await api.call('POST', `/accounts/${ACCOUNT}/message/send`, { to: FRIEND_JID, message: 'back' })).status, 200);

    const deleted = await api.call('DELETE', `/accounts/${ACCOUNT}`, undefined, { key: accountKey });
    assert.deepEqual([deleted.status, deleted.body], [200, { ok: true, message: `Account ${ACCOUNT} deleted` }]);
    const gone = await api.eventually(`/accounts/${ACCOUNT}`, (a) => a.status === 404, 'the account gone from the read model');
    assertError(gone, 404, 'Account not found', 'a deleted account');
    assertError(await api.call('POST', `/accounts/${ACCOUNT}/connect`), 404, 'Account not found', 'connect a deleted account');
    assertError(await api.call('DELETE', `/accounts/${ACCOUNT}`), 404, 'Account not found', 'delete twice');
    const listed = await api.call('GET', '/accounts');
    assert.equal((listed.body.accounts as Value[]).some((a) => a._id === ACCOUNT), false);
  });

  it('POST /webhooks registers a URL once (201 then 200); GET /webhooks lists global and per-account subscriptions', async () => {
    const url = 'https://example.com/whatsapp-webhook';
    const first = await api.call('POST', '/webhooks', { url });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    // The generated signing secret is shown once, beside the documented fields.
    assertFields(first.body, { ok: 'boolean', url: 'string', created: 'boolean', secret: 'string' }, 'register');
    assert.deepEqual([first.body.ok, first.body.url, first.body.created], [true, url, true]);
    const second = await api.call('POST', '/webhooks', { url });
    assert.deepEqual([second.status, second.body], [200, { ok: true, url, created: false }]);
    const filtered = await api.call('POST', '/webhooks', { url: 'http://example.org/hook', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', events: ['message.received'] });
    assert.deepEqual([filtered.status, filtered.body], [201, { ok: true, url: 'http://example.org/hook', created: true }], 'a secret the client chose is not echoed');

    assertError(await api.call('POST', '/webhooks', {}), 400, 'url is required', 'register without url');
    assertError(await api.call('POST', '/webhooks', { url: 'not a url' }), 400, 'url must be a valid HTTP/HTTPS URL', 'register a non-URL');
    assertError(await api.call('POST', '/webhooks', { url: 'ftp://example.com/x' }), 400, 'url must be a valid HTTP/HTTPS URL', 'register an FTP URL');
    assertError(await api.call('POST', '/webhooks', { url, events: ['everything'] }), 400, 'events must be event types like message.received or message.*', 'register bad events');
    assertError(await api.call('POST', '/webhooks', { url, secret: 'whsec_c2hvcnQ=' }), 400, 'secret must be whsec_ followed by the base64 of 16 to 64 random bytes (or leave it out: one is generated)', 'register a 5-byte secret');

    const channelHook = await api.call('PUT', `/channels/${OTHER}/webhook`, { url: 'https://example.com/other', events: ['message.sent'] });
    assert.equal(channelHook.status, 200, JSON.stringify(channelHook.body));

    const listed = await api.call('GET', '/webhooks');
    assert.equal(listed.status, 200);
    assertFields(listed.body, { ok: 'boolean', webhooks: 'array' }, 'webhooks');
    for (const webhook of listed.body.webhooks as Value[]) assertFields(webhook, WEBHOOK_FIELDS, `webhook ${webhook.url}`);
    const byUrl = new Map((listed.body.webhooks as Value[]).map((w) => [w.url as string, w]));
    assert.deepEqual([byUrl.get(url)!.scope, byUrl.get(url)!.accountId, byUrl.get(url)!.events, byUrl.get(url)!.enabled], ['GLOBAL', null, ['message.received', 'message.sent'], true]);
    assert.deepEqual(byUrl.get('http://example.org/hook')!.events, ['message.received']);
    assert.deepEqual([byUrl.get('https://example.com/other')!.scope, byUrl.get('https://example.com/other')!.accountId], ['ACCOUNT', OTHER]);

    const ofOther = await api.call('GET', `/webhooks?accountId=${OTHER}`);
    assert.deepEqual((ofOther.body.webhooks as Value[]).map((w) => w.url), ['https://example.com/other']);
    const badFilter = await api.call('GET', '/webhooks?accountId=not%20an%20id');
    assertError(badFilter, 400, /^accountId must be|^expected/, 'a malformed accountId filter');

    const removed = await api.call('DELETE', `/webhooks/${byUrl.get(url)!.id}`);
    assert.deepEqual([removed.status, removed.body], [200, { ok: true, message: `Webhook ${byUrl.get(url)!.id} removed` }]);
    assertError(await api.call('DELETE', `/webhooks/${byUrl.get(url)!.id}`), 404, 'Webhook not found', 'remove twice');
    const remaining = await api.call('GET', '/webhooks');
    assert.equal((remaining.body.webhooks as Value[]).some((w) => w.url === url), false);
  });
});

/** The WILDCAT routes only the admin key may call. */
function adminRoutes(): Array<[string, string]> {
  return [
    ['GET', '/accounts'],
    ['POST', '/accounts'],
    ['POST', '/webhooks'],
    ['GET', '/webhooks'],
  ];
}

/** The WILDCAT routes of one account. */
function accountRoutes(accountId: string): Array<[string, string]> {
  const base = `/accounts/${accountId}`;
  return [
    ['GET', base],
    ['DELETE', base],
    ['GET', `${base}/status`],
    ['POST', `${base}/connect`],
    ['POST', `${base}/disconnect`],
    ['POST', `${base}/message/send`],
    ['POST', `${base}/message/send/image`],
    ['POST', `${base}/message/send/video`],
    ['POST', `${base}/message/send/audio`],
    ['POST', `${base}/message/send/document`],
    ['POST', `${base}/message/reply`],
    ['POST', `${base}/message/react`],
    ['POST', `${base}/message/delete`],
    ['GET', `${base}/chats`],
    ['GET', `${base}/chats/15557770009@s.whatsapp.net/messages`],
    ['GET', `${base}/messages/3EB0123ABCD456EF`],
    ['GET', `${base}/messages/3EB0123ABCD456EF/media`],
  ];
}
