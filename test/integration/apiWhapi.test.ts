import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { qrPng } from '../../services/shared/index.js';
import { ApiHarness, ConnectorHarness, TEST_ADMIN_KEY, waitFor, type Value } from '../helpers/index.js';

const ADMIN_KEY = TEST_ADMIN_KEY;
const CHANNEL = 'whapi-1';
const ME = '15550001111';
const ALICE = '15550002222';
const ALICE_JID = `${ALICE}@s.whatsapp.net`;
const BOB = '15550003333';
const BOB_JID = `${BOB}@s.whatsapp.net`;

/**
 * The routes of Seed API 2 outside /channels, driven over HTTP against the real app: commands
 * go through the broker to a connector whose WhatsApp is the simulator, and reads come from the
 * projector's read models (PGlite) fed by the same topics.
 */
describe('WHAPI resource routes over HTTP (real app, real broker, projector on PGlite, simulator as WhatsApp)', () => {
  let api: ApiHarness;
  let h: ConnectorHarness;
  let base: string;
  let channelKey: string;
  let foreignKey: string;

  before(async () => {
    api = await ApiHarness.start();
    h = api.h;
    base = api.base;
    channelKey = (await api.services.keys.create(CHANNEL, 'whapi test')).key;
    foreignKey = (await api.services.keys.create('someone-else', 'whapi test')).key;
    await h.linkedAccount(CHANNEL, ME);
  });

  after(async () => {
    await api?.stop();
    assert.deepEqual(h?.fatal, []);
  });

  interface Answer {
    status: number;
    body: Value;
    bytes: Buffer;
    headers: Headers;
  }

  /** A request naming the channel in the query (`channel: null` leaves it out). */
  async function call(
    method: string,
    path: string,
    body?: unknown,
    options: { key?: string | null; channel?: string | null; form?: FormData; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? ADMIN_KEY : options.key;
    if (key !== null) headers['x-api-key'] = key;
    const channel = options.channel === undefined ? CHANNEL : options.channel;
    const url = new URL(`${base}${path}`);
    if (channel !== null) url.searchParams.set('channelId', channel);
    let payload: string | FormData | undefined;
    if (options.form) payload = options.form;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(url, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
    const bytes = Buffer.from(await response.arrayBuffer());
    const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
    return { status: response.status, body: isJson && bytes.length > 0 ? (JSON.parse(bytes.toString('utf8')) as Value) : {}, bytes, headers: response.headers };
  }

  /** Asserts a 200 `{ success: true }` answer and returns its body. */
  function ok(answer: Answer, what: string): Value {
    assert.equal(answer.status, 200, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
    assert.equal(answer.body.success, true, what);
    return answer.body;
  }

  /** Polls a read until it satisfies `found` (the projector runs behind the commands). */
  function eventually(path: string, found: (body: Value) => boolean, description: string): Promise<Value> {
    return waitFor(async () => {
      const answer = await call('GET', path);
      return answer.status === 200 && found(answer.body) ? answer.body : null;
    }, description);
  }

  async function outbox(to: string): Promise<Value[]> {
    return (await h.simGet(`/sim/outbox?accountId=${CHANNEL}&to=${to}`)).messages as Value[];
  }

  it('sends every message kind and answers { success, messageId }', async () => {
    const png = (await qrPng('a picture')).toString('base64');
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(64, 1)]).toString('base64');
    const sends: [string, Value, string][] = [
      ['text', { to: ALICE, body: 'Hello World!' }, 'text'],
      ['image', { to: ALICE, media: png, caption: 'A picture' }, 'image'],
      ['video', { to: ALICE, media: mp4, caption: 'A clip' }, 'video'],
      ['gif', { to: ALICE, media: mp4 }, 'video'],
      ['short', { to: ALICE, media: mp4 }, 'video'],
      ['audio', { to: ALICE, media: Buffer.from('ID3 not really audio').toString('base64') }, 'audio'],
      ['voice', { to: ALICE, media: Buffer.from('OggS not really opus').toString('base64') }, 'voice'],
      ['document', { to: ALICE, media: Buffer.from('%PDF-1.4 tiny').toString('base64'), filename: 'report.pdf', mimetype: 'application/pdf' }, 'document'],
      ['sticker', { to: ALICE, media: png }, 'sticker'],
      ['location', { to: ALICE, latitude: 55.7558, longitude: 37.6173, name: 'Moscow', address: 'Red Square' }, 'location'],
      ['live-location', { to: ALICE, latitude: 55.7558, longitude: 37.6173, duration: 3600 }, 'location'],
      ['contact', { to: ALICE, contact: { fullName: 'John Doe', phone: '+123456789' } }, 'contact'],
      ['contact-list', { to: ALICE, contacts: [{ fullName: 'John', phone: '+123456' }, { fullName: 'Mary', phone: '+654321' }] }, 'contact'],
      ['poll', { to: ALICE, question: 'Rate?', options: ['1', '2', '3'], multiSelect: true }, 'poll'],
      ['link-preview', { to: ALICE, url: 'https://example.com', title: 'Example', description: 'A page' }, 'text'],
    ];
    const sent = new Map<string, string>();
    for (const [path, body, type] of sends) {
      const answer = ok(await call('POST', `/messages/${path}`, body), path);
      assert.deepEqual(Object.keys(answer).sort(), ['messageId', 'success'], path);
      sent.set(answer.messageId as string, type);
    }
    const seen = await waitFor(async () => {
      const found = await outbox(ALICE);
      return found.length >= sends.length ? found : null;
    }, 'every send in the outbox');
    for (const [messageId, type] of sent) assert.equal(seen.find((entry) => entry.messageId === messageId)?.type, type, `${messageId} sent as ${type}`);
    const document = seen.find((entry) => entry.type === 'document');
    assert.equal(document?.fileName, 'report.pdf');
    assert.match(seen.find((entry) => entry.type === 'contact')?.contact.vcard ?? '', /FN:John Doe/);

    // The account's own key, with the channel in X-Channel-Id.
    const own = await call('POST', '/messages/text', { to: `${BOB_JID}`, body: 'Hi Bob' }, { key: channelKey, channel: null, headers: { 'X-Channel-Id': CHANNEL } });
    ok(own, 'text with the channel key');
    const listed = await eventually('/messages/list', (body) => (body.data as Value[]).some((m) => m.id === own.body.messageId), 'the sent message listed');
    const message = (listed.data as Value[]).find((m) => m.id === own.body.messageId)!;
    assert.deepEqual([message.chatId, message.fromMe, message.type, message.text], [BOB_JID, true, 'text', 'Hi Bob']);
  });

  it('refuses bad requests naming the field, other channels’ keys and missing keys', async () => {
    const far = await call('POST', '/messages/location', { to: ALICE, latitude: 91, longitude: 0 });
    assert.deepEqual([far.status, far.body.success, far.body.error.field], [400, false, 'latitude']);
    const poll = await call('POST', '/messages/poll', { to: ALICE, question: 'Q', options: ['A', 'A'] });
    assert.deepEqual([poll.status, poll.body.error.field], [400, 'options']);
    const font = await call('POST', '/stories/text', { text: 'Hi', font: 9 });
    assert.deepEqual([font.status, font.body.error.field], [400, 'font']);
    const noChannel = await call('GET', '/chats', undefined, { channel: null });
    assert.deepEqual([noChannel.status, noChannel.body.error.field], [400, 'channelId']);
    assert.equal((await call('POST', '/messages/text', { to: ALICE, body: 'x' }, { key: foreignKey })).status, 403);
    assert.equal((await call('GET', '/chats', undefined, { key: null })).status, 401);
    const unknown = await call('GET', '/chats', undefined, { channel: 'no-such-channel' });
    assert.deepEqual([unknown.status, unknown.body.error.message], [404, 'Channel not found']);
    const unknownSend = await call('POST', '/messages/text', { to: ALICE, body: 'x' }, { channel: 'no-such-channel' });
    assert.deepEqual([unknownSend.status, unknownSend.body.error.message], [404, 'Channel not found']);
  });

  it('acts on a received message: react, star, pin, forward, delete', async () => {
    const { messageId } = await h.sim('/sim/inbound', { accountId: CHANNEL, from: ALICE, text: 'Please confirm' });
    await eventually(`/messages/list/${ALICE}`, (body) => (body.data as Value[]).some((m) => m.id === messageId), 'the received message listed');

    const reacted = ok(await call('PUT', `/messages/${messageId}/reaction`, { chatId: ALICE, emoji: '👍' }), 'reaction');
    assert.deepEqual(reacted.data, { messageId, chatId: ALICE_JID, emoji: '👍' });
    ok(await call('PUT', `/messages/${messageId}/star`, { chatId: ALICE, star: true }), 'star');
    const pinned = ok(await call('POST', `/messages/${messageId}/pin`, { chatId: ALICE_JID, duration: 86_400 }), 'pin');
    assert.deepEqual(pinned.data, { messageId, chatId: ALICE_JID, pinned: true, durationSeconds: 86_400 });
    ok(await call('DELETE', `/messages/${messageId}/pin`, { chatId: ALICE }), 'unpin');
    const forwarded = ok(await call('POST', '/messages/forward', { chatId: ALICE, messageId, to: [BOB] }), 'forward');
    assert.deepEqual(forwarded.data.map((outcome: Value) => [outcome.to, outcome.success]), [[BOB_JID, true]]);

    const reactions = await waitFor(async () => {
      const found = (await outbox(ALICE)).filter((entry) => entry.type === 'reaction' && entry.targetMessageId === messageId);
      return found.length > 0 ? found : null;
    }, 'the reaction on WhatsApp');
    assert.equal(reactions[0]!.reaction, '👍');
    const copies = await waitFor(async () => {
      const found = (await outbox(BOB)).filter((entry) => entry.text === 'Please confirm');
      return found.length > 0 ? found : null;
    }, 'the forwarded copy');
    assert.equal(copies.length, 1);
    const starred = await eventually(`/messages/list/${ALICE}`, (body) => (body.data as Value[]).some((m) => m.id === messageId && m.starred), 'the message starred');
    assert.ok(starred);

    const own = ok(await call('POST', '/messages/text', { to: ALICE, body: 'Oops' }), 'own message');
    const deleted = ok(await call('DELETE', `/messages/${own.messageId}`, { chatId: ALICE }), 'delete for everyone');
    assert.deepEqual(deleted.data, { messageId: own.messageId, chatId: ALICE_JID, deleted: true, forEveryone: true });
    await waitFor(async () => (await outbox(ALICE)).some((entry) => entry.type === 'revoke' && entry.targetMessageId === own.messageId), 'the revoke on WhatsApp');
    const mine = await call('DELETE', `/messages/${messageId}`, { chatId: ALICE, forEveryone: false });
    assert.deepEqual(ok(mine, 'delete for me').data.forEveryone, false);
  });

  it('reads and changes chats', async () => {
    const listed = await eventually('/chats', (body) => (body.data as Value[]).some((chat) => chat.id === ALICE_JID), 'the chat with Alice listed');
    assert.equal((listed.data as Value[]).find((chat) => chat.id === ALICE_JID)?.type, 'user');
    const chat = ok(await call('GET', `/chats/${ALICE}`), 'get chat');
    assert.equal(chat.data.id, ALICE_JID);
    const missing = await call('GET', '/chats/15559999999');
    assert.deepEqual([missing.status, missing.body.error.message], [404, 'Chat not found']);

    assert.deepEqual(ok(await call('POST', `/chats/${ALICE}/archive`, {}), 'archive').data, { chatId: ALICE_JID, archived: true });
    await eventually(`/chats/${ALICE}`, (body) => body.data.archived === true, 'the chat archived');
    ok(await call('POST', `/chats/${ALICE}/unarchive`, {}), 'unarchive');
    ok(await call('POST', `/chats/${ALICE}/pin`, {}), 'pin chat');
    const muted = ok(await call('POST', `/chats/${ALICE}/mute`, { duration: 3600 }), 'mute');
    assert.equal(muted.data.muted, true);
    assert.ok(muted.data.mutedUntil > Date.now());
    await eventually(`/chats/${ALICE}`, (body) => body.data.pinned === true && body.data.mutedUntil !== null && body.data.archived === false, 'the chat pinned and muted');
    ok(await call('POST', `/chats/${ALICE}/unmute`, {}), 'unmute');
    ok(await call('POST', `/chats/${ALICE}/unpin`, {}), 'unpin chat');
    ok(await call('POST', `/chats/${ALICE}/read`, {}), 'read');
    const badMute = await call('POST', `/chats/${ALICE}/mute`, { duration: -1 });
    assert.deepEqual([badMute.status, badMute.body.error.field], [400, 'duration']);
  });

  it('checks, blocks and profiles contacts', async () => {
    const checked = ok(await call('POST', '/contacts/check', { phones: [ALICE, '0001234567'] }), 'check');
    assert.deepEqual(checked.data, [
      { phone: ALICE, exists: true, jid: ALICE_JID },
      { phone: '0001234567', exists: false, jid: null },
    ]);
    assert.deepEqual(ok(await call('POST', `/contacts/${BOB}/block`, {}), 'block').data, { jid: BOB_JID, blocked: true });
    await eventually('/contacts/blocked', (body) => (body.data as string[]).includes(BOB_JID), 'Bob blocked');
    ok(await call('POST', `/contacts/${BOB}/unblock`, {}), 'unblock');
    await eventually('/contacts/blocked', (body) => !(body.data as string[]).includes(BOB_JID), 'Bob unblocked');
    const profile = ok(await call('GET', `/contacts/${ALICE}/profile`), 'contact profile');
    assert.deepEqual(Object.keys(profile.data).sort(), ['name', 'picture', 'status']);
    assert.deepEqual({ name: profile.name, status: profile.status, picture: profile.picture }, profile.data);
    const contacts = ok(await call('GET', '/contacts'), 'contacts');
    assert.ok(Array.isArray(contacts.data));
  });

  it('creates and manages a group', async () => {
    const created = ok(await call('POST', '/groups', { name: 'My Group', participants: [ALICE] }), 'create group');
    const groupId = created.data.id as string;
    assert.match(groupId, /@g\.us$/);
    assert.equal(created.data.name, 'My Group');
    await eventually(`/groups/${groupId}`, (body) => body.data.name === 'My Group', 'the group readable');

    const renamed = ok(await call('PUT', `/groups/${groupId}`, { name: 'Our Group', description: 'Rules' }), 'update group');
    assert.equal(renamed.data.name, 'Our Group');
    const added = ok(await call('POST', `/groups/${groupId}/participants`, { participants: [BOB] }), 'add');
    assert.deepEqual(added.data.participants.map((p: Value) => [p.id, p.success]), [[BOB_JID, true]]);
    ok(await call('POST', `/groups/${groupId}/participants/promote`, { participants: [BOB] }), 'promote');
    ok(await call('POST', `/groups/${groupId}/participants/demote`, { participants: [BOB] }), 'demote');
    ok(await call('DELETE', `/groups/${groupId}/participants`, { participants: [BOB] }), 'remove');
    const invite = ok(await call('GET', `/groups/${groupId}/invite`), 'invite');
    assert.match(invite.data.url, /^https:\/\/chat\.whatsapp\.com\//);
    const revoked = ok(await call('POST', `/groups/${groupId}/invite/revoke`, {}), 'revoke');
    assert.notEqual(revoked.data.code, invite.data.code);

    const groups = await eventually('/groups', (body) => (body.data as Value[]).some((g) => g.id === groupId && g.name === 'Our Group'), 'the group listed');
    assert.ok(groups);
    const notCommunity = await call('GET', `/communities/${groupId}`);
    assert.deepEqual([notCommunity.status, notCommunity.body.error.message], [404, 'Community not found']);
    ok(await call('GET', '/communities'), 'communities');
    const sentToGroup = ok(await call('POST', '/messages/text', { to: groupId, body: 'Hello group' }), 'group text');
    assert.equal(typeof sentToGroup.messageId, 'string');
    assert.deepEqual(ok(await call('DELETE', `/groups/${groupId}`, {}), 'leave').data, { groupId, left: true });
    const unknown = await call('GET', '/groups/120363000000000000@g.us');
    assert.deepEqual([unknown.status, unknown.body.error.message], [404, 'Group not found']);
  });

  it('posts and deletes stories', async () => {
    const posted = ok(await call('POST', '/stories/text', { text: 'Open today', backgroundColor: '#FF5733', font: 2 }), 'text story');
    const storyId = posted.messageId as string;
    const png = (await qrPng('a story')).toString('base64');
    ok(await call('POST', '/stories/image', { media: png, caption: 'Look' }), 'image story');
    await eventually('/stories', (body) => (body.data as Value[]).some((story) => story.id === storyId), 'the story listed');
    assert.deepEqual(ok(await call('DELETE', `/stories/${storyId}`, {}), 'delete story').data, { id: storyId, deleted: true });
  });

  it('creates labels and labels chats', async () => {
    const label = ok(await call('POST', '/labels', { name: 'VIP', color: 1 }), 'create label');
    const labelId = label.data.id as string;
    assert.deepEqual([label.data.name, label.data.color], ['VIP', 1]);
    ok(await call('POST', `/labels/${labelId}/chats`, { chatId: ALICE }), 'label chat');
    await eventually('/labels', (body) => (body.data as Value[]).some((l) => l.id === labelId && (l.chats as string[]).includes(ALICE_JID)), 'the chat labelled');
    ok(await call('DELETE', `/labels/${labelId}/chats/${ALICE}`, {}), 'unlabel chat');
    ok(await call('DELETE', `/labels/${labelId}`, {}), 'delete label');
    const badColor = await call('POST', '/labels', { name: 'VIP', color: 25 });
    assert.deepEqual([badColor.status, badColor.body.error.field], [400, 'color']);
  });

  it('reads and updates the business profile and the own profile; categories need only a key', async () => {
    const updated = ok(await call('PATCH', '/business/profile', { description: 'Bikes', website: 'https://bikes.example.com' }), 'update business');
    assert.deepEqual([updated.description, updated.websites], ['Bikes', ['https://bikes.example.com']]);
    const business = ok(await call('GET', '/business/profile'), 'business profile');
    assert.deepEqual(Object.keys(business.data).sort(), ['address', 'category', 'description', 'email', 'websites']);
    assert.deepEqual(business.data.websites, ['https://bikes.example.com']);

    const profile = ok(await call('PATCH', '/users/profile', { name: 'Support', status: 'Mon-Fri 9-17' }), 'update profile');
    assert.deepEqual([profile.name, profile.status], ['Support', 'Mon-Fri 9-17']);
    const own = ok(await call('GET', '/users/profile'), 'own profile');
    assert.equal(own.data.status, 'Mon-Fri 9-17');
    const picture = ok(await call('PUT', '/users/profile/picture', { image: (await qrPng('me')).toString('base64') }), 'picture');
    assert.deepEqual(Object.keys(picture.data).sort(), ['name', 'picture', 'status']);

    const categories = ok(await call('GET', '/business/categories', undefined, { key: channelKey, channel: null }), 'categories');
    assert.ok((categories.categories as Value[]).length > 0);
    assert.equal((await call('GET', '/business/categories', undefined, { key: null, channel: null })).status, 401);
  });

  it('uploads media and serves it back', async () => {
    const bytes = await qrPng('uploaded');
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'image/png' }), 'photo.png');
    const uploaded = ok(await call('POST', '/media/upload', undefined, { form }), 'upload');
    const id = createHash('sha256').update(bytes).digest('hex');
    assert.deepEqual([uploaded.mediaId, uploaded.url, uploaded.mimetype], [id, `/media/${id}`, 'image/png']);
    assert.deepEqual(uploaded.data, { mediaId: id, url: `/media/${id}`, mimetype: 'image/png' });
    const served = await call('GET', `/media/${id}`);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.equal(served.headers.get('content-length'), String(bytes.length));
    assert.deepEqual(served.bytes, bytes);
    const sent = ok(await call('POST', '/messages/image', { to: ALICE, media: `data:image/png;base64,${bytes.toString('base64')}` }), 'send the same image');
    assert.equal(typeof sent.messageId, 'string');
    assert.equal((await call('GET', `/media/${'0'.repeat(64)}`)).status, 404);
    assert.equal((await call('POST', '/media/upload', undefined, { form: new FormData() })).status, 400);
  });

  it('creates a newsletter and posts to it', async () => {
    const created = ok(await call('POST', '/newsletters', { name: 'News', description: 'Daily' }), 'create newsletter');
    const id = created.data.id as string;
    assert.match(id, /@newsletter$/);
    const posted = ok(await call('POST', `/newsletters/${id}/messages`, { text: 'First post' }), 'post');
    assert.deepEqual(Object.keys(posted).sort(), ['messageId', 'success']);
    await eventually('/newsletters', (body) => (body.data as Value[]).some((n) => n.id === id), 'the newsletter listed');
    const empty = await call('POST', `/newsletters/${id}/messages`, {});
    assert.deepEqual([empty.status, empty.body.error.field], [400, 'body']);
  });
});
