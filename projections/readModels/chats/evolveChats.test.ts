import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ALICE, BOB, EventFactory, GROUP, MUTED_FOREVER_FOR_TESTS, ReadModelSpec, T0, type Value } from '../testing/index.js';

describe('chats read model', () => {
  let spec: ReadModelSpec;
  const f = new EventFactory('acc-1');
  const page = { limit: 50, offset: 0 };
  const changed = (type: 'chat.upserted' | 'chat.updated', chatJid: string, data: Value, at: number) =>
    f.conversation(type, 'ChatChanged', { chatJid, ...data }, { chatJid, at, eventId: `${type}-${chatJid}-${at}` });

  before(async () => {
    spec = await ReadModelSpec.start();
  });
  after(() => spec.close());
  beforeEach(() => spec.reset());

  it('given nothing, when a history chat.upserted arrives twice, then the chat shows with its name, unread count and settings', async () => {
    await spec.when(
      f.conversation('chat.upserted', 'ChatChanged', { chatJid: ALICE, kind: 'USER', name: 'Alice', unreadCount: 3, archived: true, ephemeralExpirationSeconds: 86_400, lastMessageAt: T0 + 7 }, { chatJid: ALICE, at: T0 + 7, source: 'HISTORY_SYNC' }),
    );
    const chat = await spec.reads.chat('acc-1', ALICE);
    assert.deepEqual(chat, {
      accountId: 'acc-1',
      chatJid: ALICE,
      kind: 'user',
      name: 'Alice',
      unreadCount: 3,
      lastMessageId: null,
      lastMessageAt: T0 + 7,
      archived: true,
      pinned: false,
      mutedUntil: null,
      labels: [],
      ephemeralSeconds: 86_400,
    });
  });

  it('given a new message, when the live chats.upsert that it opened the chat with arrives (before or after it), then it counts once', async () => {
    const opened = changed('chat.upserted', ALICE, { kind: 'USER', unreadCount: 1, lastMessageAt: T0 + 1 }, T0 + 1);
    await spec.given(opened, f.message({ id: 'FIRST', timestamp: T0 + 1 }));
    assert.equal((await spec.reads.chat('acc-1', ALICE))?.unreadCount, 1);
    await spec.reset();
    await spec.given(f.message({ id: 'FIRST', timestamp: T0 + 1 }));
    await spec.when(opened);
    assert.equal((await spec.reads.chat('acc-1', ALICE))?.unreadCount, 1);
  });

  it('given a chat, when chat.updated carries only some fields, then the others stay', async () => {
    await spec.given(changed('chat.upserted', ALICE, { name: 'Alice', archived: true }, T0));
    await spec.when(changed('chat.updated', ALICE, { pinned: true, pinnedAt: T0 + 5 }, T0 + 5));
    const chat = await spec.reads.chat('acc-1', ALICE);
    assert.equal(chat?.name, 'Alice');
    assert.equal(chat?.archived, true);
    assert.equal(chat?.pinned, true);
  });

  it('given an unarchive, when an older archive arrives late (twice), then the chat stays unarchived', async () => {
    await spec.given(changed('chat.upserted', ALICE, {}, T0), changed('chat.updated', ALICE, { archived: false }, T0 + 20));
    await spec.when(changed('chat.updated', ALICE, { archived: true }, T0 + 10));
    assert.equal((await spec.reads.chat('acc-1', ALICE))?.archived, false);
  });

  it('given a chat, when muted until a time, muted forever, then unmuted, then mutedUntil follows', async () => {
    await spec.given(changed('chat.upserted', ALICE, {}, T0));
    await spec.when(changed('chat.updated', ALICE, { muted: true, mutedUntil: T0 + 3_600_000 }, T0 + 1));
    assert.equal((await spec.reads.chat('acc-1', ALICE))?.mutedUntil, T0 + 3_600_000);
    await spec.when(changed('chat.updated', ALICE, { muted: true, mutedUntil: null }, T0 + 2));
    assert.equal((await spec.reads.chat('acc-1', ALICE))?.mutedUntil, MUTED_FOREVER_FOR_TESTS);
    await spec.when(changed('chat.updated', ALICE, { muted: false }, T0 + 3));
    assert.equal((await spec.reads.chat('acc-1', ALICE))?.mutedUntil, null);
  });

  it('given unread messages, when the chat is read (unreadCount 0, twice), then nothing is unread and a later read receipt changes nothing', async () => {
    await spec.given(f.message({ id: 'A', timestamp: T0 + 1 }), f.message({ id: 'B', timestamp: T0 + 2 }));
    await spec.when(changed('chat.updated', ALICE, { unreadCount: 0 }, T0 + 3));
    assert.equal((await spec.reads.chat('acc-1', ALICE))?.unreadCount, 0);
    await spec.given(f.conversation('message.status', 'MessageStatusChanged', { key: { remoteJid: ALICE, id: 'A', fromMe: false }, status: 'READ' }, { chatJid: ALICE }));
    assert.equal((await spec.reads.chat('acc-1', ALICE))?.unreadCount, 0);
    await spec.given(f.message({ id: 'C', timestamp: T0 + 4 }));
    assert.equal((await spec.reads.chat('acc-1', ALICE))?.unreadCount, 1);
  });

  it('given a disappearing-messages chat, when the timer is turned off, then ephemeralSeconds is null', async () => {
    await spec.given(changed('chat.upserted', ALICE, { ephemeralExpirationSeconds: 604_800, ephemeralSettingAt: T0 }, T0));
    await spec.when(changed('chat.updated', ALICE, { ephemeralExpirationSeconds: 0, ephemeralSettingAt: T0 + 1 }, T0 + 1));
    assert.equal((await spec.reads.chat('acc-1', ALICE))?.ephemeralSeconds, null);
  });

  it('names a chat by its group subject or contact when the chat has no name', async () => {
    await spec.given(
      f.message({ id: 'G', chat: GROUP, participant: BOB }),
      f.account('group.upserted', 'GroupMetadata', { id: GROUP, subject: 'Team' }),
      f.message({ id: 'B', chat: BOB }),
      f.account('contact.upserted', 'Contact', { jid: BOB, notify: 'Bobby' }),
    );
    assert.equal((await spec.reads.chat('acc-1', GROUP))?.name, 'Team');
    assert.equal((await spec.reads.chat('acc-1', BOB))?.name, 'Bobby');
  });

  it('shows the labels attached to a chat', async () => {
    await spec.given(
      changed('chat.upserted', ALICE, {}, T0),
      f.account('label.upserted', 'Label', { labelId: '2', name: 'Lead', color: 1 }),
      f.account('label.association', 'LabelAssociation', { labelId: '2', targetType: 'CHAT', chatJid: ALICE, action: 'ADD' }),
    );
    assert.deepEqual((await spec.reads.chat('acc-1', ALICE))?.labels, ['2']);
  });

  it('lists chats by last activity with limit and offset, or a cursor, and leaves out the status chat', async () => {
    const chats = Array.from({ length: 7 }, (_, i) => `1555000100${i}@s.whatsapp.net`);
    await spec.given(
      ...chats.map((chat, i) => f.message({ id: `M${i}`, chat, timestamp: T0 + (i % 3) * 1000 })),
      changed('chat.upserted', 'status@broadcast', {}, T0),
      changed('chat.upserted', 'empty@s.whatsapp.net', {}, T0),
    );
    const all = await spec.reads.chats('acc-1', { limit: 100, offset: 0 });
    assert.equal(all.total, 8);
    const order = all.items.map((c) => c.chatJid);
    assert.deepEqual(order, [chats[2], chats[5], chats[1], chats[4], chats[0], chats[3], chats[6], 'empty@s.whatsapp.net']);
    const paged = await spec.reads.chats('acc-1', { limit: 3, offset: 3 });
    assert.deepEqual(paged.items.map((c) => c.chatJid), order.slice(3, 6));
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const result: Awaited<ReturnType<typeof spec.reads.chats>> = await spec.reads.chats('acc-1', { limit: 3, offset: 0, cursor });
      walked.push(...result.items.map((c) => c.chatJid));
      cursor = result.nextCursor;
    } while (cursor !== null);
    assert.deepEqual(walked, order);
    await assert.rejects(spec.reads.chats('acc-1', { limit: 3, offset: 0, cursor: 'not-a-cursor' }), { code: 'INVALID_ARGUMENT', field: 'cursor' });
  });

  it('given a chat without messages, when chat.deleted twice, then it is gone', async () => {
    await spec.given(changed('chat.upserted', ALICE, { name: 'Alice' }, T0));
    await spec.when(f.conversation('chat.deleted', 'ChatDeleted', { chatJid: ALICE, deletedAt: T0 + 1 }, { chatJid: ALICE, at: T0 + 1 }));
    assert.equal(await spec.reads.chat('acc-1', ALICE), null);
    assert.deepEqual(await spec.reads.chats('acc-1', page), { items: [], total: 0, nextCursor: null });
  });
});
