import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { proto } from '@whiskeysockets/baileys';
import { baileysPayloads as wa } from '../../../test/helpers/index.js';
import type { DraftEvent } from '../events/index.js';
import { eventId, messageKeyParts } from '../events/index.js';
import { mediaKeyAad, translateBatch, type TranslateContext } from './index.js';
import { ACCOUNT, NOW, assertNoSecrets, branchOf, dataOf, encodeAll, testContext } from './testContext.js';
import type { SealedSecret } from './TranslateContext.js';

type Rec = Record<string, unknown>;

function translate(ctx: TranslateContext, batch: Parameters<typeof translateBatch>[0]): DraftEvent[] {
  const events = [...translateBatch(batch, ctx)];
  encodeAll(events);
  return events;
}

function recorded(events: DraftEvent[]): { event: DraftEvent; message: Rec; content: Rec; contentName: string } {
  const event = events.find((e) => ['message.received', 'message.sent', 'message.history', 'story.received', 'story.posted'].includes(e.type));
  assert.ok(event, `no recorded message among ${events.map((e) => e.type).join(', ')}`);
  const message = dataOf<{ message: Rec }>(event).message;
  const union = message.content as Rec;
  const contentName = Object.keys(union)[0] ?? '';
  return { event, message, content: union[contentName] as Rec, contentName };
}

const T0_MS = wa.T0 * 1000;

