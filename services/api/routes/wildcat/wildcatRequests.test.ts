import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import type { UploadedFile } from '../../http/route.js';
import { roundTripCommand } from '../shared/testing/encodeCommand.js';
import { connectPayload, deleteAccountPayload, endSessionPayload, targetFromRow } from '../shared/index.js';
import {
  createAccountBody,
  createAccountPayload,
  deleteMessageBody,
  deleteMessagePayload,
  reactBody,
  reactPayload,
  replyBody,
  replyChat,
  replyPayload,
  sendMediaBody,
  sendMediaPayload,
  sendTextBody,
  sendTextPayload,
  uploadedFile,
} from './wildcatRequests.js';

const JOHN = '919876543210@s.whatsapp.net';

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function firstMessage(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error.issues[0]!.message;
}

function upload(field: string, mimetype: string | null, fileName: string | null = 'file.bin'): UploadedFile {
  return { field, mediaId: '0f'.repeat(32), size: 2_048, mimetype, fileName };
}

describe('WILDCAT account requests', () => {
  it('POST /accounts: the client’s id, name and collection (default auth_<id>), always auto-connecting', () => {
    const body = createAccountBody.parse({ id: 'mybot', name: 'My WhatsApp Bot', collectionName: 'auth_mybot' });
    const payload = createAccountPayload(body);
    assert.deepEqual(payload, { 'wa.commands.CreateAccount': { name: 'My WhatsApp Bot', department: null, autoConnect: true, collectionName: 'auth_mybot' } });
    assert.deepEqual(plain(roundTripCommand('account.create', payload)), plain(payload));
    const bare = createAccountPayload(createAccountBody.parse({ id: 'support-bot' }));
    assert.deepEqual(bare, { 'wa.commands.CreateAccount': { name: null, department: null, autoConnect: true, collectionName: 'auth_support-bot' } });
    roundTripCommand('account.create', bare);
  });

  it('POST /accounts: "id is required"', () => {
    assert.equal(firstMessage(createAccountBody, {}), 'id is required');
    assert.equal(firstMessage(createAccountBody, { id: '' }), 'id is required');
    assert.equal(firstMessage(createAccountBody, { name: 'x' }), 'id is required');
    assert.match(firstMessage(createAccountBody, { id: 'my bot' })!, /^id must be/);
  });

  it('connect, disconnect and delete payloads encode', () => {
    assert.deepEqual(plain(roundTripCommand('account.connect', connectPayload())), { 'wa.commands.ConnectAccount': { method: 'QR', phoneNumber: null } });
    assert.deepEqual(plain(roundTripCommand('account.disconnect', endSessionPayload())), { 'wa.commands.EndSession': { reason: null } });
    assert.deepEqual(plain(roundTripCommand('account.delete', deleteAccountPayload())), { 'wa.commands.DeleteAccount': { purgeData: true } });
  });
});

