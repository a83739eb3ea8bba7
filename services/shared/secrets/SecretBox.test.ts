import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { AvroCodec } from '../../../schemas/index.js';
import { WaError } from '../WaError.js';
import { SecretBox, keyIdOf, type EncryptedValue } from './index.js';

const key = Buffer.alloc(32, 7);
const secret = Buffer.from('the private signal key 0123456789');

function assertWaError(code: string): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof WaError, `expected a WaError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.retriable, false);
    return true;
  };
}

describe('SecretBox', () => {
  it('opens what it sealed, with the same AAD', () => {
    const box = new SecretBox(key);
    const sealed = box.seal(secret, 'acct-1/creds/creds');
    assert.deepEqual(box.open(sealed, 'acct-1/creds/creds'), secret);
    assert.equal(box.open(box.seal('text', Buffer.from('aad')), 'aad').toString('utf8'), 'text');
  });

  it('uses a fresh 12-byte IV and a 16-byte tag for every seal', () => {
    const box = new SecretBox(key);
    const a = box.seal(secret, 'aad');
    const b = box.seal(secret, 'aad');
    assert.equal(a.iv.length, 12);
    assert.equal(a.authTag.length, 16);
    assert.notDeepEqual(a.iv, b.iv);
    assert.notDeepEqual(a.ciphertext, b.ciphertext);
  });

  it('never puts the plaintext in the sealed value', () => {
    const sealed = new SecretBox(key).seal(secret, 'aad');
    const all = Buffer.concat([Buffer.from(sealed.keyId), sealed.iv, sealed.authTag, sealed.ciphertext]);
    assert.equal(all.includes(secret), false);
    assert.equal(all.includes(secret.subarray(0, 8)), false);
  });

  it('derives a short, stable, non-secret key id', () => {
    const box = new SecretBox(key);
    assert.match(box.keyId, /^[0-9a-f]{16}$/);
    assert.equal(box.keyId, new SecretBox(Buffer.from(key)).keyId);
    assert.equal(box.keyId, keyIdOf(key));
    assert.notEqual(box.keyId, new SecretBox(Buffer.alloc(32, 8)).keyId);
    assert.equal(key.toString('hex').includes(box.keyId), false);
  });

  it('refuses a value sealed under another key, naming both key ids', () => {
    const other = new SecretBox(randomBytes(32));
    const sealed = other.seal(secret, 'aad');
    assert.throws(() => new SecretBox(key).open(sealed, 'aad'), (error: unknown) => {
      assertWaError('INVALID_CONFIG')(error);
      assert.match((error as Error).message, new RegExp(other.keyId));
      return true;
    });
  });

  it('refuses a value whose key id was forged to match', () => {
    const sealed = new SecretBox(randomBytes(32)).seal(secret, 'aad');
    const box = new SecretBox(key);
    assert.throws(() => box.open({ ...sealed, keyId: box.keyId }, 'aad'), assertWaError('CODEC'));
  });

  it('refuses a value opened under another AAD', () => {
    const box = new SecretBox(key);
    const sealed = box.seal(secret, 'acct-1/pre-key/1');
    assert.throws(() => box.open(sealed, 'acct-1/pre-key/2'), assertWaError('CODEC'));
  });

  it('refuses altered ciphertext, tag or IV', () => {
    const box = new SecretBox(key);
    const sealed = box.seal(secret, 'aad');
    const flip = (bytes: Buffer): Buffer => {
      const copy = Buffer.from(bytes);
      copy[copy.length - 1] = copy[copy.length - 1]! ^ 0x01;
      return copy;
    };
    const altered: EncryptedValue[] = [
      { ...sealed, ciphertext: flip(sealed.ciphertext) },
      { ...sealed, authTag: flip(sealed.authTag) },
      { ...sealed, iv: flip(sealed.iv) },
      { ...sealed, ciphertext: sealed.ciphertext.subarray(1) },
      { ...sealed, authTag: sealed.authTag.subarray(0, 12) },
    ];
    for (const value of altered) assert.throws(() => box.open(value, 'aad'), assertWaError('CODEC'));
  });

  it('errors carry neither the plaintext, the key nor the AAD', () => {
    const box = new SecretBox(key);
    const sealed = box.seal(secret, 'secret-aad-text');
    try {
      box.open({ ...sealed, ciphertext: Buffer.alloc(sealed.ciphertext.length) }, 'other-secret-aad');
      assert.fail('should have thrown');
    } catch (error) {
      const text = `${(error as Error).message} ${inspect(error, { depth: 5 })}`;
      assert.equal(text.includes('secret-aad'), false);
      assert.equal(text.includes(secret.toString()), false);
      assert.equal(text.includes(key.toString('hex')), false);
    }
  });

  it('does not show the key when inspected or serialised', () => {
    const box = new SecretBox(key);
    const shown = `${inspect(box, { depth: 5, showHidden: true })} ${JSON.stringify(box)}`;
    assert.equal(shown.includes(key.toString('hex')), false);
    assert.equal(shown.includes('<Buffer 07 07'), false);
  });

  it('accepts only 32-byte keys', () => {
    assert.throws(() => new SecretBox(Buffer.alloc(16)), assertWaError('INVALID_CONFIG'));
    assert.throws(() => new SecretBox(Buffer.alloc(33)), assertWaError('INVALID_CONFIG'));
  });

  it('produces a valid wa.common.EncryptedValue', () => {
    const codec = AvroCodec.load();
    const sealed = new SecretBox(key).seal(secret, 'aad');
    const decoded = codec.decode<EncryptedValue>(codec.encode('wa.common.EncryptedValue', sealed));
    assert.deepEqual(new SecretBox(key).open(decoded.value, 'aad'), secret);
  });
});
