import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WaError } from '../shared/index.js';

/**
 * The simulator's media server: plaintext files addressed by their SHA-256 under `media/`,
 * and encrypted uploads (addressed by the SHA-256 of the encrypted bytes, as WhatsApp does)
 * under `uploads/` until a sent message names their media key.
 */
export class MediaVault {
  private readonly mediaDir: string;
  private readonly uploadDir: string;

  constructor(root: string) {
    this.mediaDir = path.join(root, 'media');
    this.uploadDir = path.join(root, 'uploads');
  }

  async init(): Promise<void> {
    await mkdir(this.mediaDir, { recursive: true });
    await mkdir(this.uploadDir, { recursive: true });
  }

  /** Stores plaintext bytes; the same bytes give the same address. */
  async putPlain(bytes: Buffer): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = path.join(this.mediaDir, sha256);
    if (!(await exists(target))) {
      const temporary = `${target}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, target);
    }
    return { sha256, size: bytes.length };
  }

  /** Streams a plaintext file; throws NOT_FOUND when absent. */
  async openPlain(sha256: string): Promise<{ stream: Readable; size: number }> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new WaError('NOT_FOUND', 'no such media', { field: 'sha256' });
    const file = path.join(this.mediaDir, sha256);
    const info = await stat(file).catch(() => null);
    if (!info) throw new WaError('NOT_FOUND', 'no such media', { field: 'sha256' });
    return { stream: createReadStream(file), size: info.size };
  }

  /** Streams an encrypted upload to disk, refusing more than `maxBytes`; returns its SHA-256 (hex). */
  async saveUpload(body: Readable, maxBytes: number): Promise<{ encSha256: string; size: number }> {
    const temporary = path.join(this.uploadDir, `${randomBytes(8).toString('hex')}.tmp`);
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > maxBytes) throw new WaError('PAYLOAD_TOO_LARGE', `upload exceeds ${maxBytes} bytes`);
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(temporary),
      );
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    const encSha256 = hash.digest('hex');
    await rename(temporary, path.join(this.uploadDir, encSha256));
    return { encSha256, size };
  }

  /** The encrypted bytes of an upload, or null when there is none. */
  async readUpload(encSha256: string): Promise<Buffer | null> {
    if (!/^[0-9a-f]{64}$/.test(encSha256)) return null;
    return readFile(path.join(this.uploadDir, encSha256)).catch(() => null);
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
