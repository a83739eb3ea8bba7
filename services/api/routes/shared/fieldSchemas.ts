import { z } from 'zod';
import { CHAT, phoneDigits, type JidKind } from '../../../shared/commands/index.js';
import type { Page } from '../../../../projections/readModels/index.js';
import { ACCOUNT_ID } from '../../http/index.js';
import { recipientJid } from './recipientJid.js';

/**
 * Messages: a route's own message is shown exactly as written, so every message here names its
 * field; where none is given the core words the error itself ("to is required").
 */
export interface FieldOptions {
  /** The field name the messages start with. */
  field?: string;
  /** The document's message when the field is missing or empty (`to and message are required`). */
  required?: string;
}

function subject(options: FieldOptions): string {
  return options.field === undefined ? 'expected' : `${options.field} must be`;
}

/** A required, non-empty string; the document's own message when it is missing. */
function requiredString(options: FieldOptions): z.ZodString {
  return options.required === undefined ? z.string().min(1) : z.string({ error: options.required }).min(1, { error: options.required });
}

/** Account (WILDCAT account / WHAPI channel) ids: the core's rule, so the schema and the access check agree. */
export const ACCOUNT_ID_PATTERN = ACCOUNT_ID;

/** An account id field. */
export function accountIdField(options: FieldOptions = {}): z.ZodString {
  return requiredString(options).regex(ACCOUNT_ID_PATTERN, { error: `${subject(options)} 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit` });
}

/** An account id (`/accounts/:accountId`, `/channels/:id`). */
export const accountIdSchema = accountIdField();

/**
 * A recipient or chat: a phone number (with optional `+` and separators) or a JID of one of
 * `kinds`. Validated here; handlers normalise it with `requireJid`.
 */
export function jidSchema(kinds: readonly JidKind[] = CHAT, options: FieldOptions = {}): z.ZodString {
  const what = kinds.includes('user') ? `a phone number with country code or a WhatsApp ${kinds.join(' / ')} JID` : `a WhatsApp ${kinds.join(' / ')} JID`;
  return requiredString(options)
    .max(128, { error: `${subject(options)} ${what}` })
    .refine((value) => recipientJid(value, kinds) !== null, { error: `${subject(options)} ${what}` });
}

/** A message recipient (`to`): phone number or chat JID (user, LID, group `@g.us`, newsletter `@newsletter`). */
export const recipientSchema = jidSchema(CHAT);

/** A phone number with country code (`+79991234567`, `7 999 123-45-67`). */
export function phoneField(options: FieldOptions = {}): z.ZodString {
  return requiredString(options).refine((value) => phoneDigits(value) !== null, {
    error: `${subject(options)} a phone number with country code (5 to 20 digits)`,
  });
}

/** A phone number with country code. */
export const phoneSchema = phoneField();

/** A WhatsApp message id (`3EB0123ABCD456EF`). */
export function messageIdField(options: FieldOptions = {}): z.ZodString {
  return requiredString(options)
    .max(128)
    .regex(/^[0-9A-Za-z_.:-]+$/, { error: `${subject(options)} a WhatsApp message id` });
}

/** A WhatsApp message id. */
export const messageIdSchema = messageIdField();

/** Default and largest page size of every list. */
export const PAGE_LIMIT = { default: 50, max: 100 } as const;

/** A query number (query values are strings). */
function queryInteger(name: string, min: number, max?: number) {
  let schema = z.number({ error: `${name} must be a number` }).int({ error: `${name} must be a whole number` }).min(min, { error: `${name} must be at least ${min}` });
  if (max !== undefined) schema = schema.max(max, { error: `${name} must be at most ${max}` });
  return numberField(schema);
}

/** WILDCAT paging: `limit` (default 50, max 100) and `skip`. */
export const skipPagingSchema = z.object({
  limit: queryInteger('limit', 1, PAGE_LIMIT.max).default(PAGE_LIMIT.default),
  skip: queryInteger('skip', 0).default(0),
});

/** WHAPI paging: `limit` (default 50, max 100) and `offset`. */
export const offsetPagingSchema = z.object({
  limit: queryInteger('limit', 1, PAGE_LIMIT.max).default(PAGE_LIMIT.default),
  offset: queryInteger('offset', 0).default(0),
});

/** The read models' page of either paging style. */
export function pageOf(query: { limit: number; skip: number } | { limit: number; offset: number }): Page {
  return { limit: query.limit, offset: 'skip' in query ? query.skip : query.offset };
}

/** Optional free text of a JSON, form or query field. */
export function optionalText(max = 4_096): z.ZodOptional<z.ZodString> {
  return z.string().max(max).optional();
}

/** A form or query string as the value it spells; anything else is left for the schema to judge. */
function fromText(parse: (text: string) => unknown): (value: unknown) => unknown {
  return (value) => (typeof value === 'string' && value.trim() !== '' ? parse(value.trim()) : value);
}

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false };

/** A boolean as JSON, or as a form / query word (`true`, `false`, `1`, `0`): WHAPI fields may come in the query string. */
export function booleanField(message?: string) {
  return z.preprocess(fromText((text) => BOOLEAN_WORDS[text.toLowerCase()] ?? text), message === undefined ? z.boolean() : z.boolean({ error: message }));
}

/** A number as JSON, or as a form / query string, checked by `schema` (e.g. `z.number().min(-90).max(90)`). */
export function numberField<T extends z.ZodNumber>(schema: T) {
  return z.preprocess(fromText(Number), schema);
}
