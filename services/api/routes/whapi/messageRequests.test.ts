import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommandPayload } from '../../../shared/commands/index.js';
import type { MediaReference } from '../../ApiServices.js';
import {
  deleteBody,
  deletePayload,
  forwardBody,
  forwardPayload,
  forwardResultBody,
  pinBody,
  pinPayload,
  reactPayload,
  reactionBody,
  sendCaptionedBody,
  sendContactBody,
  sendContactListBody,
  sendContactListPayload,
  sendContactPayload,
  sendDocumentBody,
  sendLinkPreviewBody,
  sendLinkPreviewPayload,
  sendLiveLocationBody,
  sendLiveLocationPayload,
  sendLocationBody,
  sendLocationPayload,
  sendMediaBody,
  sendMediaPayload,
  sendPollBody,
  sendPollPayload,
  sendTextBody,
  sendTextPayload,
  starBody,
  starPayload,
} from './messageRequests.js';
import { assertRejects, decodedResult, plain, rejected, roundTripCommand, valid } from './testing/whapiTesting.js';

const ALICE = '79991234567@s.whatsapp.net';
const GROUP = '120363012345678901@g.us';
const REF: MediaReference = { mediaId: 'ab'.repeat(32), mimetype: 'image/jpeg', size: 12_345 };
const TARGET = { chatJid: ALICE, messageId: '3EB0AAAAAAAAAAAAAAAAAA', fromMe: false, participant: null };

/** The SendMessage inside a payload, after proving the codec takes it as a message.send command. */
function sent(payload: CommandPayload): Record<string, any> {
  assert.deepEqual(plain(roundTripCommand('message.send', payload)), plain(payload));
  return (payload as { 'wa.commands.SendMessage': Record<string, any> })['wa.commands.SendMessage'];
}

