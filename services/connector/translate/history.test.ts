import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { proto, type BaileysEventMap, type Chat, type WAMessage } from '@whiskeysockets/baileys';
import { baileysPayloads as wa } from '../../../test/helpers/index.js';
import type { DraftEvent } from '../events/index.js';
import { translateBatch } from './index.js';
import { NOW, assertNoSecrets, dataOf, encodeAll, testContext } from './testContext.js';

type Rec = Record<string, unknown>;
type HistorySet = BaileysEventMap['messaging-history.set'];

const T0_MS = wa.T0 * 1000;

function chunk(): HistorySet {
  const poll = wa.waMessage(wa.contents.poll(3, 'When?', ['Mon', 'Tue'], 1, Buffer.alloc(32, 9)), {
    chat: wa.GROUP,
    fromMe: true,
    participant: wa.ME.pn,
    id: 'H-POLL',
    timestamp: wa.T0 - 100,
    info: {
      pollUpdates: [{ pollUpdateMessageKey: { remoteJid: wa.GROUP, id: 'H-VOTE', fromMe: false, participant: wa.PEER.pn }, vote: { selectedOptions: [createHash('sha256').update('Tue').digest()] }, senderTimestampMs: T0_MS - 50_000 }],
    },
  });
  const withReactionsAndReceipts = wa.waMessage(wa.contents.image('hist-img', 'beach'), {
    chat: wa.PEER.lid,
    fromMe: true,
    id: 'H-IMG',
    timestamp: wa.T0 - 200,
    status: proto.WebMessageInfo.Status.READ,
    info: {
      starred: true,
      reactions: [{ key: { remoteJid: wa.PEER.lid, id: 'H-REACT', fromMe: false }, text: '❤️', senderTimestampMs: T0_MS - 150_000 }],
      userReceipt: [{ userJid: wa.PEER.lid, receiptTimestamp: wa.T0 - 190, readTimestamp: wa.T0 - 180 }],
    },
  });
  const stub = wa.participantStub(proto.WebMessageInfo.StubType.GROUP_PARTICIPANT_LEAVE, [{ id: wa.OTHER.pn }], wa.OTHER.pn, { id: 'H-STUB', timestamp: wa.T0 - 300 });
  const revoke = wa.waMessage(wa.contents.revoke({ remoteJid: wa.PEER.lid, id: 'H-OLD', fromMe: false }), { chat: wa.PEER.lid, id: 'H-REVOKE', timestamp: wa.T0 - 250 });
  const chats: Chat[] = [
    wa.historyChat({ id: wa.PEER.lid, pnJid: wa.PEER.pn, name: 'Peer', unreadCount: 2, conversationTimestamp: wa.T0 - 200, archived: true, pinned: wa.T0 - 1000, muteEndTime: -1 }) as Chat,
    wa.historyChat({ id: wa.GROUP, name: 'Family', conversationTimestamp: wa.T0 - 100, ephemeralExpiration: 86_400, ephemeralSettingTimestamp: wa.T0 - 5000 }) as Chat,
  ];
  return {
    chats,
    contacts: [{ id: wa.PEER.lid, name: 'Peer', lid: wa.PEER.lid, phoneNumber: wa.PEER.pn }],
    messages: [poll, withReactionsAndReceipts, stub, revoke],
    lidPnMappings: [{ lid: wa.PEER.lid, pn: wa.PEER.pn }],
    isLatest: true,
    progress: 40,
    syncType: proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP,
    chunkOrder: 2,
  };
}

