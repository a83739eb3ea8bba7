import { WaError } from '../../../services/shared/index.js';

// Every value that goes into analytics SQL goes through this file: ClickHouse 18.16 has no
// query parameters, so values are written into the text, validated or escaped here.

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A ClickHouse string literal: backslash and quote escaped, control bytes as `\xNN`. */
export function sqlString(value: string): string {
  let out = "'";
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `${out}'`;
}

/** A non-negative safe integer as a literal; anything else is refused. */
export function sqlUInt(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new WaError('INVALID_ARGUMENT', `not a non-negative integer: ${String(value)}`);
  return String(value);
}

/** A calendar day (`YYYY-MM-DD`) as a Date literal; an impossible day is refused. */
export function sqlDate(day: string): string {
  if (!DAY.test(day) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) throw new WaError('INVALID_ARGUMENT', `not a calendar day: ${day}`);
  return `toDate('${day}')`;
}

/** A database, table or column name: letters, digits and underscores only. */
export function sqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new WaError('INVALID_ARGUMENT', `not a valid ClickHouse identifier: ${name}`);
  return name;
}

/** `(a, b, c)` of string literals; `('')`-free: an empty list is refused (IN () is invalid SQL). */
export function sqlStringList(values: readonly string[]): string {
  if (values.length === 0) throw new WaError('INTERNAL', 'an empty IN list');
  return `(${values.map(sqlString).join(', ')})`;
}

/** A tuple of literals, for `(a, b) IN ((...), (...))`. */
export function sqlTuple(values: ReadonlyArray<string | number>): string {
  return `(${values.map((value) => (typeof value === 'number' ? sqlUInt(value) : sqlString(value))).join(', ')})`;
}

/** A time in milliseconds as ClickHouse's DateTime text (UTC, whole seconds). */
export function dateTimeText(ms: number): string {
  const clamped = Math.min(Math.max(ms, 0), 4_294_967_295_000);
  return new Date(Math.floor(clamped / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The UTC calendar day of a time in milliseconds. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
