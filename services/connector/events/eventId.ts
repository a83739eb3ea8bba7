import * as crypto from 'node:crypto';

const SEPARATOR = '\u001f';

/** Hex SHA-256; the one-shot `crypto.hash` (Node 20.12+) where there is one: no Hash object per event id. */
const sha256Hex: (data: string | Uint8Array) => string =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'hex') : (data) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * The deterministic event id of schemas/README.md: lowercase hex of the first 16 bytes of
 * SHA-256(family 0x1F accountId 0x1F part1 0x1F ...). A missing part is the empty string.
 */
export function eventId(family: string, accountId: string, parts: ReadonlyArray<string | number | boolean | null | undefined>): string {
  const text = [family, accountId, ...parts.map((part) => (part === null || part === undefined ? '' : String(part)))].join(SEPARATOR);
  return sha256Hex(text).slice(0, 32);
}

/** `key(m)` of the natural-key tables: chatJid, message id, fromMe. */
export function messageKeyParts(chatJid: string, id: string, fromMe: boolean): string[] {
  return [chatJid, id, fromMe ? 'true' : 'false'];
}

/** `digest(data)`: hex SHA-256 of the Avro binary encoding of a data branch. */
export function digest(encoded: Uint8Array): string {
  return sha256Hex(encoded);
}
