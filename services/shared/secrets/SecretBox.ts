import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { WaError } from '../WaError.js';

/** A secret sealed with AES-256-GCM, shaped as the Avro record `wa.common.EncryptedValue`. */
export interface EncryptedValue {
  /** Which key sealed it (SecretBox.keyId); not secret. */
  keyId: string;
  /** 12 random bytes, fresh for every seal. */
  iv: Buffer;
  /** 16-byte GCM tag over the ciphertext and the AAD. */
  authTag: Buffer;
  ciphertext: Buffer;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_LABEL = 'wa-backbone key id';

/** The non-secret id of a key: hex of the first 8 bytes of SHA-256("wa-backbone key id" || key). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(KEY_ID_LABEL, 'utf8').update(key).digest('hex').slice(0, 16);
}

/**
 * Seals and opens secrets with one AES-256-GCM key. The additional authenticated data (AAD)
 * binds a value to where it is stored (a record key, a subscription id), so a sealed value
 * copied elsewhere does not open. Errors never carry the key, the plaintext or the AAD.
 */
export class SecretBox {
  readonly keyId: string;
  // A private field: util.inspect, JSON.stringify and loggers cannot reach the key.
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw new WaError('INVALID_CONFIG', `an encryption key must be ${KEY_BYTES} bytes`, { field: 'SESSION_ENCRYPTION_KEY' });
    }
    this.#key = Buffer.from(key);
    this.keyId = keyIdOf(this.#key);
  }

  /** Encrypts `plain` under this key with a fresh random IV, authenticating `aad` too. */
  seal(plain: Buffer | string, aad: Buffer | string): EncryptedValue {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(toBytes(aad));
    const ciphertext = Buffer.concat([cipher.update(toBytes(plain)), cipher.final()]);
    return { keyId: this.keyId, iv, authTag: cipher.getAuthTag(), ciphertext };
  }

  /**
   * Decrypts a sealed value; throws WaError INVALID_CONFIG when another key sealed it and
   * WaError CODEC when the bytes were altered or the AAD differs.
   */
  open(value: EncryptedValue, aad: Buffer | string): Buffer {
    if (value.keyId !== this.keyId) {
      throw new WaError('INVALID_CONFIG', `value was sealed with key ${value.keyId}, but the configured key is ${this.keyId}`, {
        field: 'SESSION_ENCRYPTION_KEY',
        details: { sealedWith: value.keyId, configured: this.keyId },
      });
    }
    if (value.iv.length !== IV_BYTES || value.authTag.length !== TAG_BYTES) {
      throw new WaError('CODEC', `sealed value has a ${value.iv.length}-byte IV and a ${value.authTag.length}-byte tag, expected ${IV_BYTES} and ${TAG_BYTES}`);
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#key, value.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(toBytes(aad));
    decipher.setAuthTag(value.authTag);
    try {
      return Buffer.concat([decipher.update(value.ciphertext), decipher.final()]);
    } catch {
      // OpenSSL's message says nothing useful; the cause is one of these two.
      throw new WaError('CODEC', 'sealed value failed authentication: it was altered, or it belongs to another record (AAD mismatch)');
    }
  }
}

function toBytes(value: Buffer | string): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}
