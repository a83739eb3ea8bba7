import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_EVENT_TYPES, CONVERSATION_EVENT_TYPES, toProjectedEvent, type Avro } from '../../../projections/events/index.js';
import { ALICE, EventFactory, GROUP, ME, ReadModelSpec, T0, type MessageOptions, type Value } from '../../../projections/readModels/testing/index.js';
import { liveEventOf } from '../../api/events/index.js';
import { messageRowToWhapi } from '../../api/routes/shared/index.js';
import { SecretBox } from '../../shared/secrets/index.js';
import { chatOfEvent, messageRowOf, PRESENCE_EVENT_TYPES, renderWebhookPayload, type PayloadFormat, type WebhookEvent } from './index.js';
import { everyWebhookEvent, webhookSample, type WebhookSample } from './testing/index.js';

const FORMATS: readonly PayloadFormat[] = ['WILDCAT', 'WHAPI', 'ENVELOPE', 'UNKNOWN'];
const MESSAGE_TYPES = new Set(['message.received', 'message.sent', 'message.history', 'story.received', 'story.posted']);

const render = (sample: WebhookSample, format: PayloadFormat): Record<string, unknown> => JSON.parse(renderWebhookPayload(sample.event, format)) as Record<string, unknown>;

/** What the SSE stream shows for the same record. */
const liveEnvelope = (sample: WebhookSample): Record<string, unknown> =>
  liveEventOf({ topic: `wa.${sample.topic}.v1`, partition: 0, offset: '0', key: sample.event.accountId, value: sample.bytes, headers: {}, timestamp: 0 }, new EventFactory().codec, schemaOf(sample)).envelope;

const schemaOf = (sample: WebhookSample): string => ({ conversation: 'wa.conversation.ConversationEvent', account: 'wa.account.AccountEvent', presence: 'wa.presence.PresenceEvent' })[sample.topic];

/** A message record, encoded and decoded like one read from wa.conversation.v1. */
function messageSample(f: EventFactory, options: MessageOptions): WebhookSample {
  return webhookSample(f.codec, 'conversation', f.messageEnvelope(options));
}

function sealedMedia(extra: Value = {}): { media: Value; sealed: ReturnType<SecretBox['seal']>; thumbnail: Buffer } {
  const sealed = new SecretBox(randomBytes(32)).seal(randomBytes(32), 'acc-1|chat|id');
  const thumbnail = Buffer.from('a jpeg thumbnail');
  return {
    sealed,
    thumbnail,
    media: { mediaId: 'f'.repeat(64), sha256: 'f'.repeat(64), mimetype: 'image/jpeg', fileLength: 2048, status: 'STORED', fileEncSha256: Buffer.from([9, 8, 7]), mediaKeyEncrypted: sealed, jpegThumbnail: thumbnail, ...extra },
  };
}

/** Every form a secret's bytes could take in a text body. */
function secretForms(sealed: ReturnType<SecretBox['seal']>): string[] {
  return [sealed.ciphertext, sealed.iv, sealed.authTag].flatMap((bytes) => [bytes.toString('base64'), bytes.toString('hex'), bytes.toString('latin1'), bytes.toString('base64url')]);
}

describe('webhook payloads of every event type', () => {
  const samples = everyWebhookEvent();

  it('the samples cover every event type of the three event topics', () => {
    const covered = new Set(samples.map((sample) => sample.event.type));
    for (const type of [...CONVERSATION_EVENT_TYPES, ...ACCOUNT_EVENT_TYPES, ...PRESENCE_EVENT_TYPES]) assert.ok(covered.has(type), `no sample of ${type}`);
    assert.deepEqual(new Set(samples.map((sample) => sample.topic)), new Set(['conversation', 'account', 'presence']));
  });

  for (const format of FORMATS) {
    it(`${format}: every event renders as JSON carrying its event id and type, the same on every call`, () => {
      for (const sample of samples) {
        const { event } = sample;
        const text = renderWebhookPayload(event, format);
        const body = JSON.parse(text) as Record<string, unknown>;
        assert.equal(body.eventId, event.eventId, `${format} ${event.type}`);
        assert.equal(format === 'ENVELOPE' || format === 'UNKNOWN' ? body.type : body.event, event.type, `${format} ${event.type}`);
        assert.equal(renderWebhookPayload(event, format), text, 'rendering is deterministic (the signed bytes)');
        assert.doesNotMatch(text, /mediaKeyEncrypted|"ciphertext"|"authTag"/, `${format} ${event.type}`);
      }
    });
  }

  it('ENVELOPE is the record exactly as the live stream shows it; UNKNOWN (a newer format) falls back to it', () => {
    for (const sample of samples) {
      assert.deepEqual(render(sample, 'ENVELOPE'), liveEnvelope(sample), sample.event.type);
      assert.equal(renderWebhookPayload(sample.event, 'UNKNOWN'), renderWebhookPayload(sample.event, 'ENVELOPE'));
    }
  });

  it('WILDCAT and WHAPI give every non-message event the live stream\'s data', () => {
    for (const sample of samples.filter((s) => !MESSAGE_TYPES.has(s.event.type))) {
      const { event } = sample;
      const data = liveEnvelope(sample).data;
      assert.deepEqual(render(sample, 'WILDCAT'), { event: event.type, eventId: event.eventId, accountId: event.accountId, chatId: chatOfEvent(event), timestamp: event.occurredAt, data }, event.type);
      assert.deepEqual(render(sample, 'WHAPI'), { event: event.type, eventId: event.eventId, channelId: event.accountId, timestamp: event.occurredAt, data }, event.type);
    }
  });

  it('WILDCAT gives every message event (stories and history too) the flat body', () => {
    for (const sample of samples.filter((s) => MESSAGE_TYPES.has(s.event.type))) {
      const body = render(sample, 'WILDCAT');
      assert.deepEqual(Object.keys(body).sort(), ['accountId', 'chatId', 'event', 'eventId', 'from', 'fromMe', 'message', 'messageId', 'timestamp', 'type'], sample.event.type);
    }
  });
});