describe('WHAPI message sends: body → message.send payload', () => {
  it('text: a phone number becomes a user JID, the body the text', () => {
    const message = sent(sendTextPayload(valid(sendTextBody, { channelId: 'ch-1', to: '+7 999 123-45-67', body: 'Hello!' })));
    assert.equal(message['to'], ALICE);
    assert.deepEqual(message['content'], { 'wa.conversation.TextContent': { text: 'Hello!', linkPreview: null, backgroundArgb: null, textArgb: null, font: null } });
  });

  it('keeps group JIDs and legacy @c.us recipients as chat JIDs', () => {
    assert.equal(sent(sendTextPayload(valid(sendTextBody, { to: GROUP, body: 'hi team' })))['to'], GROUP);
    assert.equal(sent(sendTextPayload(valid(sendTextBody, { to: '79991234567@c.us', body: 'hi' })))['to'], ALICE);
  });

  it('image, video and gif carry the caption; gif is a video with gifPlayback', () => {
    const body = valid(sendCaptionedBody, { to: '79991234567', media: 'https://example.com/a.jpg', caption: 'Look' });
    const image = sent(sendMediaPayload('image', body, REF))['content']['wa.conversation.ImageContent'];
    assert.equal(image.media.mediaId, REF.mediaId);
    assert.equal(image.caption, 'Look');
    const video = sent(sendMediaPayload('video', body, REF))['content']['wa.conversation.VideoContent'];
    assert.equal(video.gifPlayback, false);
    const gif = sent(sendMediaPayload('gif', body, REF))['content']['wa.conversation.VideoContent'];
    assert.equal(gif.gifPlayback, true);
    assert.equal(gif.caption, 'Look');
  });

  it('audio and voice are AudioContent; voice is a push-to-talk note', () => {
    const body = valid(sendMediaBody, { to: '79991234567', media: 'T2dnUw==' });
    assert.equal(sent(sendMediaPayload('audio', body, REF))['content']['wa.conversation.AudioContent'].ptt, false);
    assert.equal(sent(sendMediaPayload('voice', body, REF))['content']['wa.conversation.AudioContent'].ptt, true);
  });

  it('short is a PTV (video note) and sticker a StickerContent', () => {
    const body = valid(sendMediaBody, { to: '79991234567', media: 'https://example.com/a.mp4' });
    assert.ok('wa.conversation.PtvContent' in sent(sendMediaPayload('ptv', body, REF))['content']);
    assert.ok('wa.conversation.StickerContent' in sent(sendMediaPayload('sticker', body, REF))['content']);
  });

  it('document: filename and mimetype reach the media reference', () => {
    const body = valid(sendDocumentBody, { to: '79991234567', media: 'https://example.com/r', filename: 'report.pdf', mimetype: 'application/pdf' });
    const document = sent(sendMediaPayload('document', body, { ...REF, mimetype: null }))['content']['wa.conversation.DocumentContent'];
    assert.equal(document.media.fileName, 'report.pdf');
    assert.equal(document.media.mimetype, 'application/pdf');
    assert.equal(document.title, 'report.pdf');
  });

  it('location: coordinates, name and address', () => {
    const body = valid(sendLocationBody, { to: '79991234567', latitude: '55.7558', longitude: 37.6173, name: 'Moscow', address: 'Red Square' });
    const location = sent(sendLocationPayload(body))['content']['wa.conversation.LocationContent'];
    assert.deepEqual([location.latitude, location.longitude, location.name, location.address], [55.7558, 37.6173, 'Moscow', 'Red Square']);
  });

  it('contact: the API writes a vCard whose waid makes the number tappable', () => {
    const body = valid(sendContactBody, { to: '79991234567', contact: { fullName: 'John', phone: '+123456' } });
    const card = sent(sendContactPayload(body))['content']['wa.conversation.ContactContent'];
    assert.equal(card.displayName, 'John');
    assert.match(card.vcard, /^BEGIN:VCARD\n/);
    assert.match(card.vcard, /\nFN:John\n/);
    assert.match(card.vcard, /TEL;type=CELL;type=VOICE;waid=123456:\+123456/);
    assert.match(card.vcard, /END:VCARD$/);
  });

  it('contact: the flat form fields contact.fullName / contact.phone work too', () => {
    const body = valid(sendContactBody, { to: '79991234567', 'contact.fullName': 'John', 'contact.phone': '+123456' });
    assert.deepEqual(body.contact, { fullName: 'John', phone: '+123456' });
  });

  it('contact-list: one card per contact in a ContactsArrayContent', () => {
    const body = valid(sendContactListBody, {
      to: '79991234567',
      contacts: [
        { fullName: 'John', phone: '+123456' },
        { fullName: 'Mary', phone: '+654321' },
      ],
    });
    const list = sent(sendContactListPayload(body))['content']['wa.conversation.ContactsArrayContent'];
    assert.equal(list.displayName, '2 contacts');
    assert.deepEqual(
      list.contacts.map((card: { displayName: string }) => card.displayName),
      ['John', 'Mary'],
    );
  });

  it('poll: single choice unless multiSelect, which allows any number of answers', () => {
    const single = sent(sendPollPayload(valid(sendPollBody, { to: '79991234567', question: 'Rate?', options: ['1', '2', '3', '4', '5'] })));
    assert.deepEqual(single['content']['wa.conversation.PollCreationContent'], { name: 'Rate?', options: ['1', '2', '3', '4', '5'], selectableCount: 1, version: 3, toAnnouncementGroup: null });
    const multi = sent(sendPollPayload(valid(sendPollBody, { to: '79991234567', question: 'Which?', options: ['A', 'B'], multiSelect: 'true' })));
    assert.equal(multi['content']['wa.conversation.PollCreationContent'].selectableCount, 0);
    assert.equal(multi['content']['wa.conversation.PollCreationContent'].version, 1);
  });

  it('link-preview: the client’s title and description make the card', () => {
    const body = valid(sendLinkPreviewBody, { to: '79991234567', url: 'https://example.com', title: 'Example', description: 'A page' });
    const text = sent(sendLinkPreviewPayload(body))['content']['wa.conversation.TextContent'];
    assert.equal(text.text, 'https://example.com');
    assert.deepEqual(text.linkPreview, { url: 'https://example.com', matchedText: 'https://example.com', title: 'Example', description: 'A page', jpegThumbnail: null, thumbnail: null });
  });

  it('link-preview: without title or description the connector fetches the card', () => {
    const message = sent(sendLinkPreviewPayload(valid(sendLinkPreviewBody, { to: '79991234567', url: 'https://example.com' })));
    assert.equal(message['content']['wa.conversation.TextContent'].linkPreview, null);
    assert.equal(message['linkPreview'], true);
  });

  it('live-location: shared for the duration asked', () => {
    const body = valid(sendLiveLocationBody, { to: '79991234567', latitude: 55.75, longitude: 37.61, duration: '3600' });
    const live = sent(sendLiveLocationPayload(body))['content']['wa.conversation.LiveLocationContent'];
    assert.deepEqual([live.latitude, live.longitude, live.durationSeconds], [55.75, 37.61, 3600]);
    const open = sent(sendLiveLocationPayload(valid(sendLiveLocationBody, { to: '79991234567', latitude: 1, longitude: 2 })));
    assert.equal(open['content']['wa.conversation.LiveLocationContent'].durationSeconds, null);
  });
});

