import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoryRow } from '../../../../projections/readModels/index.js';
import { argbOf, deleteStory, deleteStoryPayload, mediaStoryBody, mediaStoryPayload, storyRowToWhapi, textStoryBody, textStoryPayload, whapiStorySchema } from './stories.js';
import { assertRejects, plain, roundTripCommand, valid } from './testing/whapiTesting.js';

const REF = { mediaId: 'cd'.repeat(32), mimetype: 'image/jpeg', size: 2_048 };

describe('WHAPI stories', () => {
  it('#RRGGBB becomes the opaque ARGB 0xFFRRGGBB', () => {
    assert.equal(argbOf('#FF5733'), 0xffff5733);
    assert.equal(argbOf('000000'), 0xff000000);
    assert.equal(argbOf('#ffffff'), 0xffffffff);
    assert.equal(argbOf('#FFF'), null);
    assert.equal(argbOf('red'), null);
  });

  it('a text story carries its colour and font', () => {
    const payload = textStoryPayload(valid(textStoryBody, { text: 'Hello World!', backgroundColor: '#FF5733', font: '2' }));
    assert.deepEqual(payload, {
      'wa.commands.PostStory': {
        content: { 'wa.conversation.TextContent': { text: 'Hello World!', linkPreview: null, backgroundArgb: 0xffff5733, textArgb: null, font: 2 } },
        audienceJids: [],
      },
    });
    assert.deepEqual(plain(roundTripCommand('story.post', payload)), plain(payload));
    const plainText = textStoryPayload(valid(textStoryBody, { text: 'Hi' })) as { 'wa.commands.PostStory': { content: { 'wa.conversation.TextContent': { backgroundArgb: number | null; font: number | null } } } };
    assert.equal(plainText['wa.commands.PostStory'].content['wa.conversation.TextContent'].backgroundArgb, null);
    assert.equal(plainText['wa.commands.PostStory'].content['wa.conversation.TextContent'].font, null);
  });

  it('image and video stories reference the stored media', () => {
    for (const kind of ['image', 'video'] as const) {
      const payload = mediaStoryPayload(kind, valid(mediaStoryBody, { media: 'https://example.com/a', caption: 'Open today' }), REF);
      assert.deepEqual(plain(roundTripCommand('story.post', payload)), plain(payload));
      const content = (payload as { 'wa.commands.PostStory': { content: Record<string, { media: { mediaId: string }; caption: string | null }> } })['wa.commands.PostStory'].content;
      const branch = kind === 'image' ? 'wa.conversation.ImageContent' : 'wa.conversation.VideoContent';
      assert.equal(content[branch]?.media.mediaId, REF.mediaId);
      assert.equal(content[branch]?.caption, 'Open today');
    }
  });

  it('delete names the story', () => {
    const payload = deleteStoryPayload('3EB0STORY1');
    assert.deepEqual(plain(roundTripCommand('story.delete', payload)), { 'wa.commands.DeleteStory': { storyId: '3EB0STORY1', audienceJids: [] } });
  });

  it('a story row answers its content and media', () => {
    const row: StoryRow = {
      accountId: 'ch-1',
      storyId: '3EB0STORY1',
      senderJid: '79991234567@s.whatsapp.net',
      fromMe: false,
      type: 'image',
      text: null,
      caption: 'Open today',
      media: { mediaId: REF.mediaId, mimetype: 'image/jpeg', fileName: null, size: 2_048, state: 'stored' },
      timestamp: 1_730_700_645_000,
      deleted: false,
    };
    const body = storyRowToWhapi(row);
    whapiStorySchema.parse(body);
    assert.deepEqual(body.media, { mediaId: REF.mediaId, mimetype: 'image/jpeg', size: 2_048, state: 'stored' });
    assert.equal(body.id, '3EB0STORY1');
  });

  it('validation names the field: font 0..5, colour #RRGGBB, a text, a media', () => {
    assertRejects(textStoryBody, {}, 'text');
    assertRejects(textStoryBody, { text: 'Hi', font: 6 }, 'font');
    assertRejects(textStoryBody, { text: 'Hi', font: -1 }, 'font');
    assertRejects(textStoryBody, { text: 'Hi', backgroundColor: 'blue' }, 'backgroundColor');
    assertRejects(mediaStoryBody, { caption: 'x' }, 'media');
    assert.ok(deleteStory.params);
    assertRejects(deleteStory.params, { id: 'no!' }, 'id', 'params');
  });
});
