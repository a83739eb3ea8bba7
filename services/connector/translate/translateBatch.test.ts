import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BaileysEventMap } from '@whiskeysockets/baileys';
import { baileysPayloads as wa } from '../../../test/helpers/index.js';
import { eventId, type DraftEvent } from '../events/index.js';
import { translateBatch, type TranslateContext } from './index.js';
import { ACCOUNT, NOW, dataOf, encodeAll, testContext } from './testContext.js';

type Rec = Record<string, unknown>;

function translate(ctx: TranslateContext, batch: Partial<BaileysEventMap> & Record<string, unknown>): DraftEvent[] {
  const events = [...translateBatch(batch, ctx)];
  encodeAll(events);
  return events;
}

describe('translateBatch: chats', () => {
  it('given a new chat, then chat.upserted with what is known and nulls for the rest', () => {
    const ctx = testContext();
    const events = translate(ctx, { 'chats.upsert': [{ id: wa.GROUP, name: 'Team', conversationTimestamp: wa.T0 }] });
    assert.deepEqual(events.map((e) => [e.type, e.chatJid, e.source, e.occurredAt]), [['chat.upserted', wa.GROUP, 'LIVE', wa.T0 * 1000]]);
    const chat = dataOf<Rec>(events[0]);
    assert.deepEqual([chat.kind, chat.name, chat.lastMessageAt, chat.archived, chat.pinned], ['GROUP', 'Team', wa.T0 * 1000, null, null]);
  });

  it('given app-state changes (archive, unpin, mute, mark unread / read), then chat.updated patches from APP_STATE_SYNC', () => {
    const ctx = testContext();
    const events = translate(ctx, {
      'chats.update': [
        { id: wa.PEER.pn, archived: true },
        { id: wa.PEER.pn, pinned: null },
        { id: wa.PEER.pn, muteEndTime: NOW + 3_600_000 },
        { id: wa.PEER.pn, unreadCount: -1 },
        { id: wa.PEER.pn, unreadCount: 0 },
      ],
    });
    assert.ok(events.every((e) => e.type === 'chat.updated' && e.source === 'APP_STATE_SYNC'));
    const patches = events.map((e) => dataOf<Rec>(e));
    assert.deepEqual([patches[0]?.archived, patches[0]?.pinned, patches[0]?.muted], [true, null, null]);
    assert.deepEqual([patches[1]?.pinned, patches[1]?.pinnedAt], [false, null]);
    assert.deepEqual([patches[2]?.muted, patches[2]?.mutedUntil], [true, NOW + 3_600_000]);
    assert.deepEqual([patches[3]?.markedAsUnread, patches[3]?.unreadCount], [true, null]);
    assert.deepEqual([patches[4]?.markedAsUnread, patches[4]?.unreadCount], [false, 0]);
  });

  it('given the chat update Baileys derives from a message it upserted, then no chat event (the message says it)', () => {
    const ctx = testContext();
    const message = wa.waMessage(wa.contents.text('x'));
    const events = translate(ctx, { 'chats.update': [{ id: wa.PEER.pn, conversationTimestamp: wa.T0, unreadCount: 1, messages: [{ message }] }] });
    assert.deepEqual(events, []);
  });

  it('given a chat update from a message that also changed the group name, then only the name is reported, LIVE', () => {
    const ctx = testContext();
    const message = wa.waMessage(null, { chat: wa.GROUP });
    const events = translate(ctx, { 'chats.update': [{ id: wa.GROUP, name: 'New name', conversationTimestamp: wa.T0, messages: [{ message }] }] });
    assert.deepEqual(events.map((e) => [e.type, e.source, dataOf<Rec>(e).name, dataOf<Rec>(e).lastMessageAt]), [['chat.updated', 'LIVE', 'New name', null]]);
  });

  it('given deleted and locked chats, then chat.deleted and chat.updated (locked) from app-state sync', () => {
    const ctx = testContext();
    const events = translate(ctx, { 'chats.delete': [wa.PEER.pn], 'chats.lock': { id: wa.OTHER.pn, locked: true } });
    assert.deepEqual(events.map((e) => [e.type, e.chatJid, e.source]), [
      ['chat.updated', wa.OTHER.pn, 'APP_STATE_SYNC'],
      ['chat.deleted', wa.PEER.pn, 'APP_STATE_SYNC'],
    ]);
    assert.equal(dataOf<Rec>(events[0]).locked, true);
    assert.equal(events[1]?.eventId, eventId('chat.deleted', ACCOUNT, [wa.PEER.pn, NOW]));
  });
});

