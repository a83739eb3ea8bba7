import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import { connectPayload, endSessionPayload } from '../shared/index.js';
import { roundTripCommand } from '../shared/testing/encodeCommand.js';
import {
  connectPhoneBody,
  createChannelBody,
  createChannelPayload,
  newChannelId,
  putWebhookBody,
  sendCaptionedMediaBody,
  sendCaptionedMediaPayload,
  sendContactBody,
  sendContactPayload,
  sendDocumentBody,
  sendDocumentPayload,
  sendImmediateBody,
  sendImmediatePayload,
  sendLocationBody,
  sendLocationPayload,
  updateChannelBody,
  updateChannelPayload,
} from './channelRequests.js';

const REF = { mediaId: '1a'.repeat(32), mimetype: 'image/jpeg', size: 999 };

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function sendOf(payload: unknown): { to: string; content: Record<string, Record<string, unknown>> } {
  return (payload as { 'wa.commands.SendMessage': { to: string; content: Record<string, Record<string, unknown>> } })['wa.commands.SendMessage'];
}

function firstMessage(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error.issues[0]!.message;
}

describe('channel requests', () => {
  it('POST /channels: name, department, autoConnect (default on)', () => {
    const payload = createChannelPayload(createChannelBody.parse({ name: 'Sales Team', department: 'Sales', autoConnect: 'false' }));
    assert.deepEqual(plain(roundTripCommand('account.create', payload)), {
      'wa.commands.CreateAccount': { name: 'Sales Team', department: 'Sales', autoConnect: false, collectionName: null },
    });
    assert.equal((createChannelPayload(createChannelBody.parse({ name: 'Sales' })) as { 'wa.commands.CreateAccount': { autoConnect: boolean } })['wa.commands.CreateAccount'].autoConnect, true);
    assert.equal(firstMessage(createChannelBody, {}), 'name is required');
    assert.equal(firstMessage(createChannelBody, { name: '  ' }), 'name is required');
  });

  it('POST /channels: the id is ch_ + random, or derived from the Idempotency-Key', () => {
    assert.match(newChannelId(null, 'admin'), /^ch_[0-9a-f]{16}$/);
    assert.notEqual(newChannelId(null, 'admin'), newChannelId(null, 'admin'));
    assert.equal(newChannelId('key-1', 'admin'), newChannelId('key-1', 'admin'));
    assert.notEqual(newChannelId('key-1', 'admin'), newChannelId('key-2', 'admin'));
    assert.notEqual(newChannelId('key-1', 'admin'), newChannelId('key-1', 'other'));
    assert.equal(newChannelId(null, 'admin', () => Buffer.from('0011223344556677', 'hex')), 'ch_0011223344556677');
  });

  it('PUT /channels/:id: absent fields stay unchanged (null)', () => {
    const payload = updateChannelPayload(updateChannelBody.parse({ autoConnect: true }));
    assert.deepEqual(plain(roundTripCommand('account.update', payload)), { 'wa.commands.UpdateAccount': { name: null, department: null, autoConnect: true, collectionName: null } });
    roundTripCommand('account.update', updateChannelPayload(updateChannelBody.parse({ name: 'New', department: 'Ops' })));
  });

  it('connect and connect-phone: QR, or a pairing code for the digits of the number', () => {
    assert.deepEqual(plain(roundTripCommand('account.connect', connectPayload())), { 'wa.commands.ConnectAccount': { method: 'QR', phoneNumber: null } });
    const body = connectPhoneBody.parse({ phoneNumber: '+7 999 123-45-67' });
    assert.deepEqual(plain(roundTripCommand('account.connect', connectPayload(body.phoneNumber))), {
      'wa.commands.ConnectAccount': { method: 'PAIRING_CODE', phoneNumber: '79991234567' },
    });
    assert.equal(firstMessage(connectPhoneBody, {}), 'phoneNumber is required');
    assert.match(firstMessage(connectPhoneBody, { phoneNumber: 'abc' })!, /^phoneNumber must be a phone number/);
    roundTripCommand('account.logout', endSessionPayload());
  });

  it('send-immediate: { phone, message } → text to the phone’s JID', () => {
    const payload = sendImmediatePayload(sendImmediateBody.parse({ phone: '79991234567', message: 'Hi!' }));
    assert.deepEqual(plain(roundTripCommand('message.send', payload)), plain(payload));
    assert.equal(sendOf(payload).to, '79991234567@s.whatsapp.net');
    assert.equal(sendOf(payload).content['wa.conversation.TextContent']!['text'], 'Hi!');
    assert.equal(firstMessage(sendImmediateBody, { message: 'Hi!' }), 'phone is required');
    assert.equal(firstMessage(sendImmediateBody, { phone: '79991234567' }), 'message is required');
  });

  it('image and video: the media reference and caption', () => {
    for (const kind of ['image', 'video'] as const) {
      const body = sendCaptionedMediaBody.parse({ to: '79991234567', media: 'https://example.com/image.jpg', caption: 'Look' });
      const payload = sendCaptionedMediaPayload(kind, body, REF);
      assert.deepEqual(plain(roundTripCommand('message.send', payload)), plain(payload));
      const branch = kind === 'image' ? 'wa.conversation.ImageContent' : 'wa.conversation.VideoContent';
      assert.equal((sendOf(payload).content[branch]!['media'] as { mediaId: string }).mediaId, REF.mediaId);
      assert.equal(sendOf(payload).content[branch]!['caption'], 'Look');
    }
    assert.equal(firstMessage(sendCaptionedMediaBody, { to: '79991234567' }), 'media is required');
    assert.equal(firstMessage(sendCaptionedMediaBody, { media: 'x' }), 'to is required');
  });

  it('document: filename and mimetype on the media', () => {
    const body = sendDocumentBody.parse({ to: '79991234567', media: 'JVBERi0xLjQK', filename: 'report.pdf', mimetype: 'application/pdf' });
    const payload = sendDocumentPayload(body, { ...REF, mimetype: null });
    assert.deepEqual(plain(roundTripCommand('message.send', payload)), plain(payload));
    const document = sendOf(payload).content['wa.conversation.DocumentContent']!;
    assert.deepEqual([(document['media'] as { fileName: string }).fileName, (document['media'] as { mimetype: string }).mimetype, document['title']], ['report.pdf', 'application/pdf', 'report.pdf']);
    assert.match(firstMessage(sendDocumentBody, { to: '79991234567', media: 'x', mimetype: 'pdf' })!, /mimetype/);
  });

  it('location: coordinates from JSON or form strings, in range', () => {
    const payload = sendLocationPayload(sendLocationBody.parse({ to: '79991234567', latitude: '55.7558', longitude: 37.6173, name: 'Moscow', address: 'Red Square' }));
    assert.deepEqual(plain(roundTripCommand('message.send', payload)), plain(payload));
    const location = sendOf(payload).content['wa.conversation.LocationContent']!;
    assert.deepEqual([location['latitude'], location['longitude'], location['name'], location['address']], [55.7558, 37.6173, 'Moscow', 'Red Square']);
    assert.equal(firstMessage(sendLocationBody, { to: '79991234567', latitude: 91, longitude: 0 }), 'latitude is between -90 and 90');
    assert.equal(sendLocationBody.safeParse({ to: '79991234567', latitude: 1 }).success, false);
  });

  it('contact: nested or dotted fields become a vCard', () => {
    for (const body of [
      { to: '79991234567', contact: { fullName: 'John Doe', phone: '+79991234567' } },
      { to: '79991234567', 'contact.fullName': 'John Doe', 'contact.phone': '+79991234567' },
    ]) {
      const payload = sendContactPayload(sendContactBody.parse(body));
      assert.deepEqual(plain(roundTripCommand('message.send', payload)), plain(payload));
      const contact = sendOf(payload).content['wa.conversation.ContactContent']!;
      assert.equal(contact['displayName'], 'John Doe');
      assert.match(String(contact['vcard']), /waid=79991234567:\+79991234567/);
    }
    assert.equal(firstMessage(sendContactBody, { to: '79991234567' }), 'contact is required');
    assert.equal(firstMessage(sendContactBody, { to: '79991234567', contact: { phone: '+1234567' } }), 'contact.fullName is required');
    assert.equal(firstMessage(sendContactBody, { to: '79991234567', 'contact.fullName': 'John' }), 'contact.phone is required');
  });

  it('webhook: url and events (a list, or comma-separated from a query)', () => {
    assert.deepEqual(putWebhookBody.parse({ url: 'https://example.com/webhook', events: ['message.received', 'message.sent'], enabled: 'true' }), {
      url: 'https://example.com/webhook',
      events: ['message.received', 'message.sent'],
      enabled: true,
    });
    assert.deepEqual(putWebhookBody.parse({ url: 'https://example.com/webhook', events: 'message.received, message.sent' }).events, ['message.received', 'message.sent']);
    assert.equal(firstMessage(putWebhookBody, { events: [] }), 'url is required');
    assert.equal(firstMessage(putWebhookBody, { url: 'ftp://example.com', events: [] }), 'url must be a valid HTTP/HTTPS URL');
    assert.equal(firstMessage(putWebhookBody, { url: 'https://example.com' }), 'events must be a list of event types');
    assert.equal(firstMessage(putWebhookBody, { url: 'https://example.com', events: ['Message Received'] }), 'events must be event types like message.received or message.*');
    assert.deepEqual(putWebhookBody.parse({ url: 'https://example.com', events: ['message.*', 'connection.state'] }).events, ['message.*', 'connection.state']);
    for (const bad of [['*'], ['message.*.x'], ['.*']]) assert.equal(firstMessage(putWebhookBody, { url: 'https://example.com', events: bad }), 'events must be event types like message.received or message.*', bad[0]);
  });

  it('webhook secret: Standard Webhooks form whsec_<base64> of 16 to 64 bytes, or none', () => {
    const secret = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    assert.equal(putWebhookBody.parse({ url: 'https://example.com', events: [], secret }).secret, secret);
    const refused = 'secret must be whsec_ followed by the base64 of 16 to 64 random bytes (or leave it out: one is generated)';
    for (const bad of ['my-secret', 'whsec_', 'whsec_not base64!', `whsec_${Buffer.alloc(8).toString('base64')}`, `whsec_${Buffer.alloc(65).toString('base64')}`]) {
      assert.equal(firstMessage(putWebhookBody, { url: 'https://example.com', events: [], secret: bad }), refused, bad);
    }
  });
});
