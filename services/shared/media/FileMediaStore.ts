import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WaError } from '../WaError.js';
import type { MediaStore, StoredMedia } from './MediaStore.js';

const MEDIA_ID = /^[0-9a-f]{64}$/;
const TEMP_DIR = 'tmp';

interface Sidecar {
  mimetype: string | null;
}

/**
 * The embedded media store: content-addressed files under `root` (normally `DATA_DIR/media`).
 * A file lives at `<root>/<first two hex digits>/<sha256>`, with its mimetype in a
 * `<sha256>.json` sidecar beside it. Bytes are streamed to a temporary file while being hashed
 * and then renamed into place, so a reader never sees a partial file and the same bytes are
 * stored once, however many puts race for them.
 */
export class FileMediaStore implements MediaStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The store of a deployment: `<dataDir>/media`. */
  static inDataDir(dataDir: string): FileMediaStore {
    return new FileMediaStore(path.join(dataDir, 'media'));
  }

  /** Streams `body` to a temporary file while hashing it, then moves it to its content address. */
  async put(body: Readable | Uint8Array, options: { mimetype?: string | null; maxBytes?: number } = {}): Promise<StoredMedia> {
    const tempDir = path.join(this.root, TEMP_DIR);
    await mkdir(tempDir, { recursive: true });
    const tempPath = path.join(tempDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
    const meter = new HashingMeter(options.maxBytes ?? Number.POSITIVE_INFINITY);
    const source = body instanceof Readable ? body : Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]);
    const writer = createWriteStream(tempPath, { flags: 'wx' });
    let moved = false;
    try {
      try {
        await pipeline(source, meter, writer);
      } catch (error) {
        // The write stream may still be opening its file: wait, or the unlink below could run first.
        if (!writer.closed) await once(writer, 'close').catch(() => undefined);
        throw error;
      }
      const sha256 = meter.digest();
      const finalPath = this.pathOf(sha256);
      await mkdir(path.dirname(finalPath), { recursive: true });
      await this.writeSidecar(sha256, options.mimetype ?? null);
      // rename() replaces atomically: a concurrent put of the same bytes lands identical content.
      await rename(tempPath, finalPath);
      moved = true;
      return { mediaId: sha256, sha256, size: meter.bytes, mimetype: (await this.readSidecar(sha256)).mimetype };
    } finally {
      if (!moved) await unlink(tempPath).catch(() => undefined);
    }
  }

  /** Metadata of a stored file, or null when absent (or when the id is not a content address). */
  async stat(mediaId: string): Promise<StoredMedia | null> {
    if (!MEDIA_ID.test(mediaId)) return null;
    let size: number;
    try {
      size = (await stat(this.pathOf(mediaId))).size;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    return { mediaId, sha256: mediaId, size, mimetype: (await this.readSidecar(mediaId)).mimetype };
  }

  /** Streams a stored file; throws WaError NOT_FOUND when absent. */
  async open(mediaId: string): Promise<Readable> {
    if (!MEDIA_ID.test(mediaId)) throw notFound(mediaId);
    try {
      // Opening the handle first turns a missing file into NOT_FOUND here, not a later stream error.
      const handle = await open(this.pathOf(mediaId), 'r');
      return handle.createReadStream();
    } catch (error) {
      if (isNotFound(error)) throw notFound(mediaId);
      throw error;
    }
  }

  private pathOf(sha256: string): string {
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  private async readSidecar(sha256: string): Promise<Sidecar> {
    try {
      const parsed = JSON.parse(await readFile(`${this.pathOf(sha256)}.json`, 'utf8')) as Partial<Sidecar>;
      return { mimetype: typeof parsed.mimetype === 'string' ? parsed.mimetype : null };
    } catch (error) {
      if (isNotFound(error)) return { mimetype: null };
      throw error;
    }
  }

  /** The first known mimetype wins; later puts only fill it in when it was unknown. */
  private async writeSidecar(sha256: string, mimetype: string | null): Promise<void> {
    if (mimetype === null) return;
    if ((await this.readSidecar(sha256)).mimetype !== null) return;
    const tempPath = path.join(this.root, TEMP_DIR, `${process.pid}-${randomBytes(8).toString('hex')}.json`);
    await writeFile(tempPath, JSON.stringify({ mimetype } satisfies Sidecar));
    await rename(tempPath, `${this.pathOf(sha256)}.json`);
  }
}

/** Passes bytes through while hashing and counting them; fails as soon as the limit is crossed. */
class HashingMeter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new WaError('PAYLOAD_TOO_LARGE', `media is larger than ${this.maxBytes} bytes`, { details: { maxBytes: this.maxBytes } }));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

function notFound(mediaId: string): WaError {
  return new WaError('NOT_FOUND', `media ${mediaId.slice(0, 64)} is not in the store`, { field: 'mediaId' });
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
