/** A JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

// Values a client never needs and that must not be copied around: the encrypted media key.
const DROPPED_FIELDS = new Set(['mediaKeyEncrypted']);

/** A decoded Avro value as JSON: bytes as base64, the encrypted media key left out. */
export function toJson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  switch (typeof value) {
    case 'string':
      // jsonb cannot hold U+0000 either.
      return value.replaceAll('\u0000', '');
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return Number(value);
    case 'object': {
      const out: { [key: string]: Json } = {};
      for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
        if (!DROPPED_FIELDS.has(key)) out[key] = toJson(field);
      }
      return out;
    }
    default:
      return null;
  }
}

/** `toJson` as text for a `jsonb` parameter; null stays null. */
export function jsonParam(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(toJson(value));
}
