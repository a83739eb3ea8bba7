import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { WaError } from '../../shared/index.js';
import { base64Head, base64Stream, parseBase64Field } from './base64Field.js';

async function decode(value: string, max = 1 << 30): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of base64Stream(parseBase64Field(value, 'media', max))) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const invalid = (error: unknown): boolean => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'media';

describe('base64 media fields', () => {
  it('decodes bare base64 of every length, padded or not, in chunks that join to the original', async () => {
    for (const length of [1, 2, 3, 4, 5, 100, 200_000]) {
      const bytes = randomBytes(length);
      assert.deepEqual(await decode(bytes.toString('base64')), bytes, `length ${length}`);
      assert.deepEqual(await decode(bytes.toString('base64').replace(/=+$/, '')), bytes, `unpadded, length ${length}`);
      assert.deepEqual(await decode(bytes.toString('base64url')), bytes, `URL-safe, length ${length}`);
    }
  });

  it('reads data URLs: the MIME type, and the data after the comma', async () => {
    const bytes = randomBytes(50);
    const payload = parseBase64Field(`data:image/PNG;base64,${bytes.toString('base64')}`, 'media', 1_000);
    assert.equal(payload.mimetype, 'image/png');
    assert.equal(payload.size, 50);
    assert.deepEqual(await decode(`data:audio/ogg; codecs=opus;base64,${bytes.toString('base64')}`), bytes);
    assert.equal(parseBase64Field(`data:;base64,${bytes.toString('base64')}`, 'media', 1_000).mimetype, null);
    assert.deepEqual(base64Head(payload, 3), bytes.subarray(0, 3));
  });

  it('accepts base64 wrapped over lines', async () => {
    const bytes = randomBytes(300);
    assert.deepEqual(await decode(bytes.toString('base64').replace(/(.{76})/g, '$1\r\n')), bytes);
  });

  it('refuses what is not base64 with a 400 naming the field', () => {
    for (const bad of ['abc$', 'a', 'abcde', 'ab=c', 'abc===', 'ab=', 'data:image/png,rawbytes', 'data:image/png;base64', 'data:not a type;base64,AAAA', '====']) {
      assert.throws(() => parseBase64Field(bad, 'media', 1_000), invalid, bad);
    }
  });

  it('knows the decoded size before decoding and refuses more than the limit with 413', () => {
    assert.equal(parseBase64Field(Buffer.alloc(10).toString('base64'), 'media', 10).size, 10);
    assert.throws(
      () => parseBase64Field(Buffer.alloc(11).toString('base64'), 'media', 10),
      (error: unknown) => error instanceof WaError && error.code === 'PAYLOAD_TOO_LARGE' && error.field === 'media',
    );
  });
});
