import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ALICE, BOB, EventFactory, GROUP, key, ME, ReadModelSpec, T0, type Value } from '../testing/index.js';

const media = (mimetype: string, extra: Value = {}): Value => ({
  mediaId: null,
  sha256: 'ab'.repeat(32),
  mimetype,
  fileLength: 1234,
  status: 'PENDING',
  directPath: '/v/t62/abc',
  fileEncSha256: Buffer.from([1, 2, 3]),
  mediaKeyEncrypted: { keyId: 'k1', iv: Buffer.alloc(12), authTag: Buffer.alloc(16), ciphertext: Buffer.from('secret') },
  jpegThumbnail: Buffer.from([0xff, 0xd8]),
  ...extra,
});

describe('messages read model', () => {
  let spec: ReadModelSpec;
  const f = new EventFactory('acc-1');
  const page = { limit: 50, offset: 0 };

  before(async () => {
    spec = await ReadModelSpec.start();
  });
  after(() => spec.close());
  beforeEach(() => spec.reset());

  describe('recording', () => {
    it('given nothing, when message.received twice, then one unread message in a new chat that it is the last of', async () => {
      await spec.when(f.message({ id: 'M1', text: 'hello', timestamp: T0 + 100 }));
      const { items, total } = await spec.reads.messagesOfChat('acc-1', ALICE, page);
      assert.equal(total, 1);
      assert.equal(items.length, 1);
      const m = items[0]!;
      assert.equal(m.messageId, 'M1');
      assert.equal(m.text, 'hello');
      assert.equal(m.type, 'text');
      assert.equal(m.direction, 'inbound');
      assert.equal(m.fromMe, false);
      assert.equal(m.senderJid, ALICE);
      assert.equal(m.status, 'delivered');
      assert.equal(m.source, 'LIVE');
      assert.deepEqual(m.content, { 'wa.conversation.TextContent': { text: 'hello', linkPreview: null, backgroundArgb: null, textArgb: null, font: null } });
      const chat = await spec.reads.chat('acc-1', ALICE);
      assert.equal(chat?.kind, 'user');
      assert.equal(chat?.unreadCount, 1);
      assert.equal(chat?.lastMessageId, 'M1');
      assert.equal(chat?.lastMessageAt, T0 + 100);
    });

    it('given a live message, when its history copy and its echo arrive (same eventId), then nothing changes', async () => {
      await spec.given(f.message({ id: 'M1', text: 'hello' }));
      const before = await spec.snapshot();
      await spec.when(f.message({ id: 'M1', text: 'hello', type: 'message.history' }));
      assert.deepEqual(await spec.snapshot(), before);
    });

    it('given a newer message, when an older one arrives later, then the chat keeps the newer as its last', async () => {
      await spec.given(f.message({ id: 'NEW', timestamp: T0 + 500 }));
      await spec.when(f.message({ id: 'OLD', timestamp: T0 + 100, type: 'message.history' }));
      const chat = await spec.reads.chat('acc-1', ALICE);
      assert.equal(chat?.lastMessageId, 'NEW');
      assert.equal(chat?.lastMessageAt, T0 + 500);
      assert.equal(chat?.unreadCount, 1, 'a history message does not make the chat unread');
      assert.deepEqual((await spec.reads.messagesOfChat('acc-1', ALICE, page)).items.map((m) => m.messageId), ['NEW', 'OLD']);
    });

    it('given nothing, when message.sent twice, then one outbound sent message that does not count as unread', async () => {
      await spec.when(f.message({ id: 'S1', type: 'message.sent', text: 'hi there' }));
      const m = await spec.reads.message('acc-1', 'S1');
      assert.equal(m?.direction, 'outbound');
      assert.equal(m?.fromMe, true);
      assert.equal(m?.senderJid, ME);
      assert.equal(m?.status, 'sent');
      assert.equal((await spec.reads.chat('acc-1', ALICE))?.unreadCount, 0);
    });

    it('given nothing, when a group message with a quote and mentions arrives twice, then the participant is the sender', async () => {
      await spec.when(
        f.message({ id: 'G1', chat: GROUP, participant: BOB, text: 'see @alice', contextInfo: { quotedMessageId: 'Q1', quotedParticipant: ALICE, mentionedJids: [ALICE] } }),
      );
      const m = await spec.reads.message('acc-1', 'G1');
      assert.equal(m?.chatJid, GROUP);
      assert.equal(m?.senderJid, BOB);
      assert.equal(m?.quotedMessageId, 'Q1');
      assert.deepEqual(m?.mentions, [ALICE]);
      assert.equal((await spec.reads.chat('acc-1', GROUP))?.kind, 'group');
    });

    const contents: { kind: string; content: Value; type: string; text?: string | null; caption?: string | null; media?: boolean }[] = [
      { kind: 'IMAGE', content: { 'wa.conversation.ImageContent': { media: media('image/jpeg'), caption: 'look' } }, type: 'image', caption: 'look', media: true },
      { kind: 'VIDEO', content: { 'wa.conversation.VideoContent': { media: media('video/mp4'), caption: 'clip', gifPlayback: false } }, type: 'video', caption: 'clip', media: true },
      { kind: 'GIF', content: { 'wa.conversation.VideoContent': { media: media('video/mp4'), gifPlayback: true } }, type: 'gif', media: true },
      { kind: 'PTV', content: { 'wa.conversation.PtvContent': { media: media('video/mp4') } }, type: 'ptv', media: true },
      { kind: 'AUDIO', content: { 'wa.conversation.AudioContent': { media: media('audio/mpeg'), ptt: false } }, type: 'audio', media: true },
      { kind: 'VOICE', content: { 'wa.conversation.AudioContent': { media: media('audio/ogg'), ptt: true, waveform: Buffer.from([1, 2]) } }, type: 'voice', media: true },
      { kind: 'DOCUMENT', content: { 'wa.conversation.DocumentContent': { media: media('application/pdf', { fileName: 'a.pdf' }), title: 'A', caption: 'doc' } }, type: 'document', caption: 'doc', media: true },
      { kind: 'STICKER', content: { 'wa.conversation.StickerContent': { media: media('image/webp'), isAnimated: false, isAvatar: false, isLottie: false } }, type: 'sticker', media: true },
      { kind: 'LOCATION', content: { 'wa.conversation.LocationContent': { latitude: 1.5, longitude: 2.5, name: 'Cafe', comment: 'here' } }, type: 'location', text: 'Cafe', caption: 'here' },
      { kind: 'LIVE_LOCATION', content: { 'wa.conversation.LiveLocationContent': { latitude: 1, longitude: 2, caption: 'moving' } }, type: 'live_location', caption: 'moving' },
      { kind: 'CONTACT', content: { 'wa.conversation.ContactContent': { displayName: 'Bob', vcard: 'BEGIN:VCARD\nEND:VCARD' } }, type: 'contact', text: 'Bob' },
      { kind: 'CONTACTS', content: { 'wa.conversation.ContactsArrayContent': { displayName: '2 contacts', contacts: [{ displayName: 'B', vcard: 'BEGIN:VCARD' }] } }, type: 'contacts', text: '2 contacts' },
      { kind: 'POLL', content: { 'wa.conversation.PollCreationContent': { name: 'Lunch?', options: ['yes', 'no'], selectableCount: 1, version: 3 } }, type: 'poll', text: 'Lunch?' },
      { kind: 'EVENT', content: { 'wa.conversation.EventContent': { name: 'Party', description: 'bring snacks', isCanceled: false } }, type: 'event', text: 'Party', caption: 'bring snacks' },
      { kind: 'INTERACTIVE', content: { 'wa.conversation.InteractiveContent': { interactiveKind: 'BUTTONS', text: 'pick one', buttons: [{ displayText: 'A', type: 'REPLY' }] } }, type: 'interactive', text: 'pick one' },
      { kind: 'INTERACTIVE_RESPONSE', content: { 'wa.conversation.InteractiveResponseContent': { responseKind: 'BUTTONS', selectedId: 'a', selectedDisplayText: 'A' } }, type: 'interactive_response', text: 'A' },
      { kind: 'GROUP_INVITE', content: { 'wa.conversation.GroupInviteContent': { groupJid: GROUP, inviteCode: 'xyz', caption: 'join us' } }, type: 'group_invite', caption: 'join us' },
      { kind: 'PRODUCT', content: { 'wa.conversation.ProductContent': { title: 'Shoe', body: 'nice shoe' } }, type: 'product', text: 'Shoe', caption: 'nice shoe' },
      { kind: 'ORDER', content: { 'wa.conversation.OrderContent': { orderId: 'o1', message: 'my order' } }, type: 'order', text: 'my order' },
      { kind: 'EVENT_RESPONSE', content: { 'wa.conversation.EventResponseContent': { eventKey: key(ALICE, 'EV1'), response: 'GOING', decrypted: true } }, type: 'event_response' },
      { kind: 'ALBUM', content: { 'wa.conversation.AlbumContent': { expectedImageCount: 3 } }, type: 'album' },
      { kind: 'STUB', content: { 'wa.conversation.StubContent': { stubType: 'GROUP_PARTICIPANT_ADD', stubTypeCode: 27, parameters: [BOB] } }, type: 'stub' },
      { kind: 'UNSUPPORTED', content: { 'wa.conversation.UnsupportedContent': { messageType: 'newThing', rawJson: '{"a":1}' } }, type: 'unknown' },
    ];
    for (const c of contents) {
      it(`given nothing, when a ${c.kind} message arrives twice, then its type, text, caption, media and content show`, async () => {
        await spec.when(f.message({ id: `C-${c.kind}`, kind: c.kind, content: c.content }));
        const m = await spec.reads.message('acc-1', `C-${c.kind}`);
        assert.equal(m?.type, c.type);
        assert.equal(m?.text, c.text ?? null);
        assert.equal(m?.caption, c.caption ?? null);
        assert.equal(m?.media !== null, c.media === true);
        if (c.media) assert.equal(m?.media?.state, 'pending');
        const json = JSON.stringify(m?.content);
        assert.ok(m?.content && Object.keys(m.content)[0]!.startsWith('wa.conversation.'), json);
        assert.ok(!json.includes('mediaKeyEncrypted'), 'the encrypted media key is not copied into the read model');
      });
    }

    it('given nothing, when a document arrives, then bytes become base64 and the file name shows', async () => {
      await spec.given(f.message({ id: 'D1', kind: 'DOCUMENT', content: { 'wa.conversation.DocumentContent': { media: media('application/pdf', { fileName: 'a.pdf' }) } } }));
      const m = await spec.reads.message('acc-1', 'D1');
      assert.deepEqual(m?.media, { mediaId: null, mimetype: 'application/pdf', fileName: 'a.pdf', size: 1234, state: 'pending' });
      const doc = (m?.content as Value)['wa.conversation.DocumentContent'] as { media: Value };
      assert.equal(doc.media.jpegThumbnail, Buffer.from([0xff, 0xd8]).toString('base64'));
    });
  });

  describe('what happens to a message', () => {
    it('given a sent message, when statuses arrive out of order and twice, then the status only moves forward', async () => {
      await spec.given(f.message({ id: 'S1', type: 'message.sent' }));
      const status = (s: string, at: number) => f.conversation('message.status', 'MessageStatusChanged', { key: key(ALICE, 'S1', true), status: s, statusAt: at }, { chatJid: ALICE, at, eventId: `st-${s}` });
      await spec.when(status('READ', T0 + 20));
      await spec.when(status('DELIVERY_ACK', T0 + 10));
      assert.equal((await spec.reads.message('acc-1', 'S1'))?.status, 'read');
      await spec.when(status('PLAYED', T0 + 30));
      assert.equal((await spec.reads.message('acc-1', 'S1'))?.status, 'played');
    });

    it('given a pending send, when it fails then is retried, then error shows until the server acks', async () => {
      await spec.given(f.message({ id: 'S2', type: 'message.sent', status: 'PENDING' }));
      await spec.when(f.conversation('message.status', 'MessageStatusChanged', { key: key(ALICE, 'S2', true), status: 'ERROR', errorCode: 479 }, { chatJid: ALICE, eventId: 'err' }));
      assert.equal((await spec.reads.message('acc-1', 'S2'))?.status, 'error');
      await spec.when(f.conversation('message.status', 'MessageStatusChanged', { key: key(ALICE, 'S2', true), status: 'SERVER_ACK' }, { chatJid: ALICE, eventId: 'ack' }));
      assert.equal((await spec.reads.message('acc-1', 'S2'))?.status, 'sent');
    });

    it('given two unread inbound messages, when one is read (twice), then the chat has one unread', async () => {
      await spec.given(f.message({ id: 'I1', timestamp: T0 + 1 }), f.message({ id: 'I2', timestamp: T0 + 2 }));
      assert.equal((await spec.reads.chat('acc-1', ALICE))?.unreadCount, 2);
      await spec.when(f.conversation('message.status', 'MessageStatusChanged', { key: key(ALICE, 'I1'), status: 'READ' }, { chatJid: ALICE, eventId: 'read-I1' }));
      assert.equal((await spec.reads.chat('acc-1', ALICE))?.unreadCount, 1);
    });

    it('given a read receipt that came first, when the message arrives, then it is read and not unread', async () => {
      await spec.given(f.conversation('message.status', 'MessageStatusChanged', { key: key(ALICE, 'I9'), status: 'READ' }, { chatJid: ALICE }));
      await spec.when(f.message({ id: 'I9' }));
      assert.equal((await spec.reads.message('acc-1', 'I9'))?.status, 'read');
      assert.equal((await spec.reads.chat('acc-1', ALICE))?.unreadCount, 0);
    });

    it('given a message, when reactions arrive twice, change and are withdrawn, then each reactor shows their latest', async () => {
      await spec.given(f.message({ id: 'M1' }));
      const react = (reactor: string, text: string, at: number) =>
        f.conversation('message.reaction', 'MessageReacted', { reaction: { targetKey: key(ALICE, 'M1'), text, senderTimestamp: at }, reactorJid: reactor }, { chatJid: ALICE, eventId: `r-${reactor}-${at}` });
      await spec.when(react(ALICE, '👍', T0 + 10));
      await spec.when(react(ME, '❤️', T0 + 11));
      await spec.when(react(ALICE, '😂', T0 + 12));
      await spec.when(react(ALICE, '👎', T0 + 5));
      assert.deepEqual((await spec.reads.message('acc-1', 'M1'))?.reactions, [
        { emoji: '❤️', reactorJid: ME, at: T0 + 11 },
        { emoji: '😂', reactorJid: ALICE, at: T0 + 12 },
      ]);
      await spec.when(react(ME, '', T0 + 13));
      assert.deepEqual((await spec.reads.message('acc-1', 'M1'))?.reactions.map((r) => r.emoji), ['😂']);
    });

    it('given a reaction to a message not seen yet, when history brings the message, then the reaction shows', async () => {
      await spec.given(f.conversation('message.reaction', 'MessageReacted', { reaction: { targetKey: key(ALICE, 'OLD'), text: '🔥', senderTimestamp: T0 }, reactorJid: ALICE }, { chatJid: ALICE }));
      await spec.when(f.message({ id: 'OLD', type: 'message.history' }));
      assert.deepEqual((await spec.reads.message('acc-1', 'OLD'))?.reactions.map((r) => r.emoji), ['🔥']);
    });

    it('given a text message, when it is edited twice over (each delivered twice), then the newest text shows with the edit history', async () => {
      await spec.given(f.message({ id: 'E1', text: 'frist' }));
      const edit = (text: string, at: number) =>
        f.conversation('message.edited', 'MessageEdited', { targetKey: key(ALICE, 'E1'), kind: 'TEXT', content: { 'wa.conversation.TextContent': { text } }, editedAt: at }, { chatJid: ALICE, eventId: `edit-${at}` });
      await spec.when(edit('first', T0 + 10));
      await spec.when(edit('first!', T0 + 20));
      const m = await spec.reads.message('acc-1', 'E1');
      assert.equal(m?.text, 'first!');
      assert.deepEqual(m?.edits, [
        { text: 'first', at: T0 + 10 },
        { text: 'first!', at: T0 + 20 },
      ]);
    });

    it('given an image, when its caption is edited, then the caption changes', async () => {
      await spec.given(f.message({ id: 'P1', kind: 'IMAGE', content: { 'wa.conversation.ImageContent': { media: media('image/png'), caption: 'old' } } }));
      await spec.when(f.conversation('message.edited', 'MessageEdited', { targetKey: key(ALICE, 'P1'), kind: 'IMAGE', content: { 'wa.conversation.ImageContent': { media: media('image/png'), caption: 'new' } }, editedAt: T0 + 9 }, { chatJid: ALICE }));
      const m = await spec.reads.message('acc-1', 'P1');
      assert.equal(m?.caption, 'new');
      assert.equal(m?.text, null);
    });

    it('given a message, when it is revoked for everyone (twice) after a delete for me, then it is deleted for everyone', async () => {
      await spec.given(f.message({ id: 'X1' }));
      await spec.when(f.conversation('message.deleted', 'MessageDeleted', { targetKey: key(ALICE, 'X1'), scope: 'FOR_ME', deletedAt: T0 + 5 }, { chatJid: ALICE, eventId: 'del-me' }));
      await spec.when(f.conversation('message.deleted', 'MessageDeleted', { targetKey: key(ALICE, 'X1'), scope: 'FOR_EVERYONE', deletedAt: T0 + 6 }, { chatJid: ALICE, eventId: 'del-all' }));
      assert.equal((await spec.reads.message('acc-1', 'X1'))?.deleted, true);
      const [state] = await spec.rowsOf('message_state', "message_id = 'X1'");
      assert.equal(state?.deleted_scope, 'FOR_EVERYONE');
      assert.equal(state?.deleted_at, T0 + 5);
    });

    it('given a message, when starred then unstarred (an older star arriving late), then the newest wins', async () => {
      await spec.given(f.message({ id: 'ST' }));
      const star = (starred: boolean, at: number) => f.conversation(starred ? 'message.starred' : 'message.unstarred', 'MessageStarChanged', { targetKey: key(ALICE, 'ST'), starred }, { chatJid: ALICE, at, eventId: `star-${at}` });
      await spec.when(star(true, T0 + 10));
      assert.equal((await spec.reads.message('acc-1', 'ST'))?.starred, true);
      await spec.when(star(false, T0 + 20));
      await spec.when(star(true, T0 + 10));
      assert.equal((await spec.reads.message('acc-1', 'ST'))?.starred, false);
    });

    it('given a message, when pinned twice, then it is pinned until it expires; unpinned after', async () => {
      await spec.given(f.message({ id: 'PN' }));
      await spec.when(f.conversation('message.pinned', 'MessagePinChanged', { targetKey: key(ALICE, 'PN'), pinned: true, durationSeconds: 86_400, expiresAt: T0 + 86_400_000 }, { chatJid: ALICE, at: T0 + 1, eventId: 'pin' }));
      assert.equal((await spec.reads.message('acc-1', 'PN'))?.pinned, false, 'the spec clock is far past the expiry');
      const [state] = await spec.rowsOf('message_state', "message_id = 'PN'");
      assert.equal(state?.pinned, true);
      await spec.when(f.conversation('message.unpinned', 'MessagePinChanged', { targetKey: key(ALICE, 'PN'), pinned: false }, { chatJid: ALICE, at: T0 + 2, eventId: 'unpin' }));
      const [after] = await spec.rowsOf('message_state', "message_id = 'PN'");
      assert.equal(after?.pinned, false);
    });

    it('given an image, when message.media says stored (twice), then the media id and state show', async () => {
      await spec.given(f.message({ id: 'IMG', kind: 'IMAGE', content: { 'wa.conversation.ImageContent': { media: media('image/jpeg') } } }));
      await spec.when(f.conversation('message.media', 'MessageMediaUpdated', { targetKey: key(ALICE, 'IMG'), media: media('image/jpeg', { mediaId: 'sha-abc', status: 'STORED' }) }, { chatJid: ALICE, at: T0 + 50 }));
      assert.deepEqual((await spec.reads.message('acc-1', 'IMG'))?.media, { mediaId: 'sha-abc', mimetype: 'image/jpeg', fileName: null, size: 1234, state: 'stored' });
    });

    it('given a poll, when votes arrive twice and change, then each voter has their latest choice', async () => {
      await spec.given(f.message({ id: 'POLL', kind: 'POLL', content: { 'wa.conversation.PollCreationContent': { name: 'Lunch?', options: ['yes', 'no'], selectableCount: 1, version: 3 } } }));
      const vote = (options: string[], at: number) =>
        f.conversation('poll.vote', 'PollVoted', { vote: { pollKey: key(ALICE, 'POLL'), selectedOptions: options, decrypted: true, senderTimestamp: at }, voterJid: BOB }, { chatJid: ALICE, eventId: `vote-${at}` });
      await spec.when(vote(['yes'], T0 + 1));
      await spec.when(vote(['no'], T0 + 2));
      const votes = await spec.rowsOf('poll_votes');
      assert.deepEqual(votes.map((v) => [v.voter_jid, v.options]), [[BOB, ['no']]]);
    });
  });

  describe('chats and accounts going away', () => {
    it('given messages, one starred, when the chat is cleared keeping starred (twice), then only the starred one stays', async () => {
      await spec.given(
        f.message({ id: 'A', timestamp: T0 + 1 }),
        f.message({ id: 'B', timestamp: T0 + 2 }),
        f.conversation('message.starred', 'MessageStarChanged', { targetKey: key(ALICE, 'A'), starred: true }, { chatJid: ALICE }),
      );
      await spec.when(f.conversation('chat.cleared', 'ChatCleared', { chatJid: ALICE, clearedAt: T0 + 10, keepStarred: true }, { chatJid: ALICE, at: T0 + 10 }));
      const { items, total } = await spec.reads.messagesOfChat('acc-1', ALICE, page);
      assert.deepEqual(items.map((m) => m.messageId), ['A']);
      assert.equal(total, 1);
      const chat = await spec.reads.chat('acc-1', ALICE);
      assert.equal(chat?.unreadCount, 0);
      assert.equal(chat?.lastMessageId, 'A');
    });

    it('given messages before and after a chat deletion, when chat.deleted twice, then only the later message and its chat remain', async () => {
      await spec.given(f.message({ id: 'A', timestamp: T0 + 1 }), f.message({ id: 'LATER', timestamp: T0 + 100 }));
      await spec.when(f.conversation('chat.deleted', 'ChatDeleted', { chatJid: ALICE, deletedAt: T0 + 50 }, { chatJid: ALICE, at: T0 + 50 }));
      assert.deepEqual((await spec.reads.messagesOfChat('acc-1', ALICE, page)).items.map((m) => m.messageId), ['LATER']);
      assert.equal((await spec.reads.chat('acc-1', ALICE))?.lastMessageId, 'LATER');
      await spec.when(f.conversation('chat.deleted', 'ChatDeleted', { chatJid: ALICE, deletedAt: T0 + 200 }, { chatJid: ALICE, at: T0 + 200 }));
      assert.equal(await spec.reads.chat('acc-1', ALICE), null);
      assert.equal(await spec.reads.message('acc-1', 'LATER'), null);
    });

    it('given messages of two accounts, when one account is deleted twice, then only its messages go', async () => {
      const other = new EventFactory('acc-2');
      await spec.given(f.message({ id: 'A' }), other.message({ id: 'B' }));
      await spec.when(f.account('account.deleted', 'AccountDeleted', { deletedBy: 'admin', purgeData: true }));
      assert.equal(await spec.reads.message('acc-1', 'A'), null);
      assert.equal((await spec.reads.message('acc-2', 'B'))?.messageId, 'B');
      assert.deepEqual((await spec.reads.chats('acc-1', page)).items, []);
    });
  });

  describe('queries', () => {
    it('pages a chat newest first with limit and offset (at most 100), and the whole account', async () => {
      const events = [];
      for (let i = 0; i < 120; i += 1) events.push(f.message({ id: `M${String(i).padStart(3, '0')}`, timestamp: T0 + i, chat: i % 2 === 0 ? ALICE : BOB }));
      await spec.given(...events);
      const first = await spec.reads.messagesOfChat('acc-1', ALICE, { limit: 5, offset: 0 });
      assert.deepEqual(first.items.map((m) => m.messageId), ['M118', 'M116', 'M114', 'M112', 'M110']);
      assert.equal(first.total, 60);
      assert.equal(first.nextCursor, '5');
      const second = await spec.reads.messagesOfChat('acc-1', ALICE, { limit: 5, offset: 5 });
      assert.equal(second.items[0]?.messageId, 'M108');
      const all = await spec.reads.messagesOfAccount('acc-1', { limit: 1000, offset: 0 });
      assert.equal(all.items.length, 100);
      assert.equal(all.total, 120);
      assert.equal(all.items[0]?.messageId, 'M119');
      const last = await spec.reads.messagesOfAccount('acc-1', { limit: 100, offset: 100 });
      assert.equal(last.items.length, 20);
      assert.equal(last.nextCursor, null);
    });

    it('answers any input safely: unknown ids, odd pages, quotes and SQL in values', async () => {
      await spec.given(f.message({ id: "it's" }));
      assert.equal((await spec.reads.message('acc-1', "it's"))?.messageId, "it's");
      assert.equal(await spec.reads.message("acc-1' OR '1'='1", 'x'), null);
      const odd = await spec.reads.messagesOfChat('acc-1', ALICE, { limit: -5, offset: Number.NaN });
      assert.equal(odd.items.length, 0);
      const huge = await spec.reads.messagesOfChat('acc-1', ALICE, { limit: 1e12, offset: 1e20 });
      assert.equal(huge.items.length, 0);
      assert.equal((await spec.reads.messagesOfChat('acc-1', ALICE, { limit: 2.7, offset: 0 })).items.length, 1);
      assert.deepEqual(await spec.reads.messagesOfChat('nobody', 'nothing', { limit: 10, offset: 0 }), { items: [], total: 0, nextCursor: null });
    });
  });
});

describe('messages read model, values PostgreSQL cannot store as they are', () => {
  it('stores a text with NUL characters without them', async () => {
    const spec = await ReadModelSpec.start();
    try {
      const f = new EventFactory('acc-1');
      await spec.when(f.message({ id: 'NUL', text: 'a\u0000b' }));
      const m = await spec.reads.message('acc-1', 'NUL');
      assert.equal(m?.text, 'ab');
      assert.deepEqual(m?.content, { 'wa.conversation.TextContent': { text: 'ab', linkPreview: null, backgroundArgb: null, textArgb: null, font: null } });
    } finally {
      await spec.close();
    }
  });
});
