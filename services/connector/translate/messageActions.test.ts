import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { proto, type WAMessageKey } from '@whiskeysockets/baileys';
import { baileysPayloads as wa } from '../../../test/helpers/index.js';
import { eventId, messageKeyParts, type DraftEvent } from '../events/index.js';
import { mediaOf, mediaUpdatedEvent, translateBatch, type TranslateContext } from './index.js';
import { ACCOUNT, NOW, assertNoSecrets, branchOf, dataOf, encodeAll, testContext } from './testContext.js';

type Rec = Record<string, unknown>;

function translate(ctx: TranslateContext, batch: Parameters<typeof translateBatch>[0]): DraftEvent[] {
  const events = [...translateBatch(batch, ctx)];
  encodeAll(events);
  return events;
}

const T0_MS = wa.T0 * 1000;
const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

describe('translateBatch: messages acting on other messages', () => {
  it('given a reaction message and Baileys’ messages.reaction for it, then one message.reaction eventId, and no recorded message', () => {
    const ctx = testContext();
    const target: WAMessageKey = { remoteJid: wa.PEER.pn, id: 'TARGET-1', fromMe: true };
    const carrier = wa.waMessage(wa.contents.reaction(target, '👍', T0_MS + 5), { chat: wa.PEER.pn, id: 'REACT-1' });

    const fromUpsert = translate(ctx, wa.upsertBatch([carrier]));
    const fromEvent = translate(ctx, { 'messages.reaction': [{ key: target, reaction: { key: carrier.key, text: '👍', senderTimestampMs: T0_MS + 5 } }] });

    assert.deepEqual(fromUpsert.map((e) => e.type), ['message.reaction']);
    assert.equal(fromUpsert[0]?.eventId, fromEvent[0]?.eventId);
    assert.equal(fromUpsert[0]?.eventId, eventId('message.reaction', ACCOUNT, [...messageKeyParts(wa.PEER.pn, 'TARGET-1', true), wa.PEER.pn, T0_MS + 5]));
    assert.equal(fromUpsert[0]?.occurredAt, T0_MS + 5);
    const data = dataOf<Rec>(fromUpsert[0]);
    assert.equal(data.reactorJid, wa.PEER.pn);
    assert.deepEqual(data.reaction, {
      targetKey: { remoteJid: wa.PEER.pn, id: 'TARGET-1', fromMe: true, participant: null, remoteJidAlt: null, participantAlt: null, addressingMode: 'UNKNOWN', serverId: null },
      text: '👍',
      senderTimestamp: T0_MS + 5,
    });
    assert.equal((data.carrierKey as Rec).id, 'REACT-1');
  });

  it('given a removed reaction, then message.reaction with an empty text', () => {
    const ctx = testContext();
    const events = translate(ctx, wa.upsertBatch([wa.waMessage(wa.contents.reaction({ remoteJid: wa.PEER.pn, id: 'T', fromMe: false }, '', T0_MS + 9))]));
    assert.equal((dataOf<{ reaction: Rec }>(events[0]).reaction).text, '');
  });

  it('given an encrypted poll vote, then poll.vote keeping only the ciphertext; the decrypted update from messages.update gets the same eventId', () => {
    const ctx = testContext();
    const pollKey: WAMessageKey = { remoteJid: wa.GROUP, id: 'POLL-1', fromMe: true, participant: wa.ME.pn };
    const vote = wa.waMessage(wa.contents.pollUpdate(pollKey, Buffer.from('ciphertext-bytes'), T0_MS + 50), { chat: wa.GROUP, participant: wa.PEER.pn, id: 'VOTE-1' });

    const encrypted = translate(ctx, wa.upsertBatch([vote]));
    const decrypted = translate(ctx, {
      'messages.update': [{ key: pollKey, update: { pollUpdates: [{ pollUpdateMessageKey: vote.key, vote: { selectedOptions: [sha256('Pizza')] }, senderTimestampMs: T0_MS + 50 }] } }],
    });

    assert.deepEqual(encrypted.map((e) => e.type), ['poll.vote']);
    const encryptedVote = dataOf<{ vote: Rec; voterJid: string }>(encrypted[0]);
    assert.equal(encryptedVote.voterJid, wa.PEER.pn);
    assert.equal(encryptedVote.vote.decrypted, false);
    assert.deepEqual(encryptedVote.vote.encPayload, Buffer.from('ciphertext-bytes'));
    assert.deepEqual(encryptedVote.vote.selectedOptions, []);
    const decryptedVote = dataOf<{ vote: Rec }>(decrypted[0]).vote;
    assert.equal(decryptedVote.decrypted, true);
    assert.deepEqual(decryptedVote.selectedOptionHashes, [sha256('Pizza')]);
    assert.equal(decryptedVote.encPayload, null);
    assert.equal(encrypted[0]?.eventId, decrypted[0]?.eventId);
    assert.equal(encrypted[0]?.chatJid, wa.GROUP);
  });

  it('given an edit (editedMessage wrapping MESSAGE_EDIT with timestampMs) and Baileys’ messages.update for it, then one message.edited eventId', () => {
    const ctx = testContext();
    const target: WAMessageKey = { remoteJid: wa.PEER.pn, id: 'ORIG-1', fromMe: false };
    const editMs = T0_MS + 61_789;
    const carrier = wa.waMessage(wa.contents.edit(target, 'fixed typo', editMs), { chat: wa.PEER.pn, id: 'EDIT-CARRIER' });

    const fromUpsert = translate(ctx, wa.upsertBatch([carrier]));
    const fromUpdate = translate(ctx, {
      'messages.update': [
        { key: { ...carrier.key, id: 'ORIG-1' }, update: { message: { editedMessage: { message: { conversation: 'fixed typo' } } }, messageTimestamp: Math.floor(editMs / 1000) } },
      ],
    });

    assert.deepEqual(fromUpsert.map((e) => e.type), ['message.edited']);
    assert.equal(fromUpsert[0]?.eventId, fromUpdate[0]?.eventId);
    const data = dataOf<Rec>(fromUpsert[0]);
    assert.equal((data.targetKey as Rec).id, 'ORIG-1');
    assert.equal(data.kind, 'TEXT');
    assert.deepEqual(branchOf(data.content, 'wa.conversation.TextContent'), { text: 'fixed typo' });
    assert.equal(data.editedAt, Math.floor(editMs / 1000) * 1000);
    assert.equal(data.editorJid, wa.PEER.pn);
    assert.equal((data.carrierKey as Rec).id, 'EDIT-CARRIER');
  });

  it('given a revoke and Baileys’ REVOKE update for it, then one message.deleted FOR_EVERYONE; a revoked status is story.deleted', () => {
    const ctx = testContext();
    const carrier = wa.waMessage(wa.contents.revoke({ remoteJid: wa.PEER.pn, id: 'GONE-1', fromMe: true }), { chat: wa.PEER.pn, id: 'REVOKE-1' });
    const fromUpsert = translate(ctx, wa.upsertBatch([carrier]));
    const fromUpdate = translate(ctx, {
      'messages.update': [{ key: { ...carrier.key, id: 'GONE-1' }, update: { message: null, messageStubType: proto.WebMessageInfo.StubType.REVOKE, key: carrier.key } }],
    });
    assert.deepEqual(fromUpsert.map((e) => e.type), ['message.deleted']);
    assert.equal(fromUpsert[0]?.eventId, fromUpdate[0]?.eventId);
    const data = dataOf<Rec>(fromUpsert[0]);
    assert.deepEqual([data.scope, data.deletedByJid, data.isAdminRevoke, data.deletedAt], ['FOR_EVERYONE', wa.PEER.pn, false, T0_MS]);
    assert.equal(fromUpsert[0]?.eventId, eventId('message.deleted', ACCOUNT, [...messageKeyParts(wa.PEER.pn, 'GONE-1', false), 'FOR_EVERYONE']));

    const story = translate(ctx, wa.upsertBatch([wa.waMessage(wa.contents.revoke({ remoteJid: wa.STATUS, id: 'S-1', fromMe: true }), { chat: wa.STATUS, participant: wa.PEER.pn })]));
    assert.deepEqual(story.map((e) => [e.type, e.chatJid]), [['story.deleted', wa.STATUS]]);
  });

  it('given a group admin revoking my message, then the target keeps me as sender and isAdminRevoke is set', () => {
    const ctx = testContext();
    const carrier = wa.waMessage(wa.contents.revoke({ remoteJid: wa.GROUP, id: 'MINE-9', fromMe: false, participant: wa.ME.pn }), { chat: wa.GROUP, participant: wa.OTHER.pn });
    const events = translate(ctx, wa.upsertBatch([carrier]));
    const data = dataOf<Rec>(events[0]);
    assert.deepEqual([(data.targetKey as Rec).fromMe, (data.targetKey as Rec).participant, data.isAdminRevoke, data.deletedByJid], [true, wa.ME.pn, true, wa.OTHER.pn]);
  });

  it('given a pin and an unpin sent by the contact, then message.pinned (duration, expiry) and message.unpinned on my message', () => {
    const ctx = testContext();
    const senderView: WAMessageKey = { remoteJid: wa.ME.pn, id: 'PINNED-1', fromMe: false };
    const events = translate(
      ctx,
      wa.upsertBatch([
        wa.waMessage(wa.contents.pin(senderView, true, T0_MS + 1000, 86_400), { id: 'PIN-1' }),
        wa.waMessage(wa.contents.pin(senderView, false, T0_MS + 2000), { id: 'PIN-2' }),
      ]),
    );
    assert.deepEqual(events.map((e) => e.type), ['message.pinned', 'message.unpinned']);
    const pinned = dataOf<Rec>(events[0]);
    assert.deepEqual(pinned.targetKey, { remoteJid: wa.PEER.pn, id: 'PINNED-1', fromMe: true, participant: null, remoteJidAlt: null, participantAlt: null, addressingMode: 'UNKNOWN', serverId: null });
    assert.deepEqual([pinned.pinned, pinned.durationSeconds, pinned.expiresAt, pinned.pinnedByJid], [true, 86_400, T0_MS + 1000 + 86_400_000, wa.PEER.pn]);
    assert.equal(events[0]?.eventId, eventId('message.pinned', ACCOUNT, [...messageKeyParts(wa.PEER.pn, 'PINNED-1', true), true, 'PIN-1']));
    assert.equal(dataOf<Rec>(events[1]).pinned, false);
  });

  it('given an ephemeral-setting protocol message and Baileys’ chats.update for it, then one chat.updated', () => {
    const ctx = testContext();
    const fromUpsert = translate(ctx, wa.upsertBatch([wa.waMessage(wa.contents.ephemeralSetting(604_800))]));
    const fromChats = translate(ctx, { 'chats.update': [{ id: wa.PEER.pn, ephemeralSettingTimestamp: wa.T0, ephemeralExpiration: 604_800 }] });
    assert.deepEqual(fromUpsert.map((e) => e.type), ['chat.updated']);
    assert.equal(fromUpsert[0]?.eventId, fromChats[0]?.eventId);
    const data = dataOf<Rec>(fromUpsert[0]);
    assert.deepEqual([data.chatJid, data.ephemeralExpirationSeconds, data.ephemeralSettingAt], [wa.PEER.pn, 604_800, T0_MS]);
  });

  it('given a SHARE_PHONE_NUMBER protocol message in a LID chat, then lid.mapping with source PHONE_NUMBER_SHARE', () => {
    const ctx = testContext();
    const share = wa.waMessage(wa.content({ protocolMessage: { type: proto.Message.ProtocolMessage.Type.SHARE_PHONE_NUMBER } }), { chat: wa.OTHER.lid, remoteJidAlt: wa.OTHER.pn });
    const events = translate(ctx, wa.upsertBatch([share]));
    // The key's alternate teaches it first (MESSAGE_KEY); the share itself is re-stated, same eventId.
    assert.deepEqual(events.map((e) => [e.type, dataOf<Rec>(e).source]), [
      ['lid.mapping', 'MESSAGE_KEY'],
      ['lid.mapping', 'PHONE_NUMBER_SHARE'],
    ]);
    assert.equal(events[0]?.eventId, events[1]?.eventId);
  });
});