describe('WHAPI message actions: body → payload', () => {
  it('forward: the source message and each recipient once, as JIDs', () => {
    const body = valid(forwardBody, { chatId: '79991234567', messageId: '3EB0AAAAAAAAAAAAAAAAAA', to: ['79997654321', '79997654321', GROUP] });
    const payload = forwardPayload({ ...TARGET, chatJid: body.chatId, messageId: body.messageId }, body.to);
    assert.deepEqual(plain(roundTripCommand('message.forward', payload)), plain(payload));
    assert.deepEqual(payload, { 'wa.commands.ForwardMessage': { source: TARGET, to: ['79997654321@s.whatsapp.net', GROUP] } });
  });

  it('forward: a query-string list is comma separated', () => {
    assert.deepEqual(valid(forwardBody, { chatId: ALICE, messageId: 'ABCD1234', to: '79997654321, 79990000000' }).to, ['79997654321@s.whatsapp.net', '79990000000@s.whatsapp.net']);
  });

  it('star, pin, react and delete payloads encode', () => {
    assert.equal(valid(starBody, { chatId: ALICE, star: 'false' }).star, false);
    const cases: [Parameters<typeof roundTripCommand>[0], CommandPayload][] = [
      ['message.star', starPayload(TARGET)],
      ['message.unstar', starPayload(TARGET)],
      ['message.pin', pinPayload(TARGET, valid(pinBody, { chatId: ALICE, duration: 86_400 }).duration ?? null)],
      ['message.unpin', pinPayload(TARGET, null)],
      ['message.react', reactPayload(TARGET, valid(reactionBody, { chatId: ALICE, emoji: '👍' }).emoji)],
      ['message.react', reactPayload(TARGET, '')],
      ['message.delete', deletePayload(TARGET, valid(deleteBody, { chatId: ALICE }).forEveryone)],
    ];
    for (const [type, payload] of cases) assert.deepEqual(plain(roundTripCommand(type, payload)), plain(payload), type);
    assert.deepEqual(pinPayload(TARGET, 86_400), { 'wa.commands.PinMessage': { target: TARGET, durationSeconds: 86_400 } });
  });

  it('delete is for everyone unless forEveryone is false', () => {
    assert.equal((deletePayload(TARGET, undefined) as { 'wa.commands.DeleteMessage': { forEveryone: boolean } })['wa.commands.DeleteMessage'].forEveryone, true);
    const mine = valid(deleteBody, { chatId: ALICE, forEveryone: false });
    assert.equal((deletePayload(TARGET, mine.forEveryone) as { 'wa.commands.DeleteMessage': { forEveryone: boolean } })['wa.commands.DeleteMessage'].forEveryone, false);
  });
});

describe('WHAPI message answers', () => {
  it('forward: one outcome per recipient, failures with their reason', () => {
    const result = decodedResult('message.forward', 'wa.commands.ForwardResult', {
      results: [
        { to: ALICE, messageId: '3EB0FWD1', timestamp: 1_730_700_645_123, error: null },
        { to: GROUP, messageId: null, timestamp: null, error: { code: 'NOT_ADMIN', message: 'only admins may send', retriable: false, statusCode: 403, field: null } },
      ],
    });
    assert.deepEqual(forwardResultBody(result), [
      { to: ALICE, success: true, messageId: '3EB0FWD1', error: null },
      { to: GROUP, success: false, messageId: null, error: 'only admins may send' },
    ]);
  });
});

