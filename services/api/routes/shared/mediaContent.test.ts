import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MEDIA_KINDS, locationContent, mediaContent, textContent } from './mediaContent.js';
import { sendMessageCommand } from './sendMessageCommand.js';
import { roundTripCommand } from './testing/encodeCommand.js';

const REF = { mediaId: 'ab'.repeat(32), mimetype: 'image/jpeg', size: 12_345 };
const TO = '919876543210@s.whatsapp.net';

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('mediaContent', () => {
  it('builds a content branch for every media kind that the codec accepts in a SendMessage', () => {
    const branches = new Set<string>();
    for (const kind of MEDIA_KINDS) {
      const payload = sendMessageCommand(TO, mediaContent(kind, REF, { caption: 'look', fileName: 'a.bin' }));
      assert.deepEqual(plain(roundTripCommand('message.send', payload)), plain(payload), kind);
      branches.add(Object.keys(Object.values(payload)[0]!.content)[0]!);
    }
    assert.deepEqual([...branches].sort(), [
      'wa.conversation.AudioContent',
      'wa.conversation.DocumentContent',
      'wa.conversation.ImageContent',
      'wa.conversation.PtvContent',
      'wa.conversation.StickerContent',
      'wa.conversation.VideoContent',
    ]);
  });

  it('tells gif from video and voice from audio by their flags', () => {
    assert.equal((mediaContent('gif', REF) as { 'wa.conversation.VideoContent': { gifPlayback: boolean } })['wa.conversation.VideoContent'].gifPlayback, true);
    assert.equal((mediaContent('video', REF) as { 'wa.conversation.VideoContent': { gifPlayback: boolean } })['wa.conversation.VideoContent'].gifPlayback, false);
    assert.equal((mediaContent('voice', REF) as { 'wa.conversation.AudioContent': { ptt: boolean } })['wa.conversation.AudioContent'].ptt, true);
    assert.equal((mediaContent('audio', REF) as { 'wa.conversation.AudioContent': { ptt: boolean } })['wa.conversation.AudioContent'].ptt, false);
  });

  it('references the stored file by id, with the request’s MIME type and file name winning', () => {
    const content = mediaContent('document', REF, { fileName: 'report.pdf', mimetype: 'application/pdf', caption: '' });
    assert.deepEqual(content, {
      'wa.conversation.DocumentContent': {
        media: {
          mediaId: REF.mediaId,
          sha256: null,
          mimetype: 'application/pdf',
          fileLength: 12_345,
          fileName: 'report.pdf',
          width: null,
          height: null,
          seconds: null,
          status: 'PENDING',
          directPath: null,
          fileEncSha256: null,
          mediaKeyTimestamp: null,
          mediaKeyEncrypted: null,
          jpegThumbnail: null,
        },
        title: 'report.pdf',
        pageCount: null,
        // An empty form field is no caption.
        caption: null,
      },
    });
    const image = mediaContent('image', { mediaId: 'https://example.com/cat.jpg', mimetype: null, size: null }) as {
      'wa.conversation.ImageContent': { media: { mediaId: string; mimetype: string | null }; caption: string | null };
    };
    assert.equal(image['wa.conversation.ImageContent'].media.mediaId, 'https://example.com/cat.jpg');
    assert.equal(image['wa.conversation.ImageContent'].caption, null);
  });

  it('text and location contents encode too', () => {
    for (const content of [textContent('Hello! How are you? 👋'), locationContent({ latitude: 55.7558, longitude: 37.6173, name: 'Moscow', address: 'Red Square' })]) {
      const payload = sendMessageCommand(TO, content);
      assert.deepEqual(plain(roundTripCommand('message.send', payload)), plain(payload));
    }
  });
});

describe('sendMessageCommand', () => {
  it('fills every SendMessage field, with link previews on and the quoted target when given', () => {
    const quoted = { chatJid: TO, messageId: '3EB0QUOTED123ID', fromMe: false, participant: null };
    const payload = sendMessageCommand(TO, textContent('Thanks!'), { quoted });
    assert.deepEqual(payload, {
      'wa.commands.SendMessage': {
        to: TO,
        content: textContent('Thanks!'),
        quoted,
        mentions: [],
        mentionAll: false,
        viewOnce: false,
        ephemeralExpirationSeconds: null,
        linkPreview: true,
        messageId: null,
      },
    });
    assert.deepEqual(plain(roundTripCommand('message.send', payload)), plain(payload));
  });
});
