import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateWAMessageContent, proto } from '@whiskeysockets/baileys';
import { buildInboundMessage, contactVcard, summarizeMessage, type InboundContent } from './messages.js';
import { historyChunk, historyMessageId } from './history.js';
import { groupJidOf, phoneDigits, userJidOf } from './jids.js';

const media = {
  url: 'https://mmg.whatsapp.net/v/x',
  directPath: '/v/x',
  mediaKey: new Uint8Array(32),
  fileSha256: new Uint8Array(32),
  fileEncSha256: new Uint8Array(32),
  fileLength: 12,
  mimetype: 'image/png',
  mediaKeyTimestamp: 1,
};

describe('buildInboundMessage then summarizeMessage', () => {
  const cases: Array<[InboundContent, ReturnType<typeof summarizeMessage>['summary']]> = [
    [{ type: 'text', text: 'hi' }, { type: 'text', text: 'hi' }],
    [{ type: 'image', caption: 'pic', media }, { type: 'image', caption: 'pic', mimetype: 'image/png' }],
    [{ type: 'voice', media: { ...media, mimetype: 'audio/ogg; codecs=opus' } }, { type: 'voice', mimetype: 'audio/ogg; codecs=opus' }],
    [{ type: 'audio', media: { ...media, mimetype: 'audio/mpeg' } }, { type: 'audio', mimetype: 'audio/mpeg' }],
    [
      { type: 'document', fileName: 'a.pdf', caption: 'doc', media: { ...media, mimetype: 'application/pdf' } },
      { type: 'document', caption: 'doc', mimetype: 'application/pdf', fileName: 'a.pdf' },
    ],
    [{ type: 'location', location: { latitude: 1.5, longitude: 2.5, name: 'here' } }, { type: 'location', location: { latitude: 1.5, longitude: 2.5, name: 'here' } }],
    [
      { type: 'contact', contact: { displayName: 'Jo', vcard: contactVcard('Jo', '15550001111') } },
      { type: 'contact', contact: { displayName: 'Jo', vcard: contactVcard('Jo', '15550001111') } },
    ],
  ];
  for (const [content, summary] of cases) {
    it(`given a ${content.type} from a phone, then the network summary reads it back`, () => {
      const message = buildInboundMessage(content);
      assert.ok(message instanceof proto.Message);
      // Through the wire and back, as the driver receives it.
      const decoded = proto.Message.decode(proto.Message.encode(message).finish());
      assert.deepEqual(summarizeMessage(decoded).summary, summary);
    });
  }

  it('given a reply, then the text becomes an extendedTextMessage quoting the original', () => {
    const message = buildInboundMessage({
      type: 'text',
      text: 'yes',
      quoted: { messageId: 'ORIG1', participant: '15550001111@s.whatsapp.net', message: { conversation: 'really?' } },
    });
    assert.equal(message.extendedTextMessage?.contextInfo?.stanzaId, 'ORIG1');
    assert.equal(message.extendedTextMessage?.contextInfo?.quotedMessage?.conversation, 'really?');
    assert.deepEqual(summarizeMessage(message).summary, { type: 'text', text: 'yes', quotedMessageId: 'ORIG1' });
  });

  it("given Baileys' own edit, revoke and reaction contents, then the summary names their target", async () => {
    const options = { upload: async () => ({ mediaUrl: '', directPath: '' }) };
    const key = { remoteJid: '15550001111@s.whatsapp.net', id: 'TARGET1', fromMe: true };
    const edit = await generateWAMessageContent({ text: 'fixed', edit: key }, options);
    const revoke = await generateWAMessageContent({ delete: key }, options);
    const react = await generateWAMessageContent({ react: { text: '👍', key } }, options);
    assert.deepEqual(summarizeMessage(edit).summary, { type: 'edit', text: 'fixed', targetMessageId: 'TARGET1' });
    assert.deepEqual(summarizeMessage(revoke).summary, { type: 'revoke', targetMessageId: 'TARGET1' });
    assert.deepEqual(summarizeMessage(react).summary, { type: 'reaction', reaction: '👍', targetMessageId: 'TARGET1' });
  });
});

describe('historyChunk', () => {
  const job = { total: 2_500, chats: 3, chunkSize: 1_000, seed: 'ABC123', ownJid: '15550000000@s.whatsapp.net', endAt: 1_700_000_000_000, nextChunk: 0 };

  it('given a job, then chunks hold the newest messages first and together every message once', () => {
    const chunks = [0, 1, 2].map((k) => historyChunk(job, k));
    const ids = chunks.flatMap((c) => c.conversations.flatMap((conversation) => conversation.messages!.map((m) => m.message!.key!.id!)));
    assert.equal(ids.length, 2_500);
    assert.equal(new Set(ids).size, 2_500);
    assert.equal(ids[0], historyMessageId('ABC123', 2_499));
    assert.deepEqual(
      chunks.map((c) => [c.chunkOrder, c.progress, c.syncType]),
      [
        [1, 33, proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP],
        [2, 67, proto.HistorySync.HistorySyncType.RECENT],
        [3, 100, proto.HistorySync.HistorySyncType.RECENT],
      ],
    );
    assert.equal(chunks[2]!.conversations.reduce((n, c) => n + c.messages!.length, 0), 500);
  });

  it('given the same chunk twice, then it is byte-for-byte identical (a redelivery changes nothing)', () => {
    const first = proto.HistorySync.encode(historyChunk(job, 1)).finish();
    const second = proto.HistorySync.encode(historyChunk(job, 1)).finish();
    assert.deepEqual(Buffer.from(first), Buffer.from(second));
  });
});

describe('jids', () => {
  it('reads phones, user JIDs and group ids', () => {
    assert.equal(phoneDigits('+91 98765-43210'), '919876543210');
    assert.equal(phoneDigits('919876543210:12@s.whatsapp.net'), '919876543210');
    assert.equal(phoneDigits('abc'), null);
    assert.equal(userJidOf('123@g.us'), null);
    assert.equal(groupJidOf('120363000000000001'), '120363000000000001@g.us');
    assert.equal(groupJidOf('15550001111-1600000000'), '15550001111-1600000000@g.us');
    assert.equal(groupJidOf('15550001111'), null, 'bare phone-length digits are a phone');
  });
});