describe('translateBatch: LID mappings', () => {
  it('given lid-mapping.update and chats.phoneNumberShare, then lid.mapping events learnt before the messages of the same batch', () => {
    const ctx = testContext();
    const events = translate(ctx, {
      ...wa.upsertBatch([wa.waMessage(wa.contents.text('hi'), { chat: wa.OTHER.lid, id: 'AFTER-MAP' })]),
      'lid-mapping.update': { lid: wa.PEER.lid, pn: wa.PEER.pn },
      'chats.phoneNumberShare': { lid: wa.OTHER.lid, jid: wa.OTHER.pn },
    });
    assert.deepEqual(events.map((e) => [e.type, e.chatJid]), [
      ['lid.mapping', wa.PEER.pn],
      ['lid.mapping', wa.OTHER.pn],
      ['message.received', wa.OTHER.pn],
    ]);
    assert.deepEqual(events.slice(0, 2).map((e) => dataOf<Rec>(e).source), ['LID_MAPPING_UPDATE', 'PHONE_NUMBER_SHARE']);
    assert.equal(events[0]?.eventId, eventId('lid.mapping', ACCOUNT, [wa.PEER.lid, wa.PEER.pn]));
    assert.equal(ctx.lids.pnForLid(wa.PEER.lid), wa.PEER.pn);
  });
});

describe('translateBatch: contacts', () => {
  it('given contacts upserted and updated, then contact.upserted / contact.updated with picture states, learning LID mappings', () => {
    const ctx = testContext();
    const events = translate(ctx, {
      'contacts.upsert': [{ id: wa.PEER.pn, lid: wa.PEER.lid, name: 'Peer Saved', notify: 'Peer' }],
      'contacts.update': [
        { id: wa.OTHER.pn, imgUrl: 'changed' },
        { id: wa.OTHER.pn, imgUrl: null },
        { id: wa.OTHER.pn, imgUrl: 'https://pps.whatsapp.net/v/abc.jpg' },
        { id: wa.OTHER.pn, notify: 'Olga', verifiedName: 'Olga Ltd' },
      ],
    });
    assert.deepEqual(events.map((e) => e.type), ['lid.mapping', 'contact.upserted', 'contact.updated', 'contact.updated', 'contact.updated', 'contact.updated']);
    assert.deepEqual(dataOf<Rec>(events[1]), {
      jid: wa.PEER.pn,
      lid: wa.PEER.lid,
      phoneNumber: wa.PEER.pn,
      name: 'Peer Saved',
      notify: 'Peer',
      verifiedName: null,
      pictureState: null,
      pictureUrl: null,
      statusText: null,
      isBusiness: null,
    });
    assert.deepEqual(events.slice(2, 5).map((e) => [dataOf<Rec>(e).pictureState, dataOf<Rec>(e).pictureUrl]), [
      ['CHANGED', null],
      ['REMOVED', null],
      ['SET', 'https://pps.whatsapp.net/v/abc.jpg'],
    ]);
    assert.deepEqual([dataOf<Rec>(events[5]).notify, dataOf<Rec>(events[5]).verifiedName, dataOf<Rec>(events[5]).pictureState], ['Olga', 'Olga Ltd', null]);
    assert.equal(events[1]?.topic, 'account');
    assert.equal(events[1]?.chatJid, wa.PEER.pn);
  });

  it('given an update of this account itself (push name, about, picture), then profile.updated, account-wide', () => {
    const ctx = testContext({ meJid: `${wa.ME.pn.split('@')[0]}:7@s.whatsapp.net`, meLid: wa.ME.lid });
    const events = translate(ctx, {
      'contacts.update': [
        { id: wa.ME.pn, notify: 'Support', status: 'Mon-Fri' },
        { id: wa.ME.lid, imgUrl: 'changed' },
      ],
    });
    assert.deepEqual(events.map((e) => [e.type, e.topic, e.chatJid]), [
      ['profile.updated', 'account', null],
      ['profile.updated', 'account', null],
    ]);
    assert.deepEqual(dataOf<Rec>(events[0]), { jid: wa.ME.pn, name: 'Support', statusText: 'Mon-Fri', statusSetAt: null, pictureState: null, pictureUrl: null, pictureId: null });
    assert.deepEqual([dataOf<Rec>(events[1]).jid, dataOf<Rec>(events[1]).pictureState], [wa.ME.pn, 'CHANGED']);
  });
});

