import { randomFillSync } from 'node:crypto';

/** Bytes drawn from the system's CSPRNG at once: one call per pool instead of one per id. */
const POOL_BYTES = 4096;

let pool = Buffer.alloc(0);
let offset = 0;

/**
 * `bytes` cryptographically random bytes as lowercase hex. The bytes come from a pooled buffer
 * refilled with `randomFillSync` (what `randomUUID` does too): a call into OpenSSL per id
 * costs more than the id on hot paths (a trace id per record, a message id per inbound
 * message). Every byte is handed out once.
 */
export function randomHex(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes <= 0) throw new RangeError(`randomHex needs a positive whole number of bytes, got ${bytes}`);
  if (bytes > POOL_BYTES) return randomFillSync(Buffer.allocUnsafe(bytes)).toString('hex');
  if (offset + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