describe('WILDCAT message payloads', () => {
  const f = new EventFactory('mybot');

  it('an inbound text is the document\'s example body, plus event and eventId', () => {
    const sample = messageSample(f, { id: '3EB0123ABCD456EF', text: 'Hello!', timestamp: 1_730_700_645_123 });
    assert.deepEqual(render(sample, 'WILDCAT'), {
      from: ALICE,
      message: 'Hello!',
      messageId: '3EB0123ABCD456EF',
      timestamp: 1_730_700_645_123,
      accountId: 'mybot',
      chatId: ALICE,
      fromMe: false,
      type: 'text',
      event: 'message.received',
      eventId: sample.event.eventId,
    });
  });

  it('a sent message is from the account\'s own JID', () => {
    const body = render(messageSample(f, { id: 'OUT1', type: 'message.sent', text: 'hi there' }), 'WILDCAT');
    assert.equal(body.from, ME);
    assert.equal(body.fromMe, true);
    assert.equal(body.chatId, ALICE);
    assert.equal(body.event, 'message.sent');
  });

  it('a group message is from its participant, in the group chat', () => {
    const body = render(messageSample(f, { id: 'G1', chat: GROUP, participant: ALICE, text: 'team' }), 'WILDCAT');
    assert.equal(body.from, ALICE);
    assert.equal(body.chatId, GROUP);
  });

  it('a media message carries its caption and lower-case kind; none gives an empty message', () => {
    const { media } = sealedMedia();
    const image = render(messageSample(f, { id: 'IMG', kind: 'IMAGE', content: { 'wa.conversation.ImageContent': { media, caption: 'look' } } }), 'WILDCAT');
    assert.equal(image.message, 'look');
    assert.equal(image.type, 'image');
    const sticker = render(messageSample(f, { id: 'STK', kind: 'STICKER', content: { 'wa.conversation.StickerContent': { media, isAnimated: false, isAvatar: false, isLottie: false } } }), 'WILDCAT');
    assert.equal(sticker.message, '');
    assert.equal(sticker.type, 'sticker');
    const voice = render(messageSample(f, { id: 'PTT', kind: 'VOICE', content: { 'wa.conversation.AudioContent': { media, ptt: true } } }), 'WILDCAT');
    assert.equal(voice.type, 'voice');
    const location = render(messageSample(f, { id: 'LOC', kind: 'LIVE_LOCATION', content: { 'wa.conversation.LiveLocationContent': { latitude: 1, longitude: 2, caption: 'here' } } }), 'WILDCAT');
    assert.equal(location.type, 'live_location');
    assert.equal(location.message, 'here');
  });

  it('a story is rendered like a message, in status@broadcast', () => {
    const body = render(messageSample(f, { id: 'S9', chat: 'status@broadcast', type: 'story.received', participant: ALICE, text: 'my day' }), 'WILDCAT');
    assert.deepEqual([body.event, body.chatId, body.from, body.message], ['story.received', 'status@broadcast', ALICE, 'my day']);
  });
});

