import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every key this product issues starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const KEY_PREFIX = 'wab_';

/** A new API key: the prefix and 32 random bytes, base64url. */
export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** A new key id: public, shown in lists and logs in place of the key. */
export function generateKeyId(prefix: 'key' | 'admin'): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

/** SHA-256 of a key; only this is ever stored. */
export function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Compares two SHA-256 digests in constant time. */
export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The one-time announcement of a generated admin key (stdout, never the logger). */
export function adminKeyBanner(key: string): string {
  const rule = '='.repeat(72);
  return [
    '',
    rule,
    '  wa-backbone: a new admin API key was generated',
    '',
    `    ${key}`,
    '',
    '  It is shown this once and stored only as a hash. Keep it somewhere safe,',
    '  or set API_KEY to use a key of your own.',
    rule,
    '',
    '',
  ].join('\n');
}
