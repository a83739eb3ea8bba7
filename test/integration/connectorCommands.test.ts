import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConnectorHarness, textOf, waitFor, type Value } from '../helpers/index.js';

/**
 * Every command type of schemas/README.md through the real broker, an in-process connector and
 * the simulator over HTTP: one result each, with the right status and result record, and the
 * events it caused on the right topic with causationId = commandId and source COMMAND.
 */

const A = 'cmds-a';
const B = 'cmds-b';
const A_PHONE = '15550300001';
const B_PHONE = '15550300002';
const A_JID = `${A_PHONE}@s.whatsapp.net`;
const B_JID = `${B_PHONE}@s.whatsapp.net`;
/** Simulator phones: on WhatsApp, but no account of ours. */
const C_JID = '15550300003@s.whatsapp.net';
const D_JID = '15550300004@s.whatsapp.net';
/** The simulator's rule: numbers starting with 000 are not on WhatsApp. */
const NOBODY = '0005550300009';

type Topic = 'conversation' | 'account' | 'presence';
/** An event caused by a command, with the topic it was read from. */
interface Caused {
  topic: Topic;
  value: Value;
}

describe('every command type against the simulator (real broker, real HTTP)', () => {
  let h: ConnectorHarness;
  /** Every command written, to check at the end that each has exactly one result. */
  const issued: string[] = [];

  before(async () => {
    h = await ConnectorHarness.start({ partitions: 2 });
    await h.startConnector();
    await h.linkedAccount(A, A_PHONE, { name: 'Acme A' });
    await h.linkedAccount(B, B_PHONE, { name: 'Acme B' });
  });

  after(async () => {
    await h?.stop();
    assert.deepEqual(h?.fatal, []);
  });

  function topicOf(name: string): Topic {
    if (name === h.topics.conversation.name) return 'conversation';
    if (name === h.topics.account.name) return 'account';
    if (name === h.topics.presence.name) return 'presence';
    throw new Error(`unexpected topic ${name}`);
  }

  function causedBy(commandId: string): Caused[] {
    return h.events.records
      .filter((r) => r.value)
      .map((r) => ({ topic: topicOf(r.topic), value: h.codec.decode<Value>(r.value!).value }))
      .filter((e) => e.value.causationId === commandId);
  }

  async function send(accountId: string, type: string, payloadName: string, payload: Value, options: { deadline?: number } = {}): Promise<{ commandId: string; result: Value }> {
    const commandId = await h.command(accountId, type, payloadName, payload, options);
    issued.push(commandId);
    const [result] = await h.resultsFor(commandId);
    assert.equal(result!.type, type);
    assert.equal(result!.accountId, accountId);
    assert.equal(result!.replayed, false);
    return { commandId, result: result! };
  }

  /**
   * Runs a command that must succeed; checks its events (type@topic, in any order) are exactly
   * those the result lists, each caused by the command with source COMMAND. Returns the record
   * of the expected result branch ({} when none) and the events.
   */
  async function ok(
    accountId: string,
    type: string,
    payloadName: string,
    payload: Value,
    expected: { result: string | null; events: string[] },
  ): Promise<{ commandId: string; record: Value; events: Value[] }> {
    const { commandId, result } = await send(accountId, type, payloadName, payload);
    assert.equal(result.status, 'SUCCEEDED', `${type}: ${JSON.stringify(result.error)}`);
    assert.equal(result.error, null);
    if (expected.result === null) assert.equal(result.result, null, `${type} has no result record`);
    else assert.deepEqual(Object.keys(result.result ?? {}), [expected.result], `${type} result branch`);
    const ids = result.eventIds as string[];
    const caused = await waitFor(() => {
      const found = causedBy(commandId);
      return ids.every((id) => found.some((e) => e.value.eventId === id)) ? found : null;
    }, `the events of ${type}`);
    assert.deepEqual(caused.map((e) => e.value.eventId).sort(), [...ids].sort(), `${type}: the result lists every event it caused`);
    for (const { value } of caused) {
      assert.equal(value.source, 'COMMAND', `${type} → ${value.type} source`);
      assert.equal(value.accountId, accountId);
      assert.equal(value.correlationId, `test-${commandId}`);
      assert.equal(value.driver, 'simulator');
    }
    assert.deepEqual(caused.map((e) => `${e.value.type}@${e.topic}`).sort(), [...expected.events].sort(), `${type} events`);
    return { commandId, record: expected.result === null ? {} : result.result[expected.result], events: caused.map((e) => e.value) };
  }

  /** Runs a command that must not succeed: the status, the error code, no result, no event. */
  async function notOk(accountId: string, type: string, payloadName: string, payload: Value, status: string, code: string): Promise<Value> {
    const { commandId, result } = await send(accountId, type, payloadName, payload);
    assert.equal(result.status, status, `${type}: ${JSON.stringify(result.error)}`);
    assert.equal(result.error.code, code, `${type}: ${JSON.stringify(result.error)}`);
    assert.ok(result.error.message.length > 0);
    assert.equal(result.result, null);
    assert.deepEqual(result.eventIds, []);
    assert.deepEqual(causedBy(commandId), []);
    return result.error;
  }

  const data = (event: Value, branch: string): Value => event.data[`wa.${branch}`];
  const text = (t: string): Value => ({ 'wa.conversation.TextContent': { text: t } });
  const sendText = (accountId: string, to: string, t: string, extra: Value = {}) =>
    ok(accountId, 'message.send', 'SendMessage', { to, content: text(t), ...extra }, { result: 'wa.commands.MessageSentResult', events: ['message.sent@conversation'] });

  /** What the simulator recorded of a message the account sent. */
  async function outboxEntry(accountId: string, messageId: string): Promise<Value> {
    const { messages } = await h.simGet(`/sim/outbox?accountId=${accountId}`);
    const entry = (messages as Value[]).find((m) => m.messageId === messageId);
    assert.ok(entry, `the simulator recorded ${messageId}`);
    return entry;
  }
  const simAccount = (accountId: string): Promise<Value> => h.simGet(`/sim/accounts/${accountId}`);

  it('account.update: AccountResult with the new settings and account.updated', async () => {
    const { record, events } = await ok(A, 'account.update', 'UpdateAccount', { name: 'Acme Support', department: 'support' }, {
      result: 'wa.commands.AccountResult',
      events: ['account.updated@account'],
    });
    assert.equal(record.name, 'Acme Support');
    assert.equal(record.department, 'support');
    assert.equal(record.state, 'CONNECTED');
    assert.equal(record.meJid?.split(':')[0].split('@')[0], A_PHONE);
    assert.equal(data(events[0]!, 'account.AccountUpdated').name, 'Acme Support');
  });

  it('message.send: text, every media kind, location, live location, contact(s), poll and link preview reach the simulator and Kafka', async () => {
    const image = await h.media.put(Buffer.from('fake jpeg bytes'), { mimetype: 'image/jpeg' });
    const video = await h.media.put(Buffer.from('fake mp4 bytes'), { mimetype: 'video/mp4' });
    const audio = await h.media.put(Buffer.from('fake mp3 bytes'), { mimetype: 'audio/mpeg' });
    const voice = await h.media.put(Buffer.from('fake opus bytes'), { mimetype: 'audio/ogg; codecs=opus' });
    const pdf = await h.media.put(Buffer.from('%PDF-1.4 fake'), { mimetype: 'application/pdf' });
    const sticker = await h.media.put(Buffer.from('fake webp bytes'), { mimetype: 'image/webp' });
    const thumb = Buffer.from('thumb');
    const vcard = (name: string, phone: string) => `BEGIN:VCARD\nVERSION:3.0\nFN:${name}\nTEL;type=CELL;waid=${phone}:+${phone}\nEND:VCARD`;
    const cases: Array<{ name: string; content: Value; branch: string; sim: string; media?: { sha256: string } }> = [
      { name: 'text', content: text('hello C'), branch: 'TextContent', sim: 'text' },
      { name: 'image', content: { 'wa.conversation.ImageContent': { media: { mediaId: image.mediaId, width: 4, height: 3, jpegThumbnail: thumb }, caption: 'a picture' } }, branch: 'ImageContent', sim: 'image', media: image },
      { name: 'video', content: { 'wa.conversation.VideoContent': { media: { mediaId: video.mediaId, jpegThumbnail: thumb, seconds: 2 }, caption: 'a film' } }, branch: 'VideoContent', sim: 'video', media: video },
      { name: 'audio', content: { 'wa.conversation.AudioContent': { media: { mediaId: audio.mediaId, seconds: 3 } } }, branch: 'AudioContent', sim: 'audio', media: audio },
      { name: 'voice', content: { 'wa.conversation.AudioContent': { media: { mediaId: voice.mediaId, seconds: 3 }, ptt: true, waveform: Buffer.alloc(64, 7) } }, branch: 'AudioContent', sim: 'voice', media: voice },
      { name: 'document', content: { 'wa.conversation.DocumentContent': { media: { mediaId: pdf.mediaId, fileName: 'terms.pdf' }, caption: 'the terms' } }, branch: 'DocumentContent', sim: 'document', media: pdf },
      { name: 'sticker', content: { 'wa.conversation.StickerContent': { media: { mediaId: sticker.mediaId } } }, branch: 'StickerContent', sim: 'sticker', media: sticker },
      { name: 'location', content: { 'wa.conversation.LocationContent': { latitude: 52.37, longitude: 4.89, name: 'Dam', address: 'Amsterdam' } }, branch: 'LocationContent', sim: 'location' },
      { name: 'live location', content: { 'wa.conversation.LiveLocationContent': { latitude: 52.37, longitude: 4.9, caption: 'on my way', sequenceNumber: 1 } }, branch: 'LiveLocationContent', sim: 'location' },
      { name: 'contact', content: { 'wa.conversation.ContactContent': { displayName: 'Dana', vcard: vcard('Dana', '15550300004') } }, branch: 'ContactContent', sim: 'contact' },
      {
        name: 'contacts',
        content: { 'wa.conversation.ContactsArrayContent': { displayName: '2 contacts', contacts: [{ vcard: vcard('Dana', '15550300004') }, { vcard: vcard('Eve', '15550300005') }] } },
        branch: 'ContactsArrayContent',
        sim: 'contact',
      },
      { name: 'poll', content: { 'wa.conversation.PollCreationContent': { name: 'Lunch?', options: ['pizza', 'sushi'], selectableCount: 1 } }, branch: 'PollCreationContent', sim: 'poll' },
      {
        name: 'link preview',
        content: { 'wa.conversation.TextContent': { text: 'see https://example.com/bikes', linkPreview: { url: 'https://example.com/bikes', matchedText: 'https://example.com/bikes', title: 'Bikes', description: 'All the bikes' } } },
        branch: 'TextContent',
        sim: 'text',
      },
    ];
    for (const c of cases) {
      const { record, events } = await ok(A, 'message.send', 'SendMessage', { to: C_JID, content: c.content }, { result: 'wa.commands.MessageSentResult', events: ['message.sent@conversation'] });
      assert.equal(record.chatJid, C_JID, c.name);
      assert.equal(record.status, 'SERVER_ACK', c.name);
      const message = data(events[0]!, 'conversation.MessageRecorded').message;
      assert.equal(message.key.id, record.messageId, c.name);
      assert.equal(message.key.fromMe, true, c.name);
      assert.deepEqual(Object.keys(message.content), [`wa.conversation.${c.branch}`], c.name);
      assert.equal(events[0]!.chatJid, C_JID);
      const entry = await outboxEntry(A, record.messageId);
      assert.equal(entry.type, c.sim, c.name);
      if (c.media) assert.equal(entry.media?.sha256, c.media.sha256, `${c.name}: the simulator decrypted the very bytes of the media store`);
      if (c.name === 'voice') assert.equal(message.content['wa.conversation.AudioContent'].ptt, true);
      if (c.name === 'link preview') assert.equal(message.content['wa.conversation.TextContent'].linkPreview?.title, 'Bikes');
      if (c.name === 'poll') assert.deepEqual(message.content['wa.conversation.PollCreationContent'].options, ['pizza', 'sushi']);
    }
    await notOk(A, 'message.send', 'SendMessage', { to: C_JID, content: { 'wa.conversation.ImageContent': { media: { mediaId: 'f'.repeat(64) } } } }, 'FAILED', 'MEDIA_NOT_FOUND');
  });

  let inboundId = '';
  let ownText = '';

  it('reply and mentions, message.react, message.edit, message.delete (for everyone, for me), message.star/unstar, message.pin/unpin', async () => {
    // B writes to A, so A has a message of someone else to act on.
    const fromB = await sendText(B, A_JID, 'question from B');
    inboundId = fromB.record.messageId;
    await h.event((e) => e.accountId === A && e.type === 'message.received' && e.data['wa.conversation.MessageRecorded'].message.key.id === inboundId, 'A receives B');

    const reply = await sendText(A, B_JID, 'answer to B', { quoted: { chatJid: B_JID, messageId: inboundId, fromMe: false } });
    assert.equal(data(reply.events[0]!, 'conversation.MessageRecorded').message.contextInfo?.quotedMessageId, inboundId);
    assert.equal((await outboxEntry(A, reply.record.messageId)).quotedMessageId, inboundId);

    const mention = await sendText(A, B_JID, `hi @${B_PHONE}`, { mentions: [B_JID] });
    assert.deepEqual(data(mention.events[0]!, 'conversation.MessageRecorded').message.contextInfo?.mentionedJids, [B_JID]);
    ownText = mention.record.messageId;
    // B, linked to the same simulator, receives what A sent.
    await h.event((e) => e.accountId === B && e.type === 'message.received' && textOf(e) === `hi @${B_PHONE}`, 'B receives the mention');

    const react = await ok(A, 'message.react', 'ReactToMessage', { target: { chatJid: B_JID, messageId: inboundId, fromMe: false }, emoji: '👍' }, {
      result: 'wa.commands.MessageSentResult',
      events: ['message.reaction@conversation'],
    });
    const reaction = data(react.events[0]!, 'conversation.MessageReacted');
    assert.equal(reaction.reaction.targetKey.id, inboundId);
    assert.equal(reaction.reaction.text, '👍');
    const reacted = await outboxEntry(A, react.record.messageId);
    assert.equal(reacted.type, 'reaction');
    assert.equal(reacted.targetMessageId, inboundId);

    const edit = await ok(A, 'message.edit', 'EditMessage', { target: { chatJid: B_JID, messageId: ownText, fromMe: true }, text: 'hi B (edited)' }, {
      result: 'wa.commands.MessageSentResult',
      events: ['message.edited@conversation'],
    });
    assert.equal(data(edit.events[0]!, 'conversation.MessageEdited').targetKey.id, ownText);
    assert.equal((await outboxEntry(A, ownText)).editedText, 'hi B (edited)');

    const star = await ok(A, 'message.star', 'StarMessage', { target: { chatJid: B_JID, messageId: inboundId, fromMe: false } }, { result: null, events: ['message.starred@conversation'] });
    assert.equal(data(star.events[0]!, 'conversation.MessageStarChanged').starred, true);
    const unstar = await ok(A, 'message.unstar', 'StarMessage', { target: { chatJid: B_JID, messageId: inboundId, fromMe: false } }, { result: null, events: ['message.unstarred@conversation'] });
    assert.equal(data(unstar.events[0]!, 'conversation.MessageStarChanged').starred, false);

    const pin = await ok(A, 'message.pin', 'PinMessage', { target: { chatJid: B_JID, messageId: inboundId, fromMe: false }, durationSeconds: 3_600 }, {
      result: 'wa.commands.MessageSentResult',
      events: ['message.pinned@conversation'],
    });
    const pinned = data(pin.events[0]!, 'conversation.MessagePinChanged');
    assert.equal(pinned.targetKey.id, inboundId);
    assert.equal(pinned.durationSeconds, 86_400, 'the shortest duration WhatsApp accepts that covers an hour');
    await outboxEntry(A, pin.record.messageId);
    await ok(A, 'message.unpin', 'PinMessage', { target: { chatJid: B_JID, messageId: inboundId, fromMe: false } }, { result: 'wa.commands.MessageSentResult', events: ['message.unpinned@conversation'] });

    const revoke = await ok(A, 'message.delete', 'DeleteMessage', { target: { chatJid: B_JID, messageId: ownText, fromMe: true }, forEveryone: true }, {
      result: 'wa.commands.MessageSentResult',
      events: ['message.deleted@conversation'],
    });
    const revoked = data(revoke.events[0]!, 'conversation.MessageDeleted');
    assert.equal(revoked.targetKey.id, ownText);
    assert.equal(revoked.scope, 'FOR_EVERYONE');
    assert.equal((await outboxEntry(A, ownText)).revoked, true);

    const forMe = await ok(A, 'message.delete', 'DeleteMessage', { target: { chatJid: B_JID, messageId: inboundId, fromMe: false }, forEveryone: false }, {
      result: null,
      events: ['message.deleted@conversation'],
    });
    const deleted = data(forMe.events[0]!, 'conversation.MessageDeleted');
    assert.equal(deleted.targetKey.id, inboundId);
    assert.equal(deleted.scope, 'FOR_ME');
  });

  it('message.forward: the message is sent again to each target with a ForwardResult', async () => {
    const source = await sendText(B, A_JID, 'worth forwarding');
    const sourceId = source.record.messageId as string;
    await h.event((e) => e.accountId === A && e.type === 'message.received' && e.data['wa.conversation.MessageRecorded'].message.key.id === sourceId, 'A receives the message to forward');
    const forward = await ok(A, 'message.forward', 'ForwardMessage', { source: { chatJid: B_JID, messageId: sourceId, fromMe: false }, to: [C_JID, D_JID] }, {
      result: 'wa.commands.ForwardResult',
      events: ['message.sent@conversation', 'message.sent@conversation'],
    });
    assert.deepEqual(forward.record.results.map((r: Value) => [r.to, r.error]), [[C_JID, null], [D_JID, null]]);
    for (const r of forward.record.results as Value[]) assert.equal((await outboxEntry(A, r.messageId)).text, 'worth forwarding');
    for (const e of forward.events) assert.equal(data(e, 'conversation.MessageRecorded').message.contextInfo?.isForwarded, true);
  });

  it('chat.archive/unarchive/pin/unpin/mute/unmute/read/delete: chat.updated or chat.deleted, and the simulator keeps the chat state', async () => {
    const chat = async (type: string, payload: Value, events = ['chat.updated@conversation']): Promise<Value> => {
      const { events: caused } = await ok(A, type, 'ModifyChat', { chatJid: B_JID, ...payload }, { result: null, events });
      assert.equal(caused[0]!.chatJid, B_JID);
      return caused[0]!.data[events[0] === 'chat.deleted@conversation' ? 'wa.conversation.ChatDeleted' : 'wa.conversation.ChatChanged'];
    };
    const simChat = async (): Promise<Value> => (await simAccount(A)).chats[B_JID];
    assert.equal((await chat('chat.archive', {})).archived, true);
    assert.equal((await simChat()).archived, true);
    assert.equal((await chat('chat.unarchive', {})).archived, false);
    assert.equal((await simChat()).archived, false);
    assert.equal((await chat('chat.pin', {})).pinned, true);
    assert.equal((await simChat()).pinned, true);
    assert.equal((await chat('chat.unpin', {})).pinned, false);
    const muted = await chat('chat.mute', { muteDurationSeconds: 3_600 });
    assert.equal(muted.muted, true);
    assert.ok(muted.mutedUntil > Date.now());
    assert.ok((await simChat()).muteEndTime > Date.now());
    assert.equal((await chat('chat.unmute', {})).muted, false);
    assert.equal((await simChat()).muteEndTime, null);
    const lastMessageKey = { remoteJid: B_JID, id: inboundId, fromMe: false };
    assert.equal((await chat('chat.read', { lastMessageKey, lastMessageAt: Date.now() })).unreadCount, 0);
    // The read receipt reaches B's phone: its sent message turns blue.
    await waitFor(async () => (await outboxEntry(B, inboundId)).status === 'read', 'B sees its message read');
    await chat('chat.delete', { lastMessageKey, lastMessageAt: Date.now() }, ['chat.deleted@conversation']);
    assert.equal((await simChat()).deleted, true);
  });

  it('contact.check, contact.block and contact.unblock', async () => {
    const { record } = await ok(A, 'contact.check', 'CheckPhones', { phones: [`+${B_PHONE}`, NOBODY] }, { result: 'wa.commands.ContactCheckResult', events: [] });
    assert.deepEqual(
      record.results.map((r: Value) => [r.phone, r.exists, r.jid]),
      [
        [`+${B_PHONE}`, true, B_JID],
        [NOBODY, false, null],
      ],
    );
    const block = await ok(A, 'contact.block', 'ContactTarget', { jid: D_JID }, { result: null, events: ['blocklist.changed@account'] });
    assert.deepEqual(data(block.events[0]!, 'account.BlocklistChanged'), { action: 'ADD', jids: [D_JID] });
    assert.deepEqual((await simAccount(A)).blocklist, [D_JID]);
    const unblock = await ok(A, 'contact.unblock', 'ContactTarget', { jid: D_JID }, { result: null, events: ['blocklist.changed@account'] });
    assert.deepEqual(data(unblock.events[0]!, 'account.BlocklistChanged'), { action: 'REMOVE', jids: [D_JID] });
    assert.deepEqual((await simAccount(A)).blocklist, []);
  });

  it('profile.fetch, profile.update, profile.picture.update, business.profile.fetch and business.profile.update', async () => {
    const other = await ok(A, 'profile.fetch', 'FetchProfile', { jid: B_JID }, { result: 'wa.account.Profile', events: [] });
    assert.equal(other.record.jid, B_JID);
    assert.equal(other.record.statusText, 'Hey there! I am using WhatsApp.');
    assert.equal(other.record.pictureState, 'REMOVED');

    const updated = await ok(A, 'profile.update', 'UpdateProfile', { name: 'Acme Renamed', statusText: 'Mon-Fri 9-17' }, { result: 'wa.account.Profile', events: ['profile.updated@account'] });
    assert.equal(updated.record.name, 'Acme Renamed');
    assert.equal(updated.record.statusText, 'Mon-Fri 9-17');
    assert.deepEqual((({ jid, name, statusText }) => ({ jid, name, statusText }))(data(updated.events[0]!, 'account.Profile')), { jid: A_JID, name: 'Acme Renamed', statusText: 'Mon-Fri 9-17' });
    const account = await simAccount(A);
    assert.equal(account.name, 'Acme Renamed');
    assert.equal(account.profile.status, 'Mon-Fri 9-17');
    const own = await ok(A, 'profile.fetch', 'FetchProfile', {}, { result: 'wa.account.Profile', events: [] });
    assert.equal(own.record.jid, A_JID);
    assert.equal(own.record.statusText, 'Mon-Fri 9-17');

    const picture = await h.media.put(Buffer.from('fake profile jpeg'), { mimetype: 'image/jpeg' });
    const pictured = await ok(A, 'profile.picture.update', 'UpdateProfilePicture', { mediaId: picture.mediaId }, { result: 'wa.account.Profile', events: ['profile.updated@account'] });
    assert.equal(pictured.record.pictureState, 'CHANGED');
    assert.equal(data(pictured.events[0]!, 'account.Profile').pictureState, 'CHANGED');
    assert.ok(pictured.record.pictureUrl.endsWith(`/sim/media/${picture.sha256}`));
    assert.equal((await simAccount(A)).profile.hasPicture, true);

    // Not a business yet: the documented failure.
    await notOk(A, 'business.profile.fetch', 'FetchProfile', {}, 'FAILED', 'NOT_A_BUSINESS');
    const business = await ok(A, 'business.profile.update', 'UpdateBusinessProfile', { description: 'Bikes', email: 'shop@example.com', websites: ['https://bikes.example.com'], address: 'Main St 1' }, {
      result: 'wa.account.BusinessProfile',
      events: ['business.profile@account'],
    });
    assert.equal(business.events[0]!.data['wa.account.BusinessProfile'].description, 'Bikes');
    assert.equal(business.record.description, 'Bikes');
    assert.deepEqual(business.record.websites, ['https://bikes.example.com']);
    assert.equal((await simAccount(A)).profile.business.email, 'shop@example.com');
    const fetched = await ok(A, 'business.profile.fetch', 'FetchProfile', {}, { result: 'wa.account.BusinessProfile', events: [] });
    assert.equal(fetched.record.jid, A_JID);
    assert.equal(fetched.record.email, 'shop@example.com');
  });

  it('group.create/update, participants add/remove/promote/demote, invite get/revoke and group.leave', async () => {
    const created = await ok(A, 'group.create', 'CreateGroup', { subject: 'Riders', participants: [B_JID, C_JID], description: 'Weekend rides' }, {
      result: 'wa.account.GroupMetadata',
      events: ['group.upserted@account'],
    });
    const groupJid = created.record.id as string;
    assert.match(groupJid, /@g\.us$/);
    assert.equal(created.record.subject, 'Riders');
    assert.equal(created.record.description, 'Weekend rides');
    assert.equal(data(created.events[0]!, 'account.GroupMetadata').id, groupJid);
    const group = (): Promise<Value> => h.simGet(`/sim/groups/${groupJid}`);
    const members = async (): Promise<string[][]> => ((await group()).participants as Value[]).map((p) => [p.jid, p.admin]).sort();
    assert.deepEqual(await members(), [
      [A_JID, 'superadmin'],
      [B_JID, null],
      [C_JID, null],
    ]);
    // B, a linked account, learns of the group from WhatsApp.
    await h.event((e) => e.accountId === B && e.type === 'group.upserted' && e.chatJid === groupJid, 'B learns of the group');

    const updated = await ok(A, 'group.update', 'UpdateGroup', { groupJid, subject: 'Riders Club', description: 'Sunday rides', announce: true }, {
      result: 'wa.account.GroupMetadata',
      events: ['group.updated@account'],
    });
    assert.equal(updated.record.subject, 'Riders Club');
    assert.equal(updated.record.announce, true);
    assert.equal((await group()).subject, 'Riders Club');
    assert.equal((await group()).desc, 'Sunday rides');

    const participants = async (type: string, jids: string[], codes: number[], events: string[]): Promise<Value[]> => {
      const changed = await ok(A, type, 'ChangeGroupParticipants', { groupJid, participants: jids }, { result: 'wa.commands.GroupParticipantsResult', events });
      assert.equal(changed.record.groupJid, groupJid);
      assert.deepEqual(changed.record.results.map((r: Value) => [r.jid, r.statusCode]), jids.map((j, i) => [j, codes[i]]));
      return changed.events;
    };
    const [added] = await participants('group.participants.add', [D_JID, `${NOBODY}@s.whatsapp.net`], [200, 404], ['group.participants@account']);
    assert.equal(data(added!, 'account.GroupParticipantsChanged').action, 'ADD');
    assert.deepEqual(data(added!, 'account.GroupParticipantsChanged').participants.map((p: Value) => p.jid), [D_JID]);
    await participants('group.participants.promote', [D_JID], [200], ['group.participants@account']);
    assert.ok((await members()).some(([jid, admin]) => jid === D_JID && admin === 'admin'));
    await participants('group.participants.demote', [D_JID], [200], ['group.participants@account']);
    assert.ok((await members()).some(([jid, admin]) => jid === D_JID && admin === null));
    const [removed] = await participants('group.participants.remove', [C_JID], [200], ['group.participants@account']);
    assert.equal(data(removed!, 'account.GroupParticipantsChanged').action, 'REMOVE');
    assert.ok(!(await members()).some(([jid]) => jid === C_JID));
    // Nothing changed: a result per participant and no event.
    await participants('group.participants.remove', [C_JID], [404], []);

    const invite = await ok(A, 'group.invite.get', 'GroupTarget', { groupJid }, { result: 'wa.commands.InviteLinkResult', events: [] });
    assert.equal(invite.record.code, (await group()).inviteCode);
    assert.equal(invite.record.url, `https://chat.whatsapp.com/${invite.record.code}`);
    const revoked = await ok(A, 'group.invite.revoke', 'GroupTarget', { groupJid }, { result: 'wa.commands.InviteLinkResult', events: ['group.updated@account'] });
    assert.notEqual(revoked.record.code, invite.record.code);
    assert.equal(revoked.record.code, (await group()).inviteCode);

    const sent = await sendText(A, groupJid, 'hello riders');
    assert.equal(sent.record.chatJid, groupJid);
    await h.event((e) => e.accountId === B && e.type === 'message.received' && e.chatJid === groupJid && textOf(e) === 'hello riders', 'B receives the group message');

    const left = await ok(A, 'group.leave', 'GroupTarget', { groupJid }, { result: null, events: ['group.participants@account'] });
    const leaving = data(left.events[0]!, 'account.GroupParticipantsChanged');
    assert.equal(leaving.action, 'REMOVE');
    assert.deepEqual(leaving.participants.map((p: Value) => p.jid), [A_JID]);
    assert.ok(!(await members()).some(([jid]) => jid === A_JID));
    // A is no longer a member: WhatsApp refuses, and the command says so.
    await notOk(A, 'group.invite.get', 'GroupTarget', { groupJid }, 'FAILED', 'FORBIDDEN');
  });

  it('story.post and story.delete', async () => {
    const posted = await ok(A, 'story.post', 'PostStory', { content: { 'wa.conversation.TextContent': { text: 'Open today', backgroundArgb: 0xff25d366, font: 2 } }, audienceJids: [B_JID, C_JID] }, {
      result: 'wa.commands.MessageSentResult',
      events: ['story.posted@conversation'],
    });
    assert.equal(posted.record.chatJid, 'status@broadcast');
    assert.equal(textOf(posted.events[0]!), 'Open today');
    const storyId = posted.record.messageId as string;
    const entry = await outboxEntry(A, storyId);
    assert.equal(entry.chatJid, 'status@broadcast');
    assert.equal(entry.text, 'Open today');
    const removed = await ok(A, 'story.delete', 'DeleteStory', { storyId, audienceJids: [B_JID, C_JID] }, { result: null, events: ['story.deleted@conversation'] });
    assert.equal(data(removed.events[0]!, 'conversation.MessageDeleted').targetKey.id, storyId);
    assert.equal((await outboxEntry(A, storyId)).revoked, true);
  });

  it('story.post naming nobody goes to the people the account talked to lately', async () => {
    await ok(A, 'message.send', 'SendMessage', { to: D_JID, content: { 'wa.conversation.TextContent': { text: 'hello D' } } }, { result: 'wa.commands.MessageSentResult', events: ['message.sent@conversation'] });
    const posted = await ok(A, 'story.post', 'PostStory', { content: { 'wa.conversation.TextContent': { text: 'For my contacts' } }, audienceJids: [] }, {
      result: 'wa.commands.MessageSentResult',
      events: ['story.posted@conversation'],
    });
    const entry = await outboxEntry(A, posted.record.messageId as string);
    assert.equal(entry.chatJid, 'status@broadcast');
  });

  it('label.create/delete and label.chat.add/remove', async () => {
    const created = await ok(A, 'label.create', 'CreateLabel', { name: 'VIP', color: 3 }, { result: 'wa.account.Label', events: ['label.upserted@account'] });
    const labelId = created.record.labelId as string;
    assert.equal(created.record.name, 'VIP');
    assert.equal(data(created.events[0]!, 'account.Label').labelId, labelId);
    assert.ok((await simAccount(A)).labels.some((l: Value) => l.id === labelId && l.name === 'VIP' && !l.deleted));

    const added = await ok(A, 'label.chat.add', 'LabelChat', { labelId, chatJid: C_JID }, { result: null, events: ['label.association@account'] });
    assert.deepEqual(
      (({ labelId: id, chatJid, action }) => ({ id, chatJid, action }))(data(added.events[0]!, 'account.LabelAssociation')),
      { id: labelId, chatJid: C_JID, action: 'ADD' },
    );
    assert.deepEqual((await simAccount(A)).chats[C_JID].labels, [labelId]);
    const removed = await ok(A, 'label.chat.remove', 'LabelChat', { labelId, chatJid: C_JID }, { result: null, events: ['label.association@account'] });
    assert.equal(data(removed.events[0]!, 'account.LabelAssociation').action, 'REMOVE');
    assert.deepEqual((await simAccount(A)).chats[C_JID].labels, []);

    const deleted = await ok(A, 'label.delete', 'LabelTarget', { labelId }, { result: null, events: ['label.deleted@account'] });
    assert.equal(data(deleted.events[0]!, 'account.Label').deleted, true);
    assert.ok((await simAccount(A)).labels.some((l: Value) => l.id === labelId && l.deleted));
  });

  it('newsletter.create and newsletter.send', async () => {
    const created = await ok(A, 'newsletter.create', 'CreateNewsletter', { name: 'Bike news', description: 'Weekly' }, { result: 'wa.account.NewsletterMetadata', events: ['newsletter.upserted@account'] });
    const newsletterJid = created.record.jid as string;
    assert.match(newsletterJid, /@newsletter$/);
    assert.equal(created.record.name, 'Bike news');
    assert.ok((await simAccount(A)).newsletters.some((n: Value) => n.id === newsletterJid));
    const sent = await ok(A, 'newsletter.send', 'SendMessage', { to: newsletterJid, content: text('first issue') }, {
      result: 'wa.commands.MessageSentResult',
      events: ['message.sent@conversation'],
    });
    assert.equal(sent.events[0]!.chatJid, newsletterJid);
    assert.equal((await outboxEntry(A, sent.record.messageId)).text, 'first issue');
  });

  it('account.connect with PAIRING_CODE: the result carries the code, connection.pairing_code is on Kafka, and entering it links the account', async () => {
    const P = 'cmds-pairing';
    const P_PHONE = '15550300006';
    await ok(P, 'account.create', 'CreateAccount', { name: 'Paired', autoConnect: false }, { result: 'wa.commands.AccountResult', events: ['account.created@account'] });
    const connect = await ok(P, 'account.connect', 'ConnectAccount', { method: 'PAIRING_CODE', phoneNumber: P_PHONE }, {
      result: 'wa.commands.ConnectResult',
      events: ['connection.state@account'],
    });
    assert.equal(connect.record.state, 'PAIRING');
    const code = connect.record.pairingCode as string;
    assert.match(code, /^[A-Z0-9]{8}$/);
    assert.equal(data(connect.events[0]!, 'account.ConnectionStateChanged').state, 'CONNECTING');
    const issuedCode = await h.event((e) => e.accountId === P && e.type === 'connection.pairing_code', 'connection.pairing_code');
    assert.equal(data(issuedCode, 'account.PairingCodeIssued').code, code);
    assert.equal(data(issuedCode, 'account.PairingCodeIssued').phoneNumber, P_PHONE);
    assert.equal((await simAccount(P)).pairingCode, code);
    await h.sim('/sim/link', { accountId: P, phone: P_PHONE, code });
    await h.event((e) => e.accountId === P && e.type === 'connection.state' && data(e, 'account.ConnectionStateChanged').state === 'CONNECTED', 'paired account connected');
    await sendText(P, C_JID, 'paired and sending');
  });

  it('account.disconnect, account.connect with saved credentials, account.logout, account.delete and account.create again', async () => {
    const sendToC = { to: C_JID, content: text('while away') };
    const disconnected = await ok(A, 'account.disconnect', 'EndSession', {}, { result: null, events: ['connection.state@account'] });
    assert.equal(data(disconnected.events[0]!, 'account.ConnectionStateChanged').state, 'DISCONNECTED');
    assert.equal((await simAccount(A)).session, null);
    await notOk(A, 'message.send', 'SendMessage', sendToC, 'REJECTED', 'NOT_CONNECTED');

    const reconnected = await ok(A, 'account.connect', 'ConnectAccount', { method: 'QR' }, { result: 'wa.commands.ConnectResult', events: ['connection.state@account'] });
    assert.equal(reconnected.record.state, 'CONNECTED', 'the saved credentials connect without a new link');
    assert.equal(reconnected.record.qr, null);
    assert.equal(reconnected.record.mePhone, A_PHONE);
    assert.equal((await simAccount(A)).linked, true);
    await sendText(A, C_JID, 'back again');

    const loggedOut = await ok(A, 'account.logout', 'EndSession', { reason: 'test' }, { result: null, events: ['connection.state@account'] });
    assert.equal(data(loggedOut.events[0]!, 'account.ConnectionStateChanged').state, 'LOGGED_OUT');
    assert.equal((await simAccount(A)).linked, false, 'the phone no longer lists the device');
    await notOk(A, 'message.send', 'SendMessage', sendToC, 'REJECTED', 'LOGGED_OUT');

    const deleted = await ok(A, 'account.delete', 'DeleteAccount', { purgeData: true }, { result: null, events: ['account.deleted@account'] });
    assert.equal(data(deleted.events[0]!, 'account.AccountDeleted').purgeData, true);
    await notOk(A, 'account.update', 'UpdateAccount', { name: 'ghost' }, 'REJECTED', 'ACCOUNT_NOT_FOUND');
    await notOk(A, 'message.send', 'SendMessage', sendToC, 'REJECTED', 'ACCOUNT_NOT_FOUND');

    // Created again, connecting by itself (autoConnect): a new device, so a QR code to scan.
    const again = await ok(A, 'account.create', 'CreateAccount', { name: 'Acme again' }, {
      result: 'wa.commands.AccountResult',
      events: ['account.created@account', 'connection.state@account'],
    });
    assert.equal(again.record.name, 'Acme again');
    assert.equal(again.record.meJid, null);
    assert.equal(again.record.state, 'QR');
    await h.sim('/sim/link', { accountId: A, phone: A_PHONE });
    await waitFor(() => causedBy(again.commandId).length === 2 && h.allEvents().some((e) => e.accountId === A && e.type === 'connection.state' && e.sequence > again.events[1]!.sequence && data(e, 'account.ConnectionStateChanged').state === 'CONNECTED'), 'A linked again');
    await sendText(A, C_JID, 'linked again');
  });

  it('account.connect with PAIRING_CODE while a QR session is pending: the session switches to a pairing code', async () => {
    const Q = 'cmds-pairing-2';
    await ok(Q, 'account.create', 'CreateAccount', { name: 'QR first' }, { result: 'wa.commands.AccountResult', events: ['account.created@account', 'connection.state@account'] });
    // A near deadline bounds the wait for a code (connect waits for progress until then).
    const { result } = await send(Q, 'account.connect', 'ConnectAccount', { method: 'PAIRING_CODE', phoneNumber: '15550300007' }, { deadline: Date.now() + 2_000 });
    assert.equal(result.status, 'SUCCEEDED', JSON.stringify(result.error));
    assert.equal(result.result['wa.commands.ConnectResult'].state, 'PAIRING');
    assert.match(result.result['wa.commands.ConnectResult'].pairingCode ?? '', /^[A-Z0-9]{8}$/);
  });

  it('connection.state tells the session as it went: account.created first, CONNECTING before QR or CONNECTED, one state change per requested disconnect or logout', () => {
    const timeline = h
      .allEvents()
      .filter((e) => e.accountId === A && (e.type === 'account.created' || e.type === 'account.deleted' || e.type === 'connection.state'))
      .sort((x, y) => Number(x.sequence) - Number(y.sequence))
      .map((e) => (e.type === 'connection.state' ? data(e, 'account.ConnectionStateChanged').state : e.type))
      // A second CONNECTED (offline notifications delivered) is part of the contract.
      .filter((state, i, all) => !(state === 'CONNECTED' && all[i - 1] === 'CONNECTED'));
    assert.deepEqual(timeline, [
      'account.created', 'CONNECTING', 'QR', 'CONNECTED',
      'DISCONNECTED',
      'CONNECTING', 'CONNECTED',
      'LOGGED_OUT',
      'account.deleted',
      'account.created', 'CONNECTING', 'QR', 'CONNECTED',
    ]);
  });

  it('every command got exactly one result', async () => {
    const results = h.decoded(h.results.records);
    for (const commandId of issued) assert.equal(results.filter((r) => r.commandId === commandId).length, 1, `results of ${commandId}`);
  });
});