describe('translateBatch: groups', () => {
  it('given group metadata and a settings change, then group.upserted with members and group.updated with only what changed', () => {
    const ctx = testContext();
    const events = translate(ctx, {
      'groups.upsert': [
        {
          id: wa.GROUP,
          subject: 'Family',
          owner: wa.ME.lid,
          ownerPn: wa.ME.pn,
          creation: wa.T0 - 86_400,
          addressingMode: 'lid' as never,
          size: 2,
          participants: [
            { id: wa.ME.lid, phoneNumber: wa.ME.pn, admin: 'superadmin' },
            { id: wa.PEER.lid, phoneNumber: wa.PEER.pn, admin: null },
          ],
        },
      ],
      'groups.update': [{ id: wa.GROUP, announce: true, author: wa.ME.lid, authorPn: wa.ME.pn }],
    });
    assert.deepEqual(events.map((e) => e.type), ['lid.mapping', 'lid.mapping', 'group.upserted', 'group.updated']);
    const group = dataOf<Rec>(events[2]);
    assert.deepEqual([group.subject, group.owner, group.ownerPn, group.creation, group.addressingMode, group.size], ['Family', wa.ME.lid, wa.ME.pn, (wa.T0 - 86_400) * 1000, 'LID', 2]);
    assert.deepEqual((group.participants as Rec[]).map((p) => [p.jid, p.lid, p.phoneNumber, p.role]), [
      [wa.ME.lid, wa.ME.lid, wa.ME.pn, 'SUPERADMIN'],
      [wa.PEER.lid, wa.PEER.lid, wa.PEER.pn, 'MEMBER'],
    ]);
    const update = dataOf<Rec>(events[3]);
    assert.deepEqual([update.announce, update.subject, update.participants, update.author], [true, null, null, wa.ME.lid]);
    assert.equal(events[3]?.chatJid, wa.GROUP);
  });

  it('given join requests, then group.join_request', () => {
    const ctx = testContext();
    const events = translate(ctx, {
      'group.join-request': { id: wa.GROUP, author: wa.ME.lid, authorPn: wa.ME.pn, participant: wa.OTHER.lid, participantPn: wa.OTHER.pn, action: 'created', method: 'invite_link' },
    });
    assert.deepEqual(dataOf(events[0]), {
      groupJid: wa.GROUP,
      participantJid: wa.OTHER.lid,
      participantPn: wa.OTHER.pn,
      authorJid: wa.ME.lid,
      authorPn: wa.ME.pn,
      action: 'CREATED',
      method: 'INVITE_LINK',
    });
    assert.equal(events[0]?.eventId, eventId('group.join_request', ACCOUNT, [wa.GROUP, wa.OTHER.lid, 'CREATED', NOW]));
  });
});