describe('translateBatch: messages.upsert', () => {
  it('given a text from a contact, when notified, then message.received in their chat, LIVE, inbound, NOTIFY', () => {
    const ctx = testContext();
    const msg = wa.waMessage(wa.contents.text('hello'), { chat: wa.PEER.pn, pushName: 'Peer', id: 'ID-TEXT' });

    const events = translate(ctx, wa.upsertBatch([msg]));

    assert.deepEqual(events.map((e) => e.type), ['message.received']);
    const [event] = events;
    assert.equal(event?.topic, 'conversation');
    assert.equal(event?.chatJid, wa.PEER.pn);
    assert.equal(event?.source, 'LIVE');
    assert.equal(event?.causationId, null);
    assert.equal(event?.occurredAt, T0_MS);
    assert.equal(event?.eventId, eventId('message', ACCOUNT, messageKeyParts(wa.PEER.pn, 'ID-TEXT', false)));
    const data = dataOf<Rec>(event);
    assert.equal(data.direction, 'INBOUND');
    assert.equal(data.upsertType, 'NOTIFY');
    const message = data.message as Rec;
    assert.deepEqual(message.key, {
      remoteJid: wa.PEER.pn,
      id: 'ID-TEXT',
      fromMe: false,
      participant: null,
      remoteJidAlt: null,
      participantAlt: null,
      addressingMode: 'UNKNOWN',
      serverId: null,
    });
    assert.equal(message.senderJid, wa.PEER.pn);
    assert.equal(message.senderPn, wa.PEER.pn);
    assert.equal(message.pushName, 'Peer');
    assert.equal(message.timestamp, T0_MS);
    assert.equal(message.kind, 'TEXT');
    assert.deepEqual(branchOf(message.content, 'wa.conversation.TextContent'), { text: 'hello' });
  });

  it('given an extended text with a link preview and an uploaded thumbnail, then LinkPreview with a sealed thumbnail key', () => {
    const ctx = testContext();
    const secrets = wa.mediaSecrets('preview');
    const msg = wa.waMessage(wa.contents.linkPreview('see https://example.com', 'https://example.com', 'preview'));

    const events = translate(ctx, wa.upsertBatch([msg]));

    const { content, message } = recorded(events);
    assert.equal(message.kind, 'TEXT');
    assert.equal(content.text, 'see https://example.com');
    const preview = content.linkPreview as Rec;
    assert.equal(preview.matchedText, 'https://example.com');
    assert.equal(preview.url, 'https://example.com');
    assert.equal(preview.title, 'Example Domain');
    assert.equal(preview.description, 'This domain is for use in examples.');
    assert.deepEqual(preview.jpegThumbnail, Buffer.from('ffd8ffe0', 'hex'));
    const thumbnail = preview.thumbnail as Rec;
    assert.equal(thumbnail.mediaId, secrets.fileSha256.toString('hex'));
    assert.equal(thumbnail.width, 1200);
    assert.equal(thumbnail.directPath, secrets.directPath);
    assert.deepEqual(ctx.unseal(thumbnail.mediaKeyEncrypted as SealedSecret, mediaKeyAad(ACCOUNT, { remoteJid: wa.PEER.pn, id: msg.key.id ?? '' })), secrets.mediaKey);
    assertNoSecrets(encodeAll(events), [secrets.mediaKey]);
  });

  it('given an image, then ImageContent whose MediaRef is content addressed, PENDING, with the media key sealed and never in clear', () => {
    const ctx = testContext();
    const secrets = wa.mediaSecrets('img');
    const msg = wa.waMessage(wa.contents.image('img', 'a cat'), { id: 'ID-IMG' });

    const events = translate(ctx, wa.upsertBatch([msg]));

    const { content, message } = recorded(events);
    assert.equal(message.kind, 'IMAGE');
    assert.equal(content.caption, 'a cat');
    const media = content.media as Rec;
    assert.equal(media.mediaId, secrets.fileSha256.toString('hex'));
    assert.equal(media.sha256, secrets.fileSha256.toString('hex'));
    assert.equal(media.status, 'PENDING');
    assert.equal(media.mimetype, 'image/jpeg');
    assert.equal(media.fileLength, 48_213);
    assert.equal(media.width, 1280);
    assert.equal(media.height, 960);
    assert.equal(media.directPath, secrets.directPath);
    assert.deepEqual(media.fileEncSha256, secrets.fileEncSha256);
    assert.equal(media.mediaKeyTimestamp, secrets.mediaKeyTimestamp * 1000);
    assert.deepEqual(media.jpegThumbnail, Buffer.from('ffd8ffdb', 'hex'));
    const sealed = media.mediaKeyEncrypted as SealedSecret;
    assert.equal(sealed.keyId, 'test-key-1');
    assert.deepEqual(ctx.unseal(sealed, `${ACCOUNT}|${wa.PEER.pn}|ID-IMG`), secrets.mediaKey);
    assert.throws(() => ctx.unseal(sealed, `${ACCOUNT}|${wa.PEER.pn}|OTHER-ID`), 'the AAD binds the key to its message');
    assertNoSecrets(encodeAll(events), [secrets.mediaKey]);
  });

  const mediaCases: Array<{ name: string; build: () => proto.IMessage; kind: string; branch: string; check: (content: Rec) => void }> = [
    {
      name: 'video',
      build: () => wa.contents.video('vid', 'clip'),
      kind: 'VIDEO',
      branch: 'wa.conversation.VideoContent',
      check: (c) => {
        assert.equal(c.caption, 'clip');
        assert.equal(c.gifPlayback, false);
        assert.equal((c.media as Rec).seconds, 12);
      },
    },
    {
      name: 'gif',
      build: () => wa.contents.gif('gif'),
      kind: 'GIF',
      branch: 'wa.conversation.VideoContent',
      check: (c) => {
        assert.equal(c.gifPlayback, true);
        assert.equal(c.gifAttribution, 'GIPHY');
      },
    },
    { name: 'ptv', build: () => wa.contents.ptv('ptv'), kind: 'PTV', branch: 'wa.conversation.PtvContent', check: (c) => assert.equal((c.media as Rec).seconds, 9) },
    {
      name: 'audio',
      build: () => wa.contents.audio('aud'),
      kind: 'AUDIO',
      branch: 'wa.conversation.AudioContent',
      check: (c) => {
        assert.equal(c.ptt, false);
        assert.equal((c.media as Rec).seconds, 184);
      },
    },
    {
      name: 'voice note',
      build: () => wa.contents.voice('ptt'),
      kind: 'VOICE',
      branch: 'wa.conversation.AudioContent',
      check: (c) => {
        assert.equal(c.ptt, true);
        assert.deepEqual(c.waveform, Buffer.from([0, 10, 50, 99, 20]));
        assert.equal((c.media as Rec).mimetype, 'audio/ogg; codecs=opus');
      },
    },
    {
      name: 'document',
      build: () => wa.contents.document('doc', 'report.pdf'),
      kind: 'DOCUMENT',
      branch: 'wa.conversation.DocumentContent',
      check: (c) => {
        assert.equal((c.media as Rec).fileName, 'report.pdf');
        assert.equal(c.title, 'report.pdf');
        assert.equal(c.pageCount, 3);
        assert.equal(c.caption, null);
      },
    },
    {
      name: 'sticker',
      build: () => wa.contents.sticker('stk'),
      kind: 'STICKER',
      branch: 'wa.conversation.StickerContent',
      check: (c) => {
        assert.equal(c.isAnimated, true);
        assert.equal((c.media as Rec).mimetype, 'image/webp');
      },
    },
  ];

  for (const testCase of mediaCases) {
    it(`given a ${testCase.name}, then ${testCase.kind} with a sealed, content-addressed MediaRef`, () => {
      const ctx = testContext();
      const msg = wa.waMessage(testCase.build());
      const events = translate(ctx, wa.upsertBatch([msg]));
      const { message, contentName, content } = recorded(events);
      assert.equal(message.kind, testCase.kind);
      assert.equal(contentName, testCase.branch);
      testCase.check(content);
      const media = content.media as Rec;
      assert.equal(media.status, 'PENDING');
      assert.match(String(media.mediaId), /^[0-9a-f]{64}$/);
      assert.ok(media.mediaKeyEncrypted, 'media key kept sealed');
      const mediaKeys = ['vid', 'gif', 'ptv', 'aud', 'ptt', 'doc', 'stk'].map((seed) => wa.mediaSecrets(seed).mediaKey);
      assertNoSecrets(encodeAll(events), mediaKeys);
    });
  }

  it('given a document inside documentWithCaptionMessage, then DOCUMENT with its caption and the wrapper recorded', () => {
    const ctx = testContext();
    const events = translate(ctx, wa.upsertBatch([wa.waMessage(wa.contents.documentWithCaption('dwc', 'invoice.pdf', 'March invoice'))]));
    const { message, content } = recorded(events);
    assert.equal(message.kind, 'DOCUMENT');
    assert.equal(content.caption, 'March invoice');
    assert.deepEqual(message.wrappers, ['DOCUMENT_WITH_CAPTION']);
  });

  it('given locations, contacts and a contact list, then their typed contents', () => {
    const ctx = testContext();
    const events = translate(
      ctx,
      wa.upsertBatch([
        wa.waMessage(wa.contents.location()),
        wa.waMessage(wa.contents.liveLocation()),
        wa.waMessage(wa.contents.contact('Ana', '34600000001')),
        wa.waMessage(wa.contents.contacts([['Ana', '34600000001'], ['Bo', '34600000002']])),
      ]),
    );
    const messages = events.map((e) => dataOf<{ message: Rec }>(e).message);
    assert.deepEqual(messages.map((m) => m.kind), ['LOCATION', 'LIVE_LOCATION', 'CONTACT', 'CONTACTS']);
    const location = branchOf<Rec>(messages[0]?.content, 'wa.conversation.LocationContent');
    assert.equal(location.latitude, 48.8584);
    assert.equal(location.name, 'Eiffel Tower');
    const live = branchOf<Rec>(messages[1]?.content, 'wa.conversation.LiveLocationContent');
    assert.equal(live.sequenceNumber, 3);
    assert.equal(live.timeOffsetSeconds, 60);
    assert.equal(live.caption, 'on my way');
    const contact = branchOf<Rec>(messages[2]?.content, 'wa.conversation.ContactContent');
    assert.equal(contact.displayName, 'Ana');
    assert.match(String(contact.vcard), /waid=34600000001/);
    const list = branchOf<Rec>(messages[3]?.content, 'wa.conversation.ContactsArrayContent');
    assert.equal((list.contacts as Rec[]).length, 2);
  });

  it('given polls v1, v2 and v3 with message secrets, then PollCreationContent per version and no secret in the output', () => {
    const ctx = testContext();
    const secret = Buffer.alloc(32, 0x5a);
    const events = translate(
      ctx,
      wa.upsertBatch([
        wa.waMessage(wa.contents.poll(1, 'Lunch?', ['Pizza', 'Sushi'], 0, secret)),
        wa.waMessage(wa.contents.poll(2, 'Announce?', ['Yes', 'No'], 1, secret)),
        wa.waMessage(wa.contents.poll(3, 'Single?', ['A', 'B', 'C'], 1, secret)),
      ]),
    );
    const polls = events.map((e) => branchOf<Rec>(dataOf<{ message: Rec }>(e).message.content, 'wa.conversation.PollCreationContent'));
    assert.deepEqual(
      polls.map((p) => [p.version, p.name, p.options, p.selectableCount, p.toAnnouncementGroup]),
      [
        [1, 'Lunch?', ['Pizza', 'Sushi'], 0, null],
        [2, 'Announce?', ['Yes', 'No'], 1, true],
        [3, 'Single?', ['A', 'B', 'C'], 1, null],
      ],
    );
    assert.ok(events.every((e) => dataOf<{ message: Rec }>(e).message.kind === 'POLL'));
    assertNoSecrets(encodeAll(events), [secret]);
  });

  it('given buttons, template, list and native-flow messages and their replies, then InteractiveContent / InteractiveResponseContent', () => {
    const ctx = testContext();
    const events = translate(
      ctx,
      wa.upsertBatch(
        [wa.contents.buttons(), wa.contents.template(), wa.contents.list(), wa.contents.nativeFlow(), wa.contents.buttonsResponse(), wa.contents.templateReply(), wa.contents.listResponse(), wa.contents.interactiveResponse()].map((c) =>
          wa.waMessage(c),
        ),
      ),
    );
    const messages = events.map((e) => dataOf<{ message: Rec }>(e).message);
    assert.deepEqual(messages.map((m) => m.kind), [...Array(4).fill('INTERACTIVE'), ...Array(4).fill('INTERACTIVE_RESPONSE')]);
    const [buttons, template, list, flow] = messages.slice(0, 4).map((m) => branchOf<Rec>(m.content, 'wa.conversation.InteractiveContent'));
    assert.equal(buttons?.interactiveKind, 'BUTTONS');
    assert.equal(buttons?.text, 'Pick one');
    assert.deepEqual((buttons?.buttons as Rec[]).map((b) => [b.id, b.displayText, b.type]), [
      ['yes', 'Yes', 'REPLY'],
      ['no', 'No', 'REPLY'],
    ]);
    assert.equal(template?.interactiveKind, 'TEMPLATE');
    assert.deepEqual((template?.buttons as Rec[]).map((b) => [b.type, b.displayText, b.url ?? b.phoneNumber ?? b.id]), [
      ['URL', 'Track', 'https://shop.example/track'],
      ['CALL', 'Call us', '+15550100'],
      ['REPLY', 'Thanks', 'thanks'],
    ]);
    assert.equal(list?.interactiveKind, 'LIST');
    assert.equal(list?.buttonText, 'Open menu');
    assert.deepEqual((list?.buttons as Rec[])[0], { id: 'pasta', displayText: 'Pasta', type: 'LIST_ROW', sectionTitle: 'Mains', description: 'with basil' });
    assert.equal(flow?.interactiveKind, 'NATIVE_FLOW');
    assert.deepEqual((flow?.buttons as Rec[]).map((b) => [b.type, b.displayText, b.copyCode ?? b.url]), [
      ['COPY', 'Copy', 'SAVE10'],
      ['URL', 'Visit', 'https://shop.example'],
    ]);
    assert.ok(typeof flow?.rawJson === 'string' && String(flow.rawJson).includes('nativeFlowMessage'));
    const responses = messages.slice(4).map((m) => branchOf<Rec>(m.content, 'wa.conversation.InteractiveResponseContent'));
    assert.deepEqual(responses.map((r) => [r.responseKind, r.selectedId]), [
      ['BUTTONS', 'yes'],
      ['TEMPLATE', 'thanks'],
      ['LIST', 'pasta'],
      ['NATIVE_FLOW', 'booking'],
    ]);
    assert.equal(responses[2]?.description, 'with basil');
    assert.equal(responses[3]?.rawJson, '{"slot":"10:00"}');
  });

  it('given a group invite, a product, an order, an event, an event response and an album, then their contents without order token or event secret', () => {
    const ctx = testContext();
    const secret = Buffer.alloc(32, 0x33);
    const token = 'ORDER-TOKEN-SECRET-123';
    const album = wa.waMessage(wa.contents.album(), { id: 'ALBUM-1' });
    const child = wa.waMessage(wa.contents.albumChild('alb', { remoteJid: wa.PEER.pn, id: 'ALBUM-1', fromMe: false }));
    const eventMsg = wa.waMessage(wa.contents.event(secret), { id: 'EVENT-1' });
    const events = translate(
      ctx,
      wa.upsertBatch([
        wa.waMessage(wa.contents.groupInvite()),
        wa.waMessage(wa.contents.product('prod')),
        wa.waMessage(wa.contents.order(token)),
        eventMsg,
        wa.waMessage(wa.contents.eventResponse({ remoteJid: wa.PEER.pn, id: 'EVENT-1', fromMe: false })),
        album,
        child,
      ]),
    );
    const messages = events.map((e) => dataOf<{ message: Rec }>(e).message);
    assert.deepEqual(messages.map((m) => m.kind), ['GROUP_INVITE', 'PRODUCT', 'ORDER', 'EVENT', 'EVENT_RESPONSE', 'ALBUM', 'IMAGE']);
    const invite = branchOf<Rec>(messages[0]?.content, 'wa.conversation.GroupInviteContent');
    assert.deepEqual([invite.groupJid, invite.inviteCode, invite.inviteExpiration], [wa.GROUP, 'AbCdEfGh', (wa.T0 + 259_200) * 1000]);
    const product = branchOf<Rec>(messages[1]?.content, 'wa.conversation.ProductContent');
    assert.deepEqual([product.title, product.priceAmount1000, product.currencyCode], ['Mug', 12_500, 'EUR']);
    assert.ok((product.productImage as Rec).mediaKeyEncrypted);
    const order = branchOf<Rec>(messages[2]?.content, 'wa.conversation.OrderContent');
    assert.deepEqual([order.orderId, order.status, order.surface, order.totalAmount1000], ['o-1', 'INQUIRY', 'CATALOG', 25_000]);
    const calendar = branchOf<Rec>(messages[3]?.content, 'wa.conversation.EventContent');
    assert.deepEqual([calendar.name, calendar.startTime, (calendar.location as Rec).name], ['Launch', (wa.T0 + 3600) * 1000, 'Hall']);
    const rsvp = branchOf<Rec>(messages[4]?.content, 'wa.conversation.EventResponseContent');
    assert.deepEqual([(rsvp.eventKey as Rec).id, rsvp.decrypted, rsvp.response], ['EVENT-1', false, 'UNKNOWN']);
    assert.deepEqual(branchOf(messages[5]?.content, 'wa.conversation.AlbumContent'), { expectedImageCount: 2, expectedVideoCount: 1 });
    assert.equal(messages[6]?.albumParentId, 'ALBUM-1');
    assertNoSecrets(encodeAll(events), [secret, Buffer.from(token), wa.mediaSecrets('prod').mediaKey]);
  });

  it('given ephemeral and view-once wrappers, then the content is flattened and the wrappers recorded', () => {
    const ctx = testContext();
    const events = translate(
      ctx,
      wa.upsertBatch([
        wa.waMessage(wa.contents.ephemeral(wa.contents.extendedText('vanishing', { contextInfo: { expiration: 604_800 } }))),
        wa.waMessage(wa.contents.ephemeral(wa.contents.viewOnce(wa.contents.image('vo'), 2))),
        wa.waMessage(wa.contents.viewOnce(wa.contents.video('vo1'), 1)),
      ]),
    );
    const messages = events.map((e) => dataOf<{ message: Rec }>(e).message);
    assert.deepEqual(messages.map((m) => [m.kind, m.wrappers, m.isEphemeral, m.isViewOnce]), [
      ['TEXT', ['EPHEMERAL'], true, false],
      ['IMAGE', ['EPHEMERAL', 'VIEW_ONCE_V2'], true, true],
      ['VIDEO', ['VIEW_ONCE'], false, true],
    ]);
    assert.equal((messages[0]?.contextInfo as Rec).expirationSeconds, 604_800);
  });

  it('given a group reply quoting an image with mentions, then contextInfo carries the quote, its kind and text, and the mentions', () => {
    const ctx = testContext();
    const msg = wa.waMessage(
      wa.contents.reply('@919876543210 look', { id: 'QUOTED-1', participant: wa.OTHER.pn, message: wa.contents.image('quoted', 'the view') }, [wa.PEER.pn]),
      { chat: wa.GROUP, participant: `${wa.PEER.pn.split('@')[0]}:3@s.whatsapp.net` },
    );
    const events = translate(ctx, wa.upsertBatch([msg]));
    const { message, event } = recorded(events);
    assert.equal(event.chatJid, wa.GROUP);
    assert.equal(message.senderJid, wa.PEER.pn, 'device suffix removed');
    assert.equal((message.key as Rec).participant, wa.PEER.pn);
    assert.deepEqual(message.contextInfo, {
      quotedMessageId: 'QUOTED-1',
      quotedParticipant: wa.OTHER.pn,
      quotedRemoteJid: null,
      quotedKind: 'IMAGE',
      quotedText: 'the view',
      mentionedJids: [wa.PEER.pn],
      groupMentions: [],
      isForwarded: true,
      forwardingScore: 2,
      expirationSeconds: 86_400,
      ephemeralSettingAt: null,
      externalAdReply: null,
      entryPointConversionSource: null,
      entryPointConversionApp: null,
      forwardedNewsletterJid: null,
      forwardedNewsletterName: null,
      forwardedNewsletterServerMessageId: null,
    });
    assertNoSecrets(encodeAll(events), [wa.mediaSecrets('quoted').mediaKey]);
  });

  it('given a content type the schema does not model, then UnsupportedContent with its JSON, secrets stripped', () => {
    const ctx = testContext();
    const secret = Buffer.alloc(32, 0x77);
    const msg = wa.waMessage(
      wa.content({ requestPaymentMessage: { currencyCodeIso4217: 'INR', amount1000: 5000, requestFrom: wa.ME.pn, noteMessage: { conversation: 'rent' } }, messageContextInfo: { messageSecret: secret } }),
    );
    const events = translate(ctx, wa.upsertBatch([msg]));
    const { message, content } = recorded(events);
    assert.equal(message.kind, 'UNSUPPORTED');
    assert.equal(content.messageType, 'requestPaymentMessage');
    const raw = JSON.parse(String(content.rawJson)) as Rec;
    assert.equal(raw.currencyCodeIso4217, 'INR');
    assert.equal(raw.amount1000, 5000);
    assertNoSecrets(encodeAll(events), [secret]);
  });

  it('given rawJson of an unsupported media-bearing content, then the media key and secrets are removed', () => {
    const ctx = testContext();
    const secrets = wa.mediaSecrets('sticker-pack');
    const msg = wa.waMessage(wa.content({ stickerPackMessage: { stickerPackId: 'pack-1', name: 'Cats', mediaKey: secrets.mediaKey, fileSha256: secrets.fileSha256 } }));
    const events = translate(ctx, wa.upsertBatch([msg]));
    const { content } = recorded(events);
    assert.equal(content.messageType, 'stickerPackMessage');
    assert.ok(!String(content.rawJson).includes('mediaKey'));
    assertNoSecrets(encodeAll(events), [secrets.mediaKey]);
  });

  it('given my own message sent from my phone, then message.sent, outbound, sender is me, APPEND kept', () => {
    const ctx = testContext();
    const msg = wa.waMessage(wa.contents.text('from my phone'), { chat: wa.PEER.pn, fromMe: true, id: 'MINE-1', status: proto.WebMessageInfo.Status.SERVER_ACK });
    const events = translate(ctx, wa.upsertBatch([msg], 'append'));
    assert.deepEqual(events.map((e) => e.type), ['message.sent']);
    const data = dataOf<Rec>(events[0]);
    assert.equal(data.direction, 'OUTBOUND');
    assert.equal(data.upsertType, 'APPEND');
    const message = data.message as Rec;
    assert.equal(message.senderJid, wa.ME.pn);
    assert.equal(message.senderLid, wa.ME.lid);
    assert.equal(message.status, 'SERVER_ACK');
    assert.equal(events[0]?.eventId, eventId('message', ACCOUNT, messageKeyParts(wa.PEER.pn, 'MINE-1', true)));
  });

  it('given a context holding Baileys’ own id with its device suffix, then my messages are still sent by the bare JID', () => {
    const ctx = testContext({ meJid: wa.ME.device });
    const events = translate(ctx, wa.upsertBatch([wa.waMessage(wa.contents.text('x'), { fromMe: true })]));
    assert.equal(dataOf<{ message: Rec }>(events[0]).message.senderJid, wa.ME.pn);
  });

  it('given the effects of a command, when the context says COMMAND, then source COMMAND and causationId is the commandId', () => {
    const ctx = testContext({ source: 'COMMAND', causationId: 'cmd-42' });
    const events = translate(ctx, wa.upsertBatch([wa.waMessage(wa.contents.text('sent by API'), { fromMe: true })], 'append'));
    assert.deepEqual(events.map((e) => [e.type, e.source, e.causationId]), [['message.sent', 'COMMAND', 'cmd-42']]);
  });

  it('given statuses, then story.received for others and story.posted for mine, in status@broadcast', () => {
    const ctx = testContext();
    const theirs = wa.waMessage(wa.contents.image('story'), { chat: wa.STATUS, participant: wa.PEER.pn });
    const mine = wa.waMessage(wa.contents.extendedText('my status', { backgroundArgb: 0xff2196f3, textArgb: 0xffffffff, font: 2 }), { chat: wa.STATUS, fromMe: true });
    const events = translate(ctx, wa.upsertBatch([theirs, mine]));
    assert.deepEqual(events.map((e) => [e.type, e.chatJid]), [
      ['story.received', wa.STATUS],
      ['story.posted', wa.STATUS],
    ]);
    const posted = dataOf<{ message: Rec }>(events[1]).message;
    assert.equal(posted.isStatus, true);
    assert.equal(posted.isBroadcast, true);
    const text = branchOf<Rec>(posted.content, 'wa.conversation.TextContent');
    assert.deepEqual([text.backgroundArgb, text.textArgb, text.font], [0xff2196f3, 0xffffffff, 2]);
    assert.equal(dataOf<{ message: Rec }>(events[0]).message.senderJid, wa.PEER.pn);
  });

  it('given a message someone sent through a broadcast list, then it shows in their own chat', () => {
    const ctx = testContext();
    const events = translate(ctx, wa.upsertBatch([wa.waMessage(wa.contents.text('promo'), { chat: '1234567890@broadcast', participant: wa.OTHER.pn })]));
    assert.equal(events[0]?.chatJid, wa.OTHER.pn);
    assert.equal(dataOf<{ message: Rec }>(events[0]).message.isBroadcast, true);
  });

  it('given the same message delivered twice, and once more by history sync, then one eventId', () => {
    const build = () => wa.waMessage(wa.contents.text('dup'), { id: 'DUP-1' });
    const ctx = testContext();
    const first = translate(ctx, wa.upsertBatch([build()]));
    const again = translate(ctx, wa.upsertBatch([build()], 'append'));
    const history = translate(ctx, { 'messaging-history.set': { chats: [], contacts: [], messages: [build()], syncType: proto.HistorySync.HistorySyncType.RECENT } });
    const fromHistory = history.find((e) => e.type === 'message.history');
    assert.equal(first[0]?.eventId, again[0]?.eventId);
    assert.equal(first[0]?.eventId, fromHistory?.eventId);
    assert.equal(fromHistory?.source, 'HISTORY_SYNC');
  });

  it('given a message from a LID with its PN alternate, then lid.mapping first and the chat under the PN; later LID-only messages join the same chat and ids', () => {
    const ctx = testContext();
    const first = wa.waMessage(wa.contents.text('hi from lid'), { chat: wa.PEER.lid, remoteJidAlt: wa.PEER.pn, addressingMode: 'lid', id: 'LID-1' });
    const events = translate(ctx, wa.upsertBatch([first]));
    assert.deepEqual(events.map((e) => e.type), ['lid.mapping', 'message.received']);
    assert.deepEqual(dataOf(events[0]), { lid: wa.PEER.lid, pn: wa.PEER.pn, source: 'MESSAGE_KEY' });
    assert.equal(events[0]?.topic, 'account');
    assert.equal(events[1]?.chatJid, wa.PEER.pn);
    const message = dataOf<{ message: Rec }>(events[1]).message;
    assert.equal((message.key as Rec).remoteJid, wa.PEER.lid, 'the key keeps WhatsApp addressing');
    assert.equal((message.key as Rec).remoteJidAlt, wa.PEER.pn);
    assert.equal((message.key as Rec).addressingMode, 'LID');
    assert.deepEqual([message.senderJid, message.senderPn, message.senderLid], [wa.PEER.pn, wa.PEER.pn, wa.PEER.lid]);

    const later = translate(ctx, wa.upsertBatch([wa.waMessage(wa.contents.text('again'), { chat: `${wa.PEER.lid.split('@')[0]}:7@lid`, id: 'LID-2' })]));
    assert.deepEqual(later.map((e) => [e.type, e.chatJid]), [['message.received', wa.PEER.pn]]);
    const pnCopy = translate(ctx, wa.upsertBatch([wa.waMessage(wa.contents.text('again'), { chat: wa.PEER.pn, id: 'LID-2' })]));
    assert.equal(pnCopy[0]?.eventId, later[0]?.eventId);
  });

  it('given my own LID echoed as the alternate of a contact (Baileys 7 fromMe quirk), then no mapping is learnt', () => {
    const ctx = testContext();
    const events = translate(ctx, wa.upsertBatch([wa.waMessage(wa.contents.text('x'), { chat: wa.PEER.lid, fromMe: true, remoteJidAlt: wa.ME.pn })]));
    assert.deepEqual(events.map((e) => [e.type, e.chatJid]), [['message.sent', wa.PEER.lid]]);
  });

  it('given internal protocol messages and bare sender-key messages, then no event', () => {
    const ctx = testContext();
    const events = translate(
      ctx,
      wa.upsertBatch([
        wa.waMessage(wa.contents.historySyncNotification(), { chat: wa.ME.pn, fromMe: true }),
        wa.waMessage(wa.content({ senderKeyDistributionMessage: { groupId: wa.GROUP, axolotlSenderKeyDistributionMessage: Buffer.alloc(8, 1) } }), { chat: wa.GROUP, participant: wa.PEER.pn }),
      ]),
    );
    assert.deepEqual(events, []);
  });

  it('given a placeholder Baileys could not decrypt (CIPHERTEXT stub), then a STUB message keeps it in the timeline', () => {
    const ctx = testContext();
    const msg = wa.waMessage(null, { info: { messageStubType: proto.WebMessageInfo.StubType.CIPHERTEXT, messageStubParameters: ['No session'] } });
    const events = translate(ctx, wa.upsertBatch([msg]));
    const { message, content } = recorded(events);
    assert.equal(message.kind, 'STUB');
    assert.deepEqual(content, { stubType: 'CIPHERTEXT', stubTypeCode: 2, parameters: ['No session'] });
  });

  it('given a group participant stub, then the STUB message and group.participants; Baileys’ own participants update for it is not repeated', () => {
    const ctx = testContext();
    const stub = wa.participantStub(
      proto.WebMessageInfo.StubType.GROUP_PARTICIPANT_ADD,
      [
        { id: wa.OTHER.lid, phoneNumber: wa.OTHER.pn, admin: null },
        { id: wa.PEER.lid, phoneNumber: wa.PEER.pn, admin: null },
      ],
      wa.OTHER.lid,
      { participantAlt: wa.OTHER.pn },
    );
    const events = translate(ctx, {
      ...wa.upsertBatch([stub]),
      'group-participants.update': {
        id: wa.GROUP,
        author: wa.OTHER.lid,
        authorPn: wa.OTHER.pn,
        action: 'add',
        participants: [
          { id: wa.PEER.lid, phoneNumber: wa.PEER.pn, admin: null },
          { id: wa.OTHER.lid, phoneNumber: wa.OTHER.pn, admin: null },
        ],
      },
    });
    assert.deepEqual(events.map((e) => e.type), ['lid.mapping', 'lid.mapping', 'message.received', 'group.participants']);
    const { content, message } = recorded(events);
    assert.equal(content.stubType, 'GROUP_PARTICIPANT_ADD');
    assert.equal(message.senderJid, wa.OTHER.pn);
    const change = dataOf<Rec>(events[3]);
    assert.equal(change.groupJid, wa.GROUP);
    assert.equal(change.action, 'ADD');
    assert.deepEqual((change.participants as Rec[]).map((p) => [p.jid, p.phoneNumber, p.role]), [
      [wa.OTHER.lid, wa.OTHER.pn, 'MEMBER'],
      [wa.PEER.lid, wa.PEER.pn, 'MEMBER'],
    ]);
    assert.deepEqual([change.authorJid, change.authorPn], [wa.OTHER.lid, wa.OTHER.pn]);
    assert.equal(events[3]?.chatJid, wa.GROUP);
    assert.equal(events[3]?.occurredAt, T0_MS);
    assert.equal(events[3]?.eventId, eventId('group.participants', ACCOUNT, [wa.GROUP, 'ADD', wa.PEER.lid, wa.OTHER.lid, T0_MS]));

    const unrelated = translate(ctx, {
      'group-participants.update': { id: wa.GROUP, author: wa.OTHER.lid, action: 'promote', participants: [{ id: wa.PEER.lid, admin: 'admin' }] },
    });
    assert.deepEqual(unrelated.map((e) => [e.type, dataOf<Rec>(e).action, e.occurredAt]), [['group.participants', 'PROMOTE', NOW]]);
    assert.equal(((dataOf<Rec>(unrelated[0]).participants as Rec[])[0] as Rec).role, 'ADMIN');
  });
});
