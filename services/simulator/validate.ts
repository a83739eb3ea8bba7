import { WaError } from '../shared/index.js';

/** JSON field readers: each returns the typed value or throws INVALID_ARGUMENT naming the field. */

function invalid(field: string, message: string): WaError {
  return new WaError('INVALID_ARGUMENT', `${field} ${message}`, { field });
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A required non-empty string of at most `max` characters. */
export function requiredString(body: Record<string, unknown>, field: string, max = 4096): string {
  const value = body[field];
  if (!present(value)) throw invalid(field, 'is required');
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  if (value.trim() === '') throw invalid(field, 'must not be empty');
  if (value.length > max) throw invalid(field, `must be at most ${max} characters`);
  return value;
}

/** An optional string (null when absent). */
export function optionalString(body: Record<string, unknown>, field: string, max = 4096): string | null {
  const value = body[field];
  if (!present(value)) return null;
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  if (value.length > max) throw invalid(field, `must be at most ${max} characters`);
  return value;
}

/** An optional whole number within bounds (null when absent). */
export function optionalInteger(body: Record<string, unknown>, field: string, min: number, max: number): number | null {
  const value = body[field];
  if (!present(value)) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(field, 'must be a whole number');
  if (value < min || value > max) throw invalid(field, `must be between ${min} and ${max}`);
  return value;
}

/** A required number within bounds. */
export function requiredNumber(body: Record<string, unknown>, field: string, min: number, max: number, name = field): number {
  const value = body[field];
  if (!present(value)) throw invalid(name, 'is required');
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(name, 'must be a number');
  if (value < min || value > max) throw invalid(name, `must be between ${min} and ${max}`);
  return value;
}

/** One of a closed set of strings; `fallback` when absent (required when there is none). */
export function oneOf<T extends string>(body: Record<string, unknown>, field: string, allowed: readonly T[], fallback?: T): T {
  const value = body[field];
  if (!present(value)) {
    if (fallback !== undefined) return fallback;
    throw invalid(field, `is required (one of ${allowed.join(', ')})`);
  }
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw invalid(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** An optional JSON object (null when absent). */
export function optionalObject(body: Record<string, unknown>, field: string): Record<string, unknown> | null {
  const value = body[field];
  if (!present(value)) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'must be an object');
  return value as Record<string, unknown>;
}

/** A required array of strings. */
export function stringArray(body: Record<string, unknown>, field: string, maxItems = 1024): string[] {
  const value = body[field];
  if (!Array.isArray(value)) throw invalid(field, 'must be an array of strings');
  if (value.length > maxItems) throw invalid(field, `must have at most ${maxItems} items`);
  if (!value.every((item) => typeof item === 'string')) throw invalid(field, 'must be an array of strings');
  return value as string[];
}

/** Optional base64 bytes (null when absent); rejects anything that is not base64. */
export function optionalBase64(body: Record<string, unknown>, field: string): Buffer | null {
  const value = optionalString(body, field, Number.MAX_SAFE_INTEGER);
  if (value === null) return null;
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.length % 4 === 1) throw invalid(field, 'must be base64');
  return Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
}