describe('translateBatch: labels, blocklist, calls', () => {
  it('given label edits and associations, then label.upserted / label.deleted / label.association from app-state sync', () => {
    const ctx = testContext();
    const events = [
      ...translate(ctx, { 'labels.edit': { id: '3', name: 'VIP', color: 4, deleted: false, predefinedId: '2' } }),
      ...translate(ctx, { 'labels.edit': { id: '4', name: 'Old', color: 1, deleted: true } }),
      ...translate(ctx, { 'labels.association': { type: 'add', association: { type: 'label_jid' as never, chatId: wa.PEER.pn, labelId: '3' } } }),
      ...translate(ctx, { 'labels.association': { type: 'remove', association: { type: 'label_message' as never, chatId: wa.PEER.pn, messageId: 'MSG-1', labelId: '3' } } }),
    ];
    assert.deepEqual(events.map((e) => [e.type, e.source]), [
      ['label.upserted', 'APP_STATE_SYNC'],
      ['label.deleted', 'APP_STATE_SYNC'],
      ['label.association', 'APP_STATE_SYNC'],
      ['label.association', 'APP_STATE_SYNC'],
    ]);
    assert.deepEqual(dataOf(events[0]), { labelId: '3', name: 'VIP', color: 4, predefinedId: '2', deleted: false });
    assert.equal(events[1]?.eventId, eventId('label.deleted', ACCOUNT, ['4', NOW]));
    assert.deepEqual(dataOf(events[3]), { labelId: '3', targetType: 'MESSAGE', chatJid: wa.PEER.pn, messageId: 'MSG-1', action: 'REMOVE' });
    assert.equal(events[2]?.chatJid, wa.PEER.pn);
  });

  it('given the blocklist set and changed, then blocklist.changed with sorted JIDs', () => {
    const ctx = testContext();
    const events = translate(ctx, { 'blocklist.set': { blocklist: [wa.PEER.pn, wa.OTHER.pn] }, 'blocklist.update': { blocklist: [wa.PEER.pn], type: 'remove' } });
    assert.deepEqual(events.map((e) => dataOf(e)), [
      { action: 'SET', jids: [wa.OTHER.pn, wa.PEER.pn] },
      { action: 'REMOVE', jids: [wa.PEER.pn] },
    ]);
    assert.equal(events[0]?.eventId, eventId('blocklist.changed', ACCOUNT, ['SET', wa.OTHER.pn, wa.PEER.pn, NOW]));
  });

  it('given call signalling, then call.updated per state change; transport noise is dropped', () => {
    const ctx = testContext();
    const date = new Date(wa.T0 * 1000);
    const events = translate(ctx, {
      call: [
        { id: 'CALL-1', chatId: wa.PEER.pn, from: `${wa.PEER.pn.split('@')[0]}:2@s.whatsapp.net`, date, status: 'offer', isVideo: true, isGroup: false, offline: false },
        { id: 'CALL-1', chatId: wa.PEER.pn, from: wa.PEER.pn, date, status: 'transport', offline: false },
        { id: 'CALL-1', chatId: wa.PEER.pn, from: wa.PEER.pn, date, status: 'terminate', offline: false },
      ],
    });
    assert.deepEqual(events.map((e) => [e.type, dataOf<Rec>(e).status, e.chatJid, e.occurredAt]), [
      ['call.updated', 'OFFER', wa.PEER.pn, wa.T0 * 1000],
      ['call.updated', 'TERMINATE', wa.PEER.pn, wa.T0 * 1000],
    ]);
    assert.deepEqual([dataOf<Rec>(events[0]).fromJid, dataOf<Rec>(events[0]).isVideo], [wa.PEER.pn, true]);
    assert.equal(events[0]?.eventId, eventId('call.updated', ACCOUNT, ['CALL-1', 'OFFER']));
  });
});

