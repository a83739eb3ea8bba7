import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sniffMimetype } from './sniffMimetype.js';

describe('sniffMimetype', () => {
  it('recognises the media types WhatsApp sends from their first bytes', () => {
    const cases: [string, number[]][] = [
      ['image/jpeg', [0xff, 0xd8, 0xff, 0xe0]],
      ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
      ['image/gif', [...Buffer.from('GIF89a')]],
      ['image/webp', [...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBP')]],
      ['application/pdf', [...Buffer.from('%PDF-1.4')]],
      ['audio/ogg', [...Buffer.from('OggS')]],
      ['audio/mpeg', [...Buffer.from('ID3')]],
      ['video/mp4', [0, 0, 0, 0x18, ...Buffer.from('ftypmp42')]],
    ];
    for (const [mimetype, bytes] of cases) assert.equal(sniffMimetype(Buffer.from(bytes)), mimetype);
  });

  it('says null for anything else, and for too few bytes', () => {
    assert.equal(sniffMimetype(Buffer.from('hello world')), null);
    assert.equal(sniffMimetype(Buffer.from([0xff, 0xd8])), null);
    assert.equal(sniffMimetype(Buffer.from([...Buffer.from('RIFX'), 0, 0, 0, 0, ...Buffer.from('WEBP')])), null);
  });
});
