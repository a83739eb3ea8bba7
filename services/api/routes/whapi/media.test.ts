import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { downloadMedia, uploadedMediaBody, uploadedMediaSchema } from './media.js';
import { assertRejects, valid } from './testing/whapiTesting.js';

const ID = '0123456789abcdef'.repeat(4);

describe('WHAPI media', () => {
  it('an upload answers its id, where it is served and its type', () => {
    const body = uploadedMediaBody({ field: 'file', mediaId: ID, size: 10, mimetype: 'image/png', fileName: 'a.png' });
    assert.deepEqual(body, { mediaId: ID, url: `/media/${ID}`, mimetype: 'image/png' });
    uploadedMediaSchema.parse(body);
    assert.equal(uploadedMediaBody({ field: 'file', mediaId: ID, size: 10, mimetype: null, fileName: null }).mimetype, 'application/octet-stream');
  });

  it('a media id is 64 hex digits, any case', () => {
    assert.ok(downloadMedia.params);
    assert.deepEqual(valid(downloadMedia.params, { id: ID.toUpperCase() }, 'params'), { id: ID });
    assertRejects(downloadMedia.params, { id: 'abc' }, 'id', 'params');
    assertRejects(downloadMedia.params, { id: `${ID.slice(1)}g` }, 'id', 'params');
  });
});
