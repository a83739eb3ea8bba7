import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { digest, eventId } from './eventId.js';

describe('eventId', () => {
  it('is the first 16 bytes of SHA-256 over family, account and parts joined by 0x1F, as lowercase hex', () => {
    const expected = createHash('sha256').update('message\u001facc-1\u001f15550001111@s.whatsapp.net\u001f3AABC\u001ffalse', 'utf8').digest('hex').slice(0, 32);
    assert.equal(eventId('message', 'acc-1', ['15550001111@s.whatsapp.net', '3AABC', false]), expected);
  });

  it('hashes text as UTF-8 and writes a missing part as the empty string', () => {
    const expected = createHash('sha256').update('chat.updated\u001fcompte-é\u001f\u001f12\u001fçà😀', 'utf8').digest('hex').slice(0, 32);
    assert.equal(eventId('chat.updated', 'compte-é', [null, 12, 'çà😀']), expected);
    assert.equal(eventId('chat.updated', 'compte-é', [undefined, 12, 'çà😀']), expected);
  });

  it('digest is the hex SHA-256 of the bytes', () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    assert.equal(digest(bytes), createHash('sha256').update(bytes).digest('hex'));
  });
});