describe('WHAPI message payloads: the message as the API answers it', () => {
  let spec: ReadModelSpec;
  before(async () => {
    spec = await ReadModelSpec.start();
  });
  after(async () => {
    await spec.close();
  });

  const f = new EventFactory('ch-1');
  const { media } = sealedMedia({ fileName: 'photo.jpg' });
  const cases: MessageOptions[] = [
    { id: 'T1', text: 'Hello' },
    { id: 'T2', type: 'message.sent', text: 'out', status: 'SERVER_ACK' },
    { id: 'T3', type: 'message.history', text: 'old', timestamp: T0 - 10_000 },
    { id: 'G1', chat: GROUP, participant: ALICE, text: 'hi @me', contextInfo: { quotedMessageId: 'T1', mentionedJids: [ME] } },
    { id: 'I1', kind: 'IMAGE', content: { 'wa.conversation.ImageContent': { media, caption: 'look' } }, starred: true },
    { id: 'D1', kind: 'DOCUMENT', content: { 'wa.conversation.DocumentContent': { media: { ...media, mimetype: 'application/pdf', status: 'PENDING' }, title: 'report', caption: null } } },
    { id: 'L1', kind: 'LOCATION', content: { 'wa.conversation.LocationContent': { latitude: 55.75, longitude: 37.61, name: 'Moscow', comment: 'meet here' } } },
    { id: 'P1', kind: 'POLL', content: { 'wa.conversation.PollCreationContent': { name: 'Lunch?', options: ['yes', 'no'], selectableCount: 1, version: 3 } } },
    { id: 'U1', kind: 'UNSUPPORTED', content: { 'wa.conversation.UnsupportedContent': { messageType: 'futureMessage' } } },
  ];

  for (const options of cases) {
    it(`${options.id} (${options.kind ?? 'TEXT'}, ${options.type ?? 'message.received'}): data equals the API's view of the projected message`, async () => {
      const envelope = f.messageEnvelope(options);
      const sample = webhookSample(f.codec, 'conversation', envelope);
      await spec.given(toProjectedEvent('conversation', sample.event)!);
      const row = await spec.reads.message('ch-1', options.id);
      assert.ok(row !== null);
      const recorded = (sample.event.data as { 'wa.conversation.MessageRecorded': Avro.MessageRecorded })['wa.conversation.MessageRecorded'];
      assert.deepEqual(messageRowOf(sample.event, recorded), row, 'the row built from the event is the row the read model keeps');
      const body = render(sample, 'WHAPI');
      assert.deepEqual(body, { event: sample.event.type, eventId: sample.event.eventId, channelId: 'ch-1', timestamp: sample.event.occurredAt, data: messageRowToWhapi(row) });
    });
  }

  it('a received text has the document\'s fields', () => {
    const body = render(messageSample(f, { id: 'BAE5', text: 'Hello World!' }), 'WHAPI');
    const data = body.data as Record<string, unknown>;
    assert.deepEqual(
      { id: data.id, chatId: data.chatId, from: data.from, fromMe: data.fromMe, type: data.type, text: data.text, status: data.status, media: data.media },
      { id: 'BAE5', chatId: ALICE, from: ALICE, fromMe: false, type: 'text', text: 'Hello World!', status: 'delivered', media: null },
    );
  });
});

describe('no secret leaves in a payload, bytes go as base64', () => {
  const f = new EventFactory('acc-1');

  it('a media message: the sealed media key is in no format; the thumbnail is base64 where the record is shown', () => {
    const { media, sealed, thumbnail } = sealedMedia();
    const sample = messageSample(f, { id: 'SEC1', kind: 'IMAGE', content: { 'wa.conversation.ImageContent': { media, caption: 'c' } } });
    for (const format of FORMATS) {
      const text = renderWebhookPayload(sample.event, format);
      for (const secret of secretForms(sealed)) assert.equal(text.includes(secret), false, `${format} leaks the sealed media key`);
      assert.equal(text.includes('mediaKeyEncrypted'), false);
    }
    assert.ok(renderWebhookPayload(sample.event, 'ENVELOPE').includes(thumbnail.toString('base64')));
    assert.ok(renderWebhookPayload(sample.event, 'ENVELOPE').includes(Buffer.from([9, 8, 7]).toString('base64')));
  });

  it('a media update (generic body): the key is gone, bytes are base64 in WILDCAT and WHAPI data too', () => {
    const { media, sealed, thumbnail } = sealedMedia();
    const sample = webhookSample(f.codec, 'conversation', f.envelope('message.media', 'wa.conversation.MessageMediaUpdated', { targetKey: { remoteJid: ALICE, id: 'SEC1', fromMe: false }, media }, { chatJid: ALICE }));
    for (const format of FORMATS) {
      const text = renderWebhookPayload(sample.event, format);
      for (const secret of secretForms(sealed)) assert.equal(text.includes(secret), false, `${format} leaks the sealed media key`);
      const body = JSON.parse(text) as Record<string, unknown>;
      const data = body.data as Record<string, Record<string, Record<string, unknown>>>;
      const ref = data['wa.conversation.MessageMediaUpdated']!.media!;
      assert.equal(ref.jpegThumbnail, thumbnail.toString('base64'), format);
      assert.equal(ref.fileEncSha256, 'CQgH', format);
      assert.equal('mediaKeyEncrypted' in ref, false, format);
    }
  });

  it('an EncryptedValue anywhere in a decoded event is dropped, not rendered', () => {
    const { media, sealed } = sealedMedia();
    const sample = messageSample(f, { id: 'SEC2', kind: 'PRODUCT', content: { 'wa.conversation.ProductContent': { title: 'shoe', productImage: media } } });
    const withStray = { ...sample.event, data: { 'wa.conversation.MessageRecorded': { ...(sample.event.data as unknown as Record<string, Value>)['wa.conversation.MessageRecorded'], stray: sealed } } } as unknown as WebhookEvent;
    for (const format of FORMATS) {
      const text = renderWebhookPayload(withStray, format);
      for (const secret of secretForms(sealed)) assert.equal(text.includes(secret), false, `${format} leaks an EncryptedValue`);
    }
  });
});
