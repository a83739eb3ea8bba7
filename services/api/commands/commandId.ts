import { createHash, randomUUID } from 'node:crypto';

const SEPARATOR = '\u001f';

/**
 * The commandId of a request. Without an Idempotency-Key it is a fresh UUID. With one it is
 * derived from (requestedBy, accountId, key): the same key sent again by the same API key for
 * the same account is the same command, so the connector answers it with the first result
 * (`replayed`) instead of doing it twice, whichever API instance the retry reaches. Another
 * client's key, or the same key for another account, is another command. The id is the first
 * 16 bytes of a SHA-256 laid out as an RFC 9562 version-8 UUID, so it looks like any other.
 */
export function commandIdFor(requestedBy: string, accountId: string, idempotencyKey: string | null): string {
  if (idempotencyKey === null) return randomUUID();
  const bytes = createHash('sha256').update(['wa-backbone command', requestedBy, accountId, idempotencyKey].join(SEPARATOR), 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
