import type { Readable } from 'node:stream';
import { WaError, type MediaStore, type StoredMedia } from '../../shared/index.js';
import type { MediaReference, MediaService } from '../ApiServices.js';
import { base64Head, base64Stream, parseBase64Field } from './base64Field.js';
import { checkPublicUrl } from '../../shared/net/index.js';
import { sniffMimetype } from './sniffMimetype.js';

/** The largest media file accepted: 50 MB, the WILDCAT document's limit. */
export const MEDIA_MAX_BYTES = 50 * 1024 * 1024;

const MEDIA_ID = /^[0-9a-f]{64}$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export interface StoreMediaServiceOptions {
  store: MediaStore;
  /** Largest media accepted, in bytes (default MEDIA_MAX_BYTES). */
  maxBytes?: number;
  /** Accept URLs that name a private or loopback address (WEBHOOK_ALLOW_PRIVATE: tests, closed networks). */
  allowPrivate?: boolean;
}

/**
 * Media fields and downloads over the content-addressed store. Base64 is decoded chunk by
 * chunk into the store; a URL is passed on as the media id for the connector to fetch (only
 * http(s), and no literal private address: the full DNS check happens where it is fetched).
 */
export class StoreMediaService implements MediaService {
  readonly store: MediaStore;
  private readonly maxBytes: number;

  constructor(private readonly options: StoreMediaServiceOptions) {
    this.store = options.store;
    this.maxBytes = options.maxBytes ?? MEDIA_MAX_BYTES;
  }

  /** A WHAPI `media` field as a reference: base64 stored (content address), a URL checked and passed on. */
  async fromField(value: string, field: string, options: { mimetype?: string | null } = {}): Promise<MediaReference> {
    const text = value.trim();
    if (text === '') throw new WaError('INVALID_ARGUMENT', `${field} is empty`, { field });
    if (/^https?:/i.test(text)) {
      const url = checkPublicUrl(text, field, { allowPrivate: this.options.allowPrivate ?? false });
      return { mediaId: url.href, mimetype: options.mimetype ?? null, size: null };
    }
    if (SCHEME.test(text) && !/^data:/i.test(text)) throw new WaError('INVALID_ARGUMENT', `${field} must be an http(s) URL or base64`, { field });
    const payload = parseBase64Field(text, field, this.maxBytes);
    const mimetype = options.mimetype ?? payload.mimetype ?? sniffMimetype(base64Head(payload));
    let stored: StoredMedia;
    try {
      stored = await this.store.put(base64Stream(payload), { mimetype, maxBytes: this.maxBytes });
    } catch (error) {
      if (error instanceof WaError && error.code === 'PAYLOAD_TOO_LARGE') throw new WaError('PAYLOAD_TOO_LARGE', error.message, { field, details: error.details ?? {} });
      throw error;
    }
    return { mediaId: stored.mediaId, mimetype: stored.mimetype ?? mimetype, size: stored.size };
  }

  /** A stored file and its metadata; 400 for an id that is no content address, NOT_FOUND when absent. */
  async open(mediaId: string): Promise<{ media: StoredMedia; stream: Readable }> {
    const id = mediaId.toLowerCase();
    if (!MEDIA_ID.test(id)) throw new WaError('INVALID_ARGUMENT', 'mediaId must be 64 hex digits (the SHA-256 of the file)', { field: 'mediaId' });
    const media = await this.store.stat(id);
    if (media === null) throw new WaError('NOT_FOUND', `media ${id} is not in the store`, { field: 'mediaId' });
    return { media, stream: await this.store.open(id) };
  }
}