describe('translateBatch: presence and newsletters', () => {
  it('given a presence update with two participants, then one presence.updated each on the presence topic', () => {
    const ctx = testContext({ mappings: [[wa.OTHER.lid, wa.OTHER.pn]] });
    const events = translate(ctx, {
      'presence.update': { id: wa.GROUP, presences: { [wa.PEER.pn]: { lastKnownPresence: 'composing' }, [wa.OTHER.lid]: { lastKnownPresence: 'unavailable', lastSeen: wa.T0 } } },
    });
    assert.ok(events.every((e) => e.topic === 'presence' && e.type === 'presence.updated' && e.chatJid === wa.GROUP));
    assert.deepEqual(events.map((e) => dataOf(e)), [
      { chatJid: wa.GROUP, participantJid: wa.PEER.pn, participantAlt: null, presence: 'COMPOSING', lastSeen: null },
      { chatJid: wa.GROUP, participantJid: wa.OTHER.pn, participantAlt: wa.OTHER.lid, presence: 'UNAVAILABLE', lastSeen: wa.T0 * 1000 },
    ]);
    assert.equal(events[0]?.eventId, eventId('presence.updated', ACCOUNT, [wa.GROUP, wa.PEER.pn, 'COMPOSING', NOW]));
  });

  it('given channel notifications, then newsletter.participant, .reaction, .view and .updated', () => {
    const ctx = testContext();
    const events = translate(ctx, {
      'newsletter-participants.update': { id: wa.NEWSLETTER, author: wa.ME.lid, user: wa.PEER.lid, new_role: 'ADMIN', action: 'promote' },
      'newsletter.reaction': { id: wa.NEWSLETTER, server_id: '105', reaction: { code: '🔥', count: 1 } },
      'newsletter.view': { id: wa.NEWSLETTER, server_id: '105', count: 1234 },
      'newsletter-settings.update': { id: wa.NEWSLETTER, update: { name: { text: 'News' }, description: 'Daily' } },
    });
    assert.deepEqual(events.map((e) => [e.type, e.chatJid]), [
      ['newsletter.reaction', wa.NEWSLETTER],
      ['newsletter.view', wa.NEWSLETTER],
      ['newsletter.participant', wa.NEWSLETTER],
      ['newsletter.updated', wa.NEWSLETTER],
    ]);
    assert.deepEqual([dataOf<Rec>(events[0]).reactionCode, dataOf<Rec>(events[0]).reactionCount], ['🔥', 1]);
    assert.equal(dataOf<Rec>(events[1]).viewCount, 1234);
    assert.deepEqual([dataOf<Rec>(events[2]).action, dataOf<Rec>(events[2]).newRole, dataOf<Rec>(events[2]).userJid], ['promote', 'ADMIN', wa.PEER.lid]);
    assert.deepEqual([dataOf<Rec>(events[3]).name, dataOf<Rec>(events[3]).description], ['News', 'Daily']);
    assert.equal(events[1]?.eventId, eventId('newsletter.view', ACCOUNT, [wa.NEWSLETTER, '105', 1234]));
  });

  it('given a message in a channel, then it is recorded in the newsletter chat with its server id', () => {
    const ctx = testContext();
    const events = translate(ctx, wa.upsertBatch([wa.waMessage(wa.contents.text('post'), { chat: wa.NEWSLETTER, serverId: '105' })]));
    assert.deepEqual(events.map((e) => [e.type, e.chatJid]), [['message.received', wa.NEWSLETTER]]);
    assert.equal((dataOf<{ message: { key: Rec } }>(events[0]).message.key).serverId, '105');
  });
});

describe('translateBatch: families without events', () => {
  it('given credentials and settings updates, then nothing (credentials go to the session-state changelog)', () => {
    const ctx = testContext();
    const events = translate(ctx, {
      'creds.update': { me: { id: wa.ME.device, name: 'Me' } },
      'settings.update': { setting: 'locale', value: 'en' },
      'messaging-history.status': { syncType: 0, status: 'complete', explicit: true },
    });
    assert.deepEqual(events, []);
  });

  it('given a batch, then translation is lazy: nothing runs before the caller pulls', () => {
    const ctx = testContext();
    const generator = translateBatch({ 'connection.update': { qr: 'lazy' } }, ctx);
    assert.equal(ctx.session.qrAttempt, 0);
    generator.next();
    generator.next();
    assert.equal(ctx.session.qrAttempt, 1);
  });
});
