import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileMediaStore, WaError } from '../../shared/index.js';
import { StoreMediaService } from './StoreMediaService.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(100)]);
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const failsWith = (code: string, field?: string) => (error: unknown) => error instanceof WaError && error.code === code && (field === undefined || error.field === field);

describe('StoreMediaService (real file store)', () => {
  let dir: string;
  let store: FileMediaStore;
  let media: StoreMediaService;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wa-media-service-'));
    store = new FileMediaStore(join(dir, 'media'));
    media = new StoreMediaService({ store, maxBytes: 1_000 });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('stores base64 under its content address, with the MIME type it declares or shows', async () => {
    const ref = await media.fromField(PNG.toString('base64'), 'media');
    assert.deepEqual(ref, { mediaId: sha256(PNG), mimetype: 'image/png', size: PNG.length });
    const bytes = randomBytes(20);
    const declared = await media.fromField(`data:application/pdf;base64,${bytes.toString('base64')}`, 'media');
    assert.equal(declared.mimetype, 'application/pdf');
    assert.equal(declared.mediaId, sha256(bytes));
    const overridden = await media.fromField(randomBytes(8).toString('base64'), 'media', { mimetype: 'audio/ogg' });
    assert.equal(overridden.mimetype, 'audio/ogg');
    const unknown = await media.fromField(Buffer.from('plain bytes').toString('base64'), 'media');
    assert.equal(unknown.mimetype, null);
  });

  it('opens what it stored: metadata and the very bytes', async () => {
    const { mediaId } = await media.fromField(`  ${PNG.toString('base64')}\n`, 'media');
    const { media: stored, stream } = await media.open(mediaId.toUpperCase());
    assert.deepEqual(stored, { mediaId, sha256: mediaId, size: PNG.length, mimetype: 'image/png' });
    assert.deepEqual(await readAll(stream), PNG);
  });

  it('answers 413 beyond the limit, and stores nothing', async () => {
    const big = randomBytes(1_001);
    await assert.rejects(media.fromField(big.toString('base64'), 'media'), failsWith('PAYLOAD_TOO_LARGE', 'media'));
    assert.equal(await store.stat(sha256(big)), null);
  });

  it('passes http(s) URLs on as the media id, after the address rules', async () => {
    assert.deepEqual(await media.fromField('https://cdn.example.com/cat.jpg', 'media', { mimetype: 'image/jpeg' }), {
      mediaId: 'https://cdn.example.com/cat.jpg',
      mimetype: 'image/jpeg',
      size: null,
    });
    await assert.rejects(media.fromField('http://127.0.0.1/cat.jpg', 'image'), failsWith('INVALID_ARGUMENT', 'image'));
    await assert.rejects(media.fromField('ftp://example.com/cat.jpg', 'media'), failsWith('INVALID_ARGUMENT', 'media'));
    const open = new StoreMediaService({ store, allowPrivate: true });
    assert.equal((await open.fromField('http://127.0.0.1:9/cat.jpg', 'media')).mediaId, 'http://127.0.0.1:9/cat.jpg');
  });

  it('refuses empty and non-base64 fields with a 400 naming the field', async () => {
    await assert.rejects(media.fromField('   ', 'media'), failsWith('INVALID_ARGUMENT', 'media'));
    await assert.rejects(media.fromField('not base64!', 'file'), failsWith('INVALID_ARGUMENT', 'file'));
  });

  it('answers 404 for an unknown id and 400 for an id that is no content address', async () => {
    await assert.rejects(media.open('0'.repeat(64)), failsWith('NOT_FOUND'));
    await assert.rejects(media.open('../../etc/passwd'), failsWith('INVALID_ARGUMENT', 'mediaId'));
  });
});