describe('WHAPI message validation: a bad request is a 400 naming the field', () => {
  it('recipients', () => {
    assertRejects(sendTextBody, { body: 'hi' }, 'to');
    assertRejects(sendTextBody, { to: 'not a phone', body: 'hi' }, 'to');
    assertRejects(sendTextBody, { to: '123@broadcast', body: 'hi' }, 'to');
    assertRejects(sendTextBody, { to: '79991234567' }, 'body');
    assert.equal(rejected(sendTextBody, { body: 'hi' }).message, 'to is required');
  });

  it('media and document fields', () => {
    assertRejects(sendCaptionedBody, { to: '79991234567' }, 'media');
    assertRejects(sendMediaBody, { to: '79991234567', media: '' }, 'media');
    assertRejects(sendDocumentBody, { to: '79991234567', media: 'https://example.com/x', mimetype: 'pdf' }, 'mimetype');
  });

  it('coordinates', () => {
    assertRejects(sendLocationBody, { to: '79991234567', latitude: 91, longitude: 0 }, 'latitude');
    assertRejects(sendLocationBody, { to: '79991234567', latitude: -90.5, longitude: 0 }, 'latitude');
    assertRejects(sendLocationBody, { to: '79991234567', latitude: 0, longitude: 180.1 }, 'longitude');
    assertRejects(sendLocationBody, { to: '79991234567', latitude: 'north', longitude: 0 }, 'latitude');
    assertRejects(sendLiveLocationBody, { to: '79991234567', latitude: 0, longitude: 0, duration: 0 }, 'duration');
    assertRejects(sendLiveLocationBody, { to: '79991234567', latitude: 0, longitude: 0, duration: 1.5 }, 'duration');
  });

  it('contacts', () => {
    assertRejects(sendContactBody, { to: '79991234567' }, 'contact');
    assertRejects(sendContactBody, { to: '79991234567', contact: { fullName: 'John' } }, 'contact.phone');
    assertRejects(sendContactBody, { to: '79991234567', contact: { fullName: ' ', phone: '+123456' } }, 'contact.fullName');
    assertRejects(sendContactBody, { to: '79991234567', contact: { fullName: 'John', phone: 'call me' } }, 'contact.phone');
    assertRejects(sendContactListBody, { to: '79991234567', contacts: [] }, 'contacts');
    assertRejects(sendContactListBody, { to: '79991234567', contacts: [{ fullName: 'A', phone: '+123456' }, { fullName: 'B' }] }, 'contacts.1.phone');
  });

  it('polls: a question and 2 to 12 different options', () => {
    assertRejects(sendPollBody, { to: '79991234567', options: ['A', 'B'] }, 'question');
    assertRejects(sendPollBody, { to: '79991234567', question: 'Q', options: ['A'] }, 'options');
    assertRejects(sendPollBody, { to: '79991234567', question: 'Q', options: Array.from({ length: 13 }, (_, i) => `o${i}`) }, 'options');
    assertRejects(sendPollBody, { to: '79991234567', question: 'Q', options: ['A', 'A'] }, 'options');
    assertRejects(sendPollBody, { to: '79991234567', question: 'Q', options: ['A', ''] }, 'options.1');
    assertRejects(sendPollBody, { to: '79991234567', question: 'Q', options: ['A', 'B'], multiSelect: 'maybe' }, 'multiSelect');
  });

  it('links', () => {
    assertRejects(sendLinkPreviewBody, { to: '79991234567', url: 'ftp://example.com' }, 'url');
    assertRejects(sendLinkPreviewBody, { to: '79991234567' }, 'url');
  });

  it('message actions', () => {
    assertRejects(forwardBody, { messageId: 'ABCD', to: ['79991234567'] }, 'chatId');
    assertRejects(forwardBody, { chatId: ALICE, messageId: 'has space', to: ['79991234567'] }, 'messageId');
    assertRejects(forwardBody, { chatId: ALICE, messageId: 'ABCD', to: [] }, 'to');
    assertRejects(forwardBody, { chatId: ALICE, messageId: 'ABCD', to: ['79991234567', 'nobody'] }, 'to.1');
    assertRejects(starBody, { chatId: ALICE }, 'star');
    assertRejects(pinBody, { chatId: ALICE, duration: -5 }, 'duration');
    assertRejects(pinBody, { chatId: ALICE, duration: 2_592_001 }, 'duration');
    assertRejects(pinBody, { duration: 60 }, 'chatId');
    assertRejects(reactionBody, { chatId: ALICE }, 'emoji');
    assertRejects(reactionBody, { chatId: ALICE, emoji: '👍'.repeat(17) }, 'emoji');
    assertRejects(deleteBody, { chatId: ALICE, forEveryone: 'sometimes' }, 'forEveryone');
  });
});
