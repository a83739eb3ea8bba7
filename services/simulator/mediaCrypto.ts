import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { getMediaKeys, type MediaType } from '@whiskeysockets/baileys';
import { WaError } from '../shared/index.js';

const MAC_LENGTH = 10;

/** A media file encrypted the way a WhatsApp client uploads it. */
export interface EncryptedMedia {
  mediaKey: Buffer;
  encrypted: Buffer;
  fileSha256: Buffer;
  fileEncSha256: Buffer;
}

/** Encrypts plaintext media as a phone would before uploading it (AES-256-CBC + truncated HMAC, keys from `getMediaKeys`). */
export async function encryptMedia(plain: Buffer, mediaType: MediaType): Promise<EncryptedMedia> {
  const mediaKey = randomBytes(32);
  const { iv, cipherKey, macKey } = await getMediaKeys(mediaKey, mediaType);
  const cipher = createCipheriv('aes-256-cbc', cipherKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  const mac = createHmac('sha256', macKey!).update(iv).update(ciphertext).digest().subarray(0, MAC_LENGTH);
  const encrypted = Buffer.concat([ciphertext, mac]);
  return {
    mediaKey,
    encrypted,
    fileSha256: createHash('sha256').update(plain).digest(),
    fileEncSha256: createHash('sha256').update(encrypted).digest(),
  };
}

/** Decrypts an uploaded media file with the message's media key; throws INVALID_ARGUMENT when the MAC does not match. */
export async function decryptMedia(encrypted: Buffer, mediaKey: Uint8Array, mediaType: MediaType): Promise<Buffer> {
  if (encrypted.length < MAC_LENGTH + 16) throw new WaError('INVALID_ARGUMENT', 'encrypted media is too short', { field: 'mediaKey' });
  const { iv, cipherKey, macKey } = await getMediaKeys(mediaKey, mediaType);
  const ciphertext = encrypted.subarray(0, encrypted.length - MAC_LENGTH);
  const mac = encrypted.subarray(encrypted.length - MAC_LENGTH);
  const expected = createHmac('sha256', macKey!).update(iv).update(ciphertext).digest().subarray(0, MAC_LENGTH);
  if (!timingSafeEqual(mac, expected)) throw new WaError('INVALID_ARGUMENT', 'media MAC does not match the media key', { field: 'mediaKey' });
  const decipher = createDecipheriv('aes-256-cbc', cipherKey, iv);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}
