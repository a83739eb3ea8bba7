import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createNewsletterBody,
  createNewsletterPayload,
  newsletterMessageBody,
  newsletterMessagePayload,
  newsletterResultBody,
  newsletterRowToWhapi,
  sendNewsletterMessage,
} from './newsletters.js';
import { assertRejects, decodedResult, plain, roundTripCommand, valid } from './testing/whapiTesting.js';

const NEWS = '120363012345678901@newsletter';
const REF = { mediaId: 'ab'.repeat(32), mimetype: 'image/jpeg', size: 100 };

type Sent = { 'wa.commands.SendMessage': { to: string; content: Record<string, { caption?: string | null; text?: string }> } };

describe('WHAPI newsletters', () => {
  it('create encodes', () => {
    const payload = createNewsletterPayload(valid(createNewsletterBody, { name: 'News', description: 'Daily' }));
    assert.deepEqual(payload, { 'wa.commands.CreateNewsletter': { name: 'News', description: 'Daily', pictureMediaId: null } });
    assert.deepEqual(plain(roundTripCommand('newsletter.create', payload)), plain(payload));
  });

  it('a post is a text, or a medium captioned with the text (video by its type)', () => {
    const payloads = [
      newsletterMessagePayload(NEWS, valid(newsletterMessageBody, { text: 'Hello subscribers' }), null),
      newsletterMessagePayload(NEWS, valid(newsletterMessageBody, { text: 'Look', media: 'https://example.com/a.jpg' }), REF),
      newsletterMessagePayload(NEWS, valid(newsletterMessageBody, { media: 'https://example.com/a.mp4' }), { ...REF, mimetype: 'video/mp4' }),
    ];
    for (const payload of payloads) assert.deepEqual(plain(roundTripCommand('newsletter.send', payload)), plain(payload));
    const [text, image, video] = payloads as unknown as Sent[];
    assert.equal(text!['wa.commands.SendMessage'].to, NEWS);
    assert.equal(text!['wa.commands.SendMessage'].content['wa.conversation.TextContent']?.text, 'Hello subscribers');
    assert.equal(image!['wa.commands.SendMessage'].content['wa.conversation.ImageContent']?.caption, 'Look');
    assert.ok('wa.conversation.VideoContent' in video!['wa.commands.SendMessage'].content);
  });

  it('answers: rows and created newsletters in one shape', () => {
    assert.deepEqual(newsletterRowToWhapi({ accountId: 'ch-1', jid: NEWS, name: 'News', description: null, role: 'OWNER', subscribers: 3, pictureUrl: null }), {
      id: NEWS,
      name: 'News',
      description: null,
      role: 'owner',
      subscribers: 3,
      picture: null,
    });
    const result = decodedResult('newsletter.create', 'wa.account.NewsletterMetadata', { jid: NEWS, name: 'News', description: 'Daily', viewerRole: 'OWNER', subscriberCount: 0 });
    assert.deepEqual(newsletterResultBody(result), { id: NEWS, name: 'News', description: 'Daily', role: 'owner', subscribers: 0, picture: null });
  });

  it('validation names the field', () => {
    assertRejects(createNewsletterBody, {}, 'name');
    assertRejects(newsletterMessageBody, {}, 'body');
    assertRejects(newsletterMessageBody, { text: '  ' }, 'body');
    assert.ok(sendNewsletterMessage.params);
    assert.deepEqual(valid(sendNewsletterMessage.params, { id: '120363012345678901' }, 'params'), { id: NEWS });
    assertRejects(sendNewsletterMessage.params, { id: '120363012345678901@g.us' }, 'id', 'params');
  });
});
