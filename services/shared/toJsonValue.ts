/** Field names whose values are secrets even when sealed: they never leave the backbone. */
const SEALED_FIELDS: ReadonlySet<string> = new Set(['mediaKeyEncrypted']);

/** True for a `wa.common.EncryptedValue` as the codec decodes it. */
function isEncryptedValue(value: object): boolean {
  const record = value as Record<string, unknown>;
  return typeof record['keyId'] === 'string' && Buffer.isBuffer(record['iv']) && Buffer.isBuffer(record['authTag']) && Buffer.isBuffer(record['ciphertext']);
}

/**
 * A decoded Avro value as JSON-able data for API clients: bytes become base64, and sealed
 * secrets (`mediaKeyEncrypted`, any `EncryptedValue`) are left out entirely, since even their
 * ciphertext is of no use outside the backbone.
 */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item));
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    if (SEALED_FIELDS.has(name)) continue;
    if (typeof field === 'object' && field !== null && !(field instanceof Uint8Array) && !Array.isArray(field) && isEncryptedValue(field)) continue;
    out[name] = toJsonValue(field);
  }
  return out;
}