describe('translateBatch: updates about messages', () => {
  it('given status updates of a one-to-one message, then message.status without participant, with the receipt time and error code', () => {
    const ctx = testContext();
    const key: WAMessageKey = { remoteJid: wa.PEER.pn, id: 'OUT-1', fromMe: true };
    const events = translate(ctx, {
      'messages.update': [
        { key, update: { status: proto.WebMessageInfo.Status.DELIVERY_ACK, messageTimestamp: wa.T0 + 3 } },
        { key, update: { status: proto.WebMessageInfo.Status.READ, messageTimestamp: wa.T0 + 9 } },
        { key, update: { status: proto.WebMessageInfo.Status.ERROR, messageStubParameters: ['463'] } },
      ],
    });
    assert.deepEqual(events.map((e) => [e.type, dataOf<Rec>(e).status, dataOf<Rec>(e).participantJid, dataOf<Rec>(e).statusAt, dataOf<Rec>(e).errorCode]), [
      ['message.status', 'DELIVERY_ACK', null, (wa.T0 + 3) * 1000, null],
      ['message.status', 'READ', null, (wa.T0 + 9) * 1000, null],
      ['message.status', 'ERROR', null, null, 463],
    ]);
    assert.equal(events[1]?.eventId, eventId('message.status', ACCOUNT, [...messageKeyParts(wa.PEER.pn, 'OUT-1', true), 'READ', '']));
    assert.equal(events[1]?.occurredAt, (wa.T0 + 9) * 1000);
  });

  it('given group receipts, then one message.status per participant and status reached, LID participants under their PN', () => {
    const ctx = testContext({ mappings: [[wa.OTHER.lid, wa.OTHER.pn]] });
    const key: WAMessageKey = { remoteJid: wa.GROUP, id: 'G-OUT', fromMe: true, participant: wa.ME.pn };
    const events = translate(ctx, {
      'message-receipt.update': [
        { key, receipt: { userJid: wa.PEER.pn, receiptTimestamp: wa.T0 + 1 } },
        { key, receipt: { userJid: wa.OTHER.lid, receiptTimestamp: wa.T0 + 2, readTimestamp: wa.T0 + 4, playedTimestamp: wa.T0 + 8 } },
      ],
    });
    assert.deepEqual(events.map((e) => [dataOf<Rec>(e).status, dataOf<Rec>(e).participantJid, dataOf<Rec>(e).participantAlt]), [
      ['DELIVERY_ACK', wa.PEER.pn, null],
      ['DELIVERY_ACK', wa.OTHER.pn, wa.OTHER.lid],
      ['READ', wa.OTHER.pn, wa.OTHER.lid],
      ['PLAYED', wa.OTHER.pn, wa.OTHER.lid],
    ]);
    assert.equal(new Set(events.map((e) => e.eventId)).size, 4);
  });

  it('given stars from another device, then message.starred / message.unstarred with source APP_STATE_SYNC', () => {
    const ctx = testContext();
    const key: WAMessageKey = { remoteJid: wa.PEER.pn, id: 'S1', fromMe: false };
    const events = translate(ctx, { 'messages.update': [{ key, update: { starred: true } }, { key, update: { starred: false } }] });
    assert.deepEqual(events.map((e) => [e.type, e.source, dataOf<Rec>(e).starred]), [
      ['message.starred', 'APP_STATE_SYNC', true],
      ['message.unstarred', 'APP_STATE_SYNC', false],
    ]);
  });

  it('given a placeholder-resend marker update, then no event', () => {
    const ctx = testContext();
    const events = translate(ctx, { 'messages.update': [{ key: { remoteJid: wa.PEER.pn, id: 'P1', fromMe: false }, update: { messageStubParameters: ['Message absent from node', 'req-1'] } }] });
    assert.deepEqual(events, []);
  });

  it('given messages deleted for me and a cleared chat, then message.deleted FOR_ME and chat.cleared from app-state sync', () => {
    const ctx = testContext();
    const forMe = translate(ctx, { 'messages.delete': { keys: [{ remoteJid: wa.PEER.pn, id: 'D1', fromMe: false }] } });
    const cleared = translate(ctx, { 'messages.delete': { jid: wa.PEER.pn, all: true } });
    assert.deepEqual(forMe.map((e) => [e.type, e.source, dataOf<Rec>(e).scope]), [['message.deleted', 'APP_STATE_SYNC', 'FOR_ME']]);
    assert.deepEqual(cleared.map((e) => [e.type, e.chatJid, dataOf<Rec>(e).clearedAt]), [['chat.cleared', wa.PEER.pn, NOW]]);
  });

  it('given media re-upload answers, then message.media PENDING after success, EXPIRED for 404, FAILED otherwise', () => {
    const ctx = testContext();
    const key: WAMessageKey = { remoteJid: wa.PEER.pn, id: 'M1', fromMe: false };
    const notFound = Object.assign(new Error('Failed to re-upload media (2)'), { output: { statusCode: 404 } });
    const decryptFailed = Object.assign(new Error('Failed to re-upload media (1)'), { output: { statusCode: 412 } });
    const events = translate(ctx, {
      'messages.media-update': [
        { key, media: { ciphertext: new Uint8Array([1, 2]), iv: new Uint8Array(12) } },
        { key, error: notFound as never },
        { key, error: decryptFailed as never },
      ],
    });
    assert.deepEqual(events.map((e) => [e.type, (dataOf<{ media: Rec }>(e).media).status, dataOf<Rec>(e).error]), [
      ['message.media', 'PENDING', null],
      ['message.media', 'EXPIRED', 'Failed to re-upload media (2)'],
      ['message.media', 'FAILED', 'Failed to re-upload media (1)'],
    ]);
  });
});

