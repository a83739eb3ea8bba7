import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { WaError } from '../WaError.js';
import { FileMediaStore } from './FileMediaStore.js';

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** A stream of `total` bytes in 64 KiB chunks, produced lazily; counts what was pulled. */
function lazyStream(total: number, fill = 0x61): { stream: Readable; pulled: () => number } {
  let produced = 0;
  const chunk = Buffer.alloc(64 * 1024, fill);
  const stream = new Readable({
    read() {
      if (produced >= total) return void this.push(null);
      const size = Math.min(chunk.length, total - produced);
      produced += size;
      this.push(chunk.subarray(0, size));
    },
  });
  return { stream, pulled: () => produced };
}

describe('FileMediaStore', () => {
  let dir: string;
  let store: FileMediaStore;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'wa-media-'));
    store = FileMediaStore.inDataDir(dir);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('given bytes, when put, then they are stored under their SHA-256 at <root>/<aa>/<sha256>', async () => {
    const bytes = Buffer.from('hello media');
    const stored = await store.put(bytes, { mimetype: 'text/plain' });
    const id = sha256(bytes);
    assert.deepEqual(stored, { mediaId: id, sha256: id, size: bytes.length, mimetype: 'text/plain' });
    assert.deepEqual(await readFile(path.join(dir, 'media', id.slice(0, 2), id)), bytes);
    assert.deepEqual(await store.stat(id), stored);
    assert.equal(await text(await store.open(id)), 'hello media');
  });

  it('given a stream, when put, then it is hashed while streaming and the id is the same as for the bytes', async () => {
    const { stream } = lazyStream(300_000, 0x62);
    const stored = await store.put(stream, { mimetype: 'application/octet-stream' });
    assert.equal(stored.mediaId, sha256(Buffer.alloc(300_000, 0x62)));
    assert.equal(stored.size, 300_000);
    const again = await store.put(Buffer.alloc(300_000, 0x62));
    assert.equal(again.mediaId, stored.mediaId);
    assert.equal(again.mimetype, 'application/octet-stream', 'the first mimetype is kept');
  });

  it('given the same content put concurrently, then every put gets the same id and it is stored once', async () => {
    const content = Buffer.alloc(200_000, 0x63);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.put(i % 2 === 0 ? Readable.from([content.subarray(0, 100_000), content.subarray(100_000)]) : content)),
    );
    const id = sha256(content);
    assert.deepEqual(new Set(results.map((r) => r.mediaId)), new Set([id]));
    const shard = await readdir(path.join(dir, 'media', id.slice(0, 2)));
    assert.deepEqual(shard.filter((name) => name.startsWith(id)), [id]);
    assert.deepEqual(await readdir(path.join(dir, 'media', 'tmp')), [], 'no temporary file left behind');
    assert.deepEqual(await readFile(path.join(dir, 'media', id.slice(0, 2), id)), content);
  });

  it('given a stream larger than maxBytes, when put, then PAYLOAD_TOO_LARGE, reading stops and nothing is kept', async () => {
    const { stream, pulled } = lazyStream(50 * 1024 * 1024);
    await assert.rejects(store.put(stream, { maxBytes: 100_000 }), (error: unknown) => {
      assert.ok(error instanceof WaError);
      assert.equal(error.code, 'PAYLOAD_TOO_LARGE');
      assert.equal(error.retriable, false);
      return true;
    });
    assert.ok(pulled() < 1024 * 1024, `read ${pulled()} bytes of a 50 MiB stream`);
    assert.ok(stream.destroyed, 'the source is destroyed');
    assert.deepEqual(await readdir(path.join(dir, 'media', 'tmp')), []);
    assert.equal(await store.stat(sha256(Buffer.alloc(100_001, 0x61))), null);
  });

  it('given exactly maxBytes, when put, then it is stored', async () => {
    const stored = await store.put(Buffer.alloc(1_000, 0x64), { maxBytes: 1_000 });
    assert.equal(stored.size, 1_000);
  });

  it('given an unknown id, then stat is null and open throws NOT_FOUND', async () => {
    const absent = sha256('never stored');
    assert.equal(await store.stat(absent), null);
    await assert.rejects(store.open(absent), (error: unknown) => error instanceof WaError && error.code === 'NOT_FOUND');
  });

  it('given an id that is not a content address, then it is never resolved as a path', async () => {
    assert.equal(await store.stat('../../etc/passwd'), null);
    await assert.rejects(store.open('../tmp'), (error: unknown) => error instanceof WaError && error.code === 'NOT_FOUND');
  });

  it('given content first stored without a mimetype, when put again with one, then the mimetype is filled in', async () => {
    const bytes = Buffer.from('typed later');
    assert.equal((await store.put(bytes)).mimetype, null);
    assert.equal((await store.put(bytes, { mimetype: 'text/plain' })).mimetype, 'text/plain');
    assert.equal((await store.stat(sha256(bytes)))?.mimetype, 'text/plain');
  });
});
