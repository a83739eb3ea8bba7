import type { Readable } from 'node:stream';

/** What the store knows about one stored file. */
export interface StoredMedia {
  /** Content address: lowercase hex SHA-256 of the plaintext bytes. */
  mediaId: string;
  sha256: string;
  size: number;
  mimetype: string | null;
}

/** Content-addressed media store: files under `DATA_DIR/media`, or an S3-compatible bucket. */
export interface MediaStore {
  /** Streams `body` into the store (never held whole in memory); the same bytes give the same id. Throws PAYLOAD_TOO_LARGE beyond `maxBytes`. */
  put(body: Readable | Uint8Array, options?: { mimetype?: string | null; maxBytes?: number }): Promise<StoredMedia>;
  /** Metadata of a stored file, or null when absent. */
  stat(mediaId: string): Promise<StoredMedia | null>;
  /** Streams a stored file; throws WaError NOT_FOUND when absent. */
  open(mediaId: string): Promise<Readable>;
}