describe('media helpers', () => {
  it('given a media message, when asked what to download, then its key, content address and size; nothing for text', () => {
    const secrets = wa.mediaSecrets('dl');
    const msg = wa.waMessage(wa.contents.ephemeral(wa.contents.document('dl', 'a.pdf')));
    assert.deepEqual(mediaOf(msg), {
      key: msg.key,
      messageType: 'documentMessage',
      mediaId: secrets.fileSha256.toString('hex'),
      mimetype: 'application/pdf',
      fileLength: 48_213,
      fileName: 'a.pdf',
    });
    assert.equal(mediaOf(wa.waMessage(wa.contents.text('no media'))), null);
  });

  it('given the runtime stored a file, then message.media STORED keyed by status and sha256, SYSTEM', () => {
    const ctx = testContext();
    const key: WAMessageKey = { remoteJid: wa.PEER.pn, id: 'M2', fromMe: false };
    const event = mediaUpdatedEvent(ctx, key, { mediaId: 'ab'.repeat(32), mimetype: 'image/jpeg', fileLength: 10 }, 'STORED');
    const [encoded] = encodeAll([event]);
    assert.ok(encoded);
    assert.equal(event.source, 'SYSTEM');
    assert.equal(event.chatJid, wa.PEER.pn);
    const media = dataOf<{ media: Rec }>(event).media;
    assert.deepEqual([media.status, media.sha256, media.mediaId], ['STORED', 'ab'.repeat(32), 'ab'.repeat(32)]);
    assert.equal(event.eventId, eventId('message.media', ACCOUNT, [...messageKeyParts(wa.PEER.pn, 'M2', false), 'STORED', 'ab'.repeat(32)]));
    assertNoSecrets([encoded], []);
  });
});
