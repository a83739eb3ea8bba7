// Turning protobuf / Baileys values into the plain values Avro records hold.

/** What protobufjs gives for 64-bit fields: a Long, a number, or (from JSON) a string. */
export type LongLike = number | string | { low: number; high: number; unsigned?: boolean; toNumber?: () => number } | null | undefined;

/** A 64-bit protobuf value as a JS number; null when absent or beyond 2^53. */
export function toNumber(value: LongLike): number | null {
  if (value === null || value === undefined) return null;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') n = Number(value);
  else if (typeof value.toNumber === 'function') n = value.toNumber();
  else n = value.high * 2 ** 32 + (value.low >>> 0);
  return Number.isFinite(n) && Number.isSafeInteger(Math.trunc(n)) ? Math.trunc(n) : null;
}

/** A 32-bit protobuf value for an Avro int; null when absent or out of range. */
export function toInt(value: LongLike): number | null {
  const n = toNumber(value);
  return n === null || n > 2_147_483_647 || n < -2_147_483_648 ? null : n;
}

/** Seconds since the epoch (Baileys' message, receipt and key timestamps) to milliseconds. */
export function secondsToMillis(value: LongLike): number | null {
  const n = toNumber(value);
  return n === null || n <= 0 ? null : n * 1000;
}

/** A positive millisecond timestamp (`senderTimestampMs`, `timestampMs`...); null when absent or zero. */
export function millis(value: LongLike): number | null {
  const n = toNumber(value);
  return n === null || n <= 0 ? null : n;
}

/**
 * A timestamp WhatsApp gives sometimes in seconds and sometimes in milliseconds depending on the
 * path (app-state sync uses ms, history sync seconds): values below 10^11 are taken as seconds.
 */
export function epochMillis(value: LongLike): number | null {
  const n = toNumber(value);
  if (n === null || n <= 0) return null;
  return n < 100_000_000_000 ? n * 1000 : n;
}

/** A non-empty string, else null. */
export function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** A boolean when set, else null. */
export function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** A finite number when set, else null (Avro doubles). */
export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Bytes as an owned Buffer (Avro bytes), null when absent or empty. */
export function bytes(value: Uint8Array | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null;
  const buffer = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.from(value);
  return buffer.length > 0 ? buffer : null;
}

/** Lowercase hex of bytes, null when absent or empty. */
export function hex(value: Uint8Array | string | null | undefined): string | null {
  return bytes(value)?.toString('hex') ?? null;
}

/** The name of a protobuf enum value (e.g. `GIPHY`), null when unset. */
export function enumName(values: Record<string | number, string | number>, value: number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const name = values[value];
  return typeof name === 'string' ? name : String(value);
}

// Field names whose values decrypt something or authenticate this account: never written.
const SECRET_FIELD = /secret|token|mediakey|enckey|keydata|paddingbytes|identitykey|signature|ciphertext/i;

/**
 * A protobuf message (or any Baileys payload) as JSON for `rawJson`, with secrets removed:
 * media keys, message secrets, poll / event keys, tokens. Bytes become base64, Longs numbers,
 * unset fields and empty lists are left out.
 */
export function sanitizedJson(value: unknown): string | null {
  const plain = toPlain(value, 0);
  return plain === undefined ? null : JSON.stringify(plain);
}

function toPlain(value: unknown, depth: number): unknown {
  if (value === null || value === undefined || typeof value === 'function' || depth > 32) return undefined;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return value.length > 0 ? Buffer.from(value).toString('base64') : undefined;
  if (value instanceof Date) return value.toISOString();
  if (isLong(value)) return toNumber(value) ?? String(value);
  if (Array.isArray(value)) {
    const items = value.map((item) => toPlain(item, depth + 1)).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(value)) {
      if (SECRET_FIELD.test(name)) continue;
      const item = toPlain((value as Record<string, unknown>)[name], depth + 1);
      if (item !== undefined) out[name] = item;
    }
    return out;
  }
  return undefined;
}

function isLong(value: object): value is { low: number; high: number } {
  return 'low' in value && 'high' in value && typeof (value as { low: unknown }).low === 'number';
}