describe('WILDCAT message requests', () => {
  it('send: { to, message } → a text SendMessage to the JID', () => {
    const payload = sendTextPayload(sendTextBody.parse({ to: JOHN, message: 'Hello! How are you?' }));
    assert.deepEqual(plain(roundTripCommand('message.send', payload)), plain(payload));
    const send = (payload as { 'wa.commands.SendMessage': { to: string; content: unknown } })['wa.commands.SendMessage'];
    assert.equal(send.to, JOHN);
    assert.deepEqual(send.content, { 'wa.conversation.TextContent': { text: 'Hello! How are you?', linkPreview: null, backgroundArgb: null, textArgb: null, font: null } });
    const group = sendTextPayload(sendTextBody.parse({ to: '123456789-1234567890@g.us', message: 'Hi team' }));
    assert.equal((group as { 'wa.commands.SendMessage': { to: string } })['wa.commands.SendMessage'].to, '123456789-1234567890@g.us');
  });

  it('send: "to and message are required"', () => {
    for (const body of [{}, { to: JOHN }, { message: 'hi' }, { to: '', message: 'hi' }, { to: JOHN, message: '' }]) {
      assert.equal(firstMessage(sendTextBody, body), 'to and message are required', JSON.stringify(body));
    }
    assert.match(firstMessage(sendTextBody, { to: 'john', message: 'hi' })!, /^to must be a phone number/);
  });

  it('reply: quotes the message in the chat given, or in the recipient’s chat', () => {
    const body = replyBody.parse({ to: JOHN, message: 'Thanks for your message!', quotedMessageId: '3EB0QUOTED123ID' });
    assert.equal(replyChat(body), JOHN);
    const quoted = targetFromRow(replyChat(body), body.quotedMessageId, null);
    const payload = replyPayload(body, quoted);
    assert.deepEqual(plain(roundTripCommand('message.send', payload)), plain(payload));
    assert.deepEqual((payload as { 'wa.commands.SendMessage': { quoted: unknown } })['wa.commands.SendMessage'].quoted, {
      chatJid: JOHN,
      messageId: '3EB0QUOTED123ID',
      fromMe: null,
      participant: null,
    });
    assert.equal(replyChat(replyBody.parse({ to: JOHN, message: 'x', quotedMessageId: 'ABC1', chatId: '123456789-1234567890@g.us' })), '123456789-1234567890@g.us');
    assert.equal(firstMessage(replyBody, { to: JOHN, message: 'x' }), 'to, message and quotedMessageId are required');
  });

  it('react: the target and emoji; an empty emoji removes the reaction', () => {
    const body = reactBody.parse({ to: JOHN, messageId: '3EB0123ABCD456EF', emoji: '👍' });
    const payload = reactPayload(targetFromRow(JOHN, body.messageId, null), body.emoji);
    assert.deepEqual(plain(roundTripCommand('message.react', payload)), plain(payload));
    roundTripCommand('message.react', reactPayload(targetFromRow(JOHN, body.messageId, null), reactBody.parse({ ...body, emoji: '' }).emoji));
    assert.equal(firstMessage(reactBody, { to: JOHN, messageId: '3EB0123ABCD456EF' }), 'to, messageId and emoji are required');
  });

  it('delete: for everyone', () => {
    const body = deleteMessageBody.parse({ to: JOHN, messageId: '3EB0123ABCD456EF' });
    const payload = deleteMessagePayload(targetFromRow(JOHN, body.messageId, null));
    assert.deepEqual(plain(roundTripCommand('message.delete', payload)), {
      'wa.commands.DeleteMessage': { target: { chatJid: JOHN, messageId: '3EB0123ABCD456EF', fromMe: null, participant: null }, forEveryone: true },
    });
    assert.equal(firstMessage(deleteMessageBody, { to: JOHN }), 'to and messageId are required');
  });

  it('media sends: the uploaded file by media id, with caption; OGG audio goes as a voice note', () => {
    const cases = [
      ['image', upload('image', 'image/jpeg', 'photo.jpg'), 'wa.conversation.ImageContent'],
      ['video', upload('video', 'video/mp4'), 'wa.conversation.VideoContent'],
      ['audio', upload('audio', 'audio/mpeg'), 'wa.conversation.AudioContent'],
      ['document', upload('document', 'application/pdf', 'invoice.pdf'), 'wa.conversation.DocumentContent'],
    ] as const;
    for (const [kind, file, branch] of cases) {
      const payload = sendMediaPayload(kind, sendMediaBody.parse({ to: JOHN, caption: 'Check this out!' }), file);
      assert.deepEqual(plain(roundTripCommand('message.send', payload)), plain(payload), kind);
      const content = (payload as { 'wa.commands.SendMessage': { content: Record<string, { media: { mediaId: string; mimetype: string }; caption?: string | null }> } })[
        'wa.commands.SendMessage'
      ].content;
      assert.deepEqual(Object.keys(content), [branch]);
      assert.equal(content[branch]!.media.mediaId, file.mediaId);
      assert.equal(content[branch]!.media.mimetype, file.mimetype);
      if (kind !== 'audio') assert.equal(content[branch]!.caption, 'Check this out!');
    }
    const ptt = (audio: UploadedFile, fields: Record<string, unknown>): boolean =>
      (sendMediaPayload('audio', sendMediaBody.parse({ to: JOHN, ...fields }), audio) as { 'wa.commands.SendMessage': { content: { 'wa.conversation.AudioContent': { ptt: boolean } } } })[
        'wa.commands.SendMessage'
      ].content['wa.conversation.AudioContent'].ptt;
    assert.equal(ptt(upload('audio', 'audio/ogg; codecs=opus'), {}), true);
    assert.equal(ptt(upload('audio', 'audio/mpeg'), {}), false);
    assert.equal(ptt(upload('audio', 'audio/mpeg'), { ptt: 'true' }), true);
    const document = sendMediaPayload('document', sendMediaBody.parse({ to: JOHN }), upload('document', 'application/pdf', 'invoice.pdf')) as {
      'wa.commands.SendMessage': { content: { 'wa.conversation.DocumentContent': { media: { fileName: string }; title: string } } };
    };
    assert.equal(document['wa.commands.SendMessage'].content['wa.conversation.DocumentContent'].media.fileName, 'invoice.pdf');
    assert.equal(document['wa.commands.SendMessage'].content['wa.conversation.DocumentContent'].title, 'invoice.pdf');
  });

  it('media sends: "to is required", and the missing file is a 400 naming its field', () => {
    assert.equal(firstMessage(sendMediaBody, { caption: 'x' }), 'to is required');
    assert.throws(() => uploadedFile([upload('video', 'video/mp4')], 'image'), { code: 'INVALID_ARGUMENT', field: 'image', message: 'image is required' });
    assert.equal(uploadedFile([upload('video', 'video/mp4'), upload('image', 'image/png')], 'image').field, 'image');
  });
});
