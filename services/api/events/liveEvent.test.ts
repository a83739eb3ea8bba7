import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { AvroCodec } from '../../../schemas/index.js';
import { SecretBox } from '../../shared/secrets/index.js';
import { liveEventOf } from './liveEvent.js';
import { toJsonValue } from '../../shared/index.js';

const codec = AvroCodec.load();
const at = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((node, name) => (node as Record<string, unknown>)[name], value);

function imageEvent(mediaKeyEncrypted: unknown): Record<string, unknown> {
  const chatJid = '15550001111@s.whatsapp.net';
  return {
    eventId: 'e1',
    type: 'message.received',
    accountId: 'acct-1',
    chatJid,
    sequence: 7,
    occurredAt: 1_700_000_000_000,
    recordedAt: 1_700_000_000_050,
    correlationId: 'batch-1',
    causationId: null,
    source: 'LIVE',
    driver: 'simulator',
    data: {
      'wa.conversation.MessageRecorded': {
        message: {
          key: { remoteJid: chatJid, id: '3EB0AA', fromMe: false },
          senderJid: chatJid,
          timestamp: 1_700_000_000_000,
          kind: 'IMAGE',
          content: {
            'wa.conversation.ImageContent': {
              media: { mediaId: 'a'.repeat(64), sha256: 'a'.repeat(64), mimetype: 'image/jpeg', fileEncSha256: Buffer.from([1, 2, 3]), jpegThumbnail: Buffer.from('thumb'), mediaKeyEncrypted },
              caption: 'look',
            },
          },
        },
        direction: 'INBOUND',
        upsertType: 'NOTIFY',
      },
    },
  };
}

describe('live events as JSON', () => {
  it('decodes an event record into its envelope fields and JSON, bytes as base64', () => {
    const value = codec.encode('wa.conversation.ConversationEvent', imageEvent(null));
    const event = liveEventOf({ topic: 'wa.conversation.v1', partition: 3, offset: '41', key: 'acct-1', value, headers: {}, timestamp: 0 }, codec, 'wa.conversation.ConversationEvent');
    assert.equal(event.position, 'wa.conversation.v1:3:41');
    assert.deepEqual(
      { eventId: event.eventId, type: event.type, accountId: event.accountId, chatJid: event.chatJid, sequence: event.sequence, occurredAt: event.occurredAt, recordedAt: event.recordedAt },
      { eventId: 'e1', type: 'message.received', accountId: 'acct-1', chatJid: '15550001111@s.whatsapp.net', sequence: 7, occurredAt: 1_700_000_000_000, recordedAt: 1_700_000_000_050 },
    );
    const media = at(event.envelope, 'data', 'wa.conversation.MessageRecorded', 'message', 'content', 'wa.conversation.ImageContent', 'media') as Record<string, unknown>;
    assert.equal(media.jpegThumbnail, Buffer.from('thumb').toString('base64'));
    assert.equal(media.fileEncSha256, 'AQID');
    assert.equal(JSON.parse(JSON.stringify(event.envelope)).eventId, 'e1', 'the envelope is plain JSON');
  });

  it('leaves the sealed media key out entirely', () => {
    const sealed = new SecretBox(randomBytes(32)).seal(randomBytes(32), 'acct-1|15550001111@s.whatsapp.net|3EB0AA');
    const value = codec.encode('wa.conversation.ConversationEvent', imageEvent(sealed));
    const event = liveEventOf({ topic: 't', partition: 0, offset: '0', key: 'acct-1', value, headers: {}, timestamp: 0 }, codec, 'wa.conversation.ConversationEvent');
    const json = JSON.stringify(event.envelope);
    assert.equal(json.includes('mediaKeyEncrypted'), false);
    assert.equal(json.includes(sealed.ciphertext.toString('base64')), false);
    assert.equal(json.includes(sealed.iv.toString('base64')), false);
  });

  it('drops any EncryptedValue wherever it sits, and keeps arrays, nulls and numbers', () => {
    const secret = { keyId: 'k', iv: Buffer.alloc(12), authTag: Buffer.alloc(16), ciphertext: Buffer.from('x') };
    assert.deepEqual(toJsonValue({ a: [1, null, Buffer.from('hi')], secret, nested: { secret, keep: 'yes' }, n: 5n }), {
      a: [1, null, 'aGk='],
      nested: { keep: 'yes' },
      n: '5',
    });
  });
});