describe('translateBatch: messaging-history.set', () => {
  it('given a history chunk, then mappings, chats, contacts, messages with what they embed, then history.sync — all HISTORY_SYNC, under PN chat ids', () => {
    const ctx = testContext();

    const events = [...translateBatch({ 'messaging-history.set': chunk() }, ctx)];
    const encoded = encodeAll(events);

    assert.deepEqual(
      events.map((e) => [e.type, e.chatJid]),
      [
        ['lid.mapping', wa.PEER.pn],
        ['chat.upserted', wa.PEER.pn],
        ['chat.upserted', wa.GROUP],
        ['contact.upserted', wa.PEER.pn],
        ['message.history', wa.GROUP],
        ['poll.vote', wa.GROUP],
        ['message.history', wa.PEER.pn],
        ['message.reaction', wa.PEER.pn],
        ['message.status', wa.PEER.pn],
        ['message.status', wa.PEER.pn],
        ['message.history', wa.GROUP],
        ['group.participants', wa.GROUP],
        ['message.deleted', wa.PEER.pn],
        ['history.sync', null],
      ],
    );
    assert.ok(events.every((e) => e.source === 'HISTORY_SYNC' && e.causationId === null));

    const peerChat = dataOf<Rec>(events[1]);
    assert.deepEqual(
      [peerChat.kind, peerChat.pnJid, peerChat.lidJid, peerChat.unreadCount, peerChat.archived, peerChat.pinned, peerChat.pinnedAt, peerChat.muted, peerChat.mutedUntil, peerChat.lastMessageAt],
      ['USER', wa.PEER.pn, wa.PEER.lid, 2, true, true, (wa.T0 - 1000) * 1000, true, null, (wa.T0 - 200) * 1000],
    );
    assert.equal(events[1]?.occurredAt, (wa.T0 - 200) * 1000, 'a chat is dated by its last message, so a replayed chunk keeps its ids');
    const groupChat = dataOf<Rec>(events[2]);
    assert.deepEqual([groupChat.kind, groupChat.ephemeralExpirationSeconds, groupChat.ephemeralSettingAt], ['GROUP', 86_400, (wa.T0 - 5000) * 1000]);
    assert.deepEqual(dataOf<Rec>(events[3]), {
      jid: wa.PEER.lid,
      lid: wa.PEER.lid,
      phoneNumber: wa.PEER.pn,
      name: 'Peer',
      notify: null,
      verifiedName: null,
      pictureState: null,
      pictureUrl: null,
      statusText: null,
      isBusiness: null,
    });

    const vote = dataOf<{ vote: Rec; voterJid: string }>(events[5]);
    assert.deepEqual([vote.voterJid, vote.vote.decrypted, vote.vote.selectedOptions], [wa.PEER.pn, true, ['Tue']]);
    const image = dataOf<{ message: Rec; upsertType: string }>(events[6]);
    assert.deepEqual([image.message.starred, image.message.status, image.upsertType], [true, 'READ', 'UNKNOWN']);
    assert.equal(dataOf<Rec>(events[7]).reactorJid, wa.PEER.pn);
    assert.deepEqual(events.slice(8, 10).map((e) => [dataOf<Rec>(e).status, dataOf<Rec>(e).participantJid]), [
      ['DELIVERY_ACK', null],
      ['READ', null],
    ]);
    assert.equal(dataOf<Rec>(events[11]).action, 'REMOVE');
    assert.equal(events[11]?.occurredAt, (wa.T0 - 300) * 1000);

    const progress = dataOf<Rec>(events[13]);
    assert.deepEqual(progress, {
      syncType: 'INITIAL_BOOTSTRAP',
      chunkOrder: 2,
      progress: 40,
      isLatest: true,
      messageCount: 4,
      chatCount: 2,
      contactCount: 1,
      oldestMessageAt: (wa.T0 - 300) * 1000,
      peerDataRequestSessionId: null,
    });
    assert.equal(events[13]?.occurredAt, NOW);
    assertNoSecrets(encoded, [wa.mediaSecrets('hist-img').mediaKey, Buffer.alloc(32, 9)]);
  });

  it('given the same chunk processed again (after a crash), then every event but the live-dated contact keeps its eventId', () => {
    const first = [...translateBatch({ 'messaging-history.set': chunk() }, testContext())];
    const again = [...translateBatch({ 'messaging-history.set': chunk() }, testContext({ now: NOW + 60_000 }))];
    const changed = first.filter((event, i) => event.eventId !== again[i]?.eventId).map((e) => e.type);
    assert.deepEqual(changed, ['contact.upserted']);
  });

  it('given a chunk of 50,000 messages, when the first 10 events are taken, then only the first messages were read', () => {
    const ctx = testContext();
    const template = wa.waMessage(wa.contents.text('bulk'), { chat: wa.PEER.pn });
    let reads = 0;
    const backing: WAMessage[] = [];
    const messages = new Proxy(backing, {
      get(target, property, receiver) {
        if (property === 'length') return 50_000;
        if (typeof property === 'string' && /^\d+$/.test(property)) {
          reads += 1;
          return { ...template, key: { ...template.key, id: `BULK-${property}` } };
        }
        return Reflect.get(target, property, receiver);
      },
    });

    const events = translateBatch({ 'messaging-history.set': { chats: [], contacts: [], messages, syncType: proto.HistorySync.HistorySyncType.FULL } }, ctx);
    const taken: DraftEvent[] = [];
    for (const event of events) {
      taken.push(event);
      if (taken.length === 10) break;
    }

    assert.equal(taken.length, 10);
    assert.ok(reads <= 11, `read ${reads} messages to yield 10 events`);
    assert.deepEqual(
      taken.map((e) => dataOf<{ message: { key: { id: string } } }>(e).message.key.id),
      Array.from({ length: 10 }, (_, i) => `BULK-${i}`),
    );
  });

  it('given a push-name chunk (contacts only), then contact.upserted and history.sync with no messages', () => {
    const ctx = testContext();
    const events = [...translateBatch({ 'messaging-history.set': { chats: [], contacts: [{ id: wa.OTHER.pn, notify: 'Olga' }], messages: [], syncType: proto.HistorySync.HistorySyncType.PUSH_NAME } }, ctx)];
    encodeAll(events);
    assert.deepEqual(events.map((e) => e.type), ['contact.upserted', 'history.sync']);
    assert.equal(dataOf<Rec>(events[0]).notify, 'Olga');
    assert.deepEqual([dataOf<Rec>(events[1]).syncType, dataOf<Rec>(events[1]).messageCount], ['PUSH_NAME', 0]);
  });
});
