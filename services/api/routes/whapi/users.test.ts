import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profileBody } from './profileViews.js';
import { decodedResult, assertRejects, plain, roundTripCommand, valid } from './testing/whapiTesting.js';
import { profilePictureBody, profilePicturePayload, updateProfileBody, updateProfilePayload } from './users.js';

describe('WHAPI own profile', () => {
  it('name and status become UpdateProfile; absent stays unchanged', () => {
    const payload = updateProfilePayload(valid(updateProfileBody, { name: 'Support', status: 'Mon-Fri 9-17' }));
    assert.deepEqual(payload, { 'wa.commands.UpdateProfile': { name: 'Support', statusText: 'Mon-Fri 9-17' } });
    assert.deepEqual(plain(roundTripCommand('profile.update', payload)), plain(payload));
    assert.deepEqual(updateProfilePayload(valid(updateProfileBody, { status: '' })), { 'wa.commands.UpdateProfile': { name: null, statusText: '' } });
  });

  it('the picture goes by media id, for this channel', () => {
    const payload = profilePicturePayload('ef'.repeat(32));
    assert.deepEqual(plain(roundTripCommand('profile.picture.update', payload)), { 'wa.commands.UpdateProfilePicture': { mediaId: 'ef'.repeat(32), jid: null } });
    assert.deepEqual(plain(roundTripCommand('profile.fetch', { 'wa.commands.FetchProfile': { jid: null } })), { 'wa.commands.FetchProfile': { jid: null } });
  });

  it('an unknown picture or about text answers null', () => {
    const result = decodedResult('profile.fetch', 'wa.account.Profile', { jid: null, name: 'Me', statusText: null, statusSetAt: null, pictureState: null, pictureUrl: null, pictureId: null });
    assert.deepEqual(profileBody(result), { name: 'Me', status: null, picture: null });
  });

  it('validation names the field', () => {
    assertRejects(updateProfileBody, {}, 'body');
    assertRejects(updateProfileBody, { name: '' }, 'name');
    assertRejects(updateProfileBody, { name: 'x'.repeat(26) }, 'name');
    assertRejects(updateProfileBody, { status: 'x'.repeat(140) }, 'status');
    assertRejects(profilePictureBody, {}, 'image');
  });
});
