import { z } from 'zod';
import { type JidKind } from '../../../shared/commands/index.js';
import { WaError } from '../../../shared/index.js';
import type { ApiServices } from '../../ApiServices.js';
import { jidSchema, recipientJid, requireJid } from '../shared/index.js';

/**
 * A phone number or JID of `kinds`, validated and handed to the handler as the JID
 * (`79991234567` → `79991234567@s.whatsapp.net`).
 */
export function jidField(kinds: readonly JidKind[], field: string) {
  return jidSchema(kinds, { field, required: `${field} is required` }).transform((value) => requireJid(value, field, kinds));
}

/** A required, non-blank text of at most `max` characters, trimmed. */
export function requiredText(field: string, max: number) {
  return z
    .string({ error: `${field} is required` })
    .trim()
    .min(1, { error: `${field} is required` })
    .max(max, { error: `${field} is at most ${max} characters` });
}

/** An integer of a number field (JSON number or query string) between `min` and `max`. */
export function integerField(field: string, min: number, max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value),
    z
      .number({ error: `${field} must be a number` })
      .int({ error: `${field} must be a whole number` })
      .min(min, { error: `${field} must be between ${min} and ${max}` })
      .max(max, { error: `${field} must be between ${min} and ${max}` }),
  );
}

/** A list field; a form or query string is a comma-separated list. */
export function listField<T extends z.ZodType>(field: string, item: T, min: number, max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter((part) => part !== '') : value),
    z
      .array(item, { error: `${field} must be a list` })
      .min(min, { error: min === 1 ? `${field} must name at least one item` : `${field} must have at least ${min} items` })
      .max(max, { error: `${field} must have at most ${max} items` }),
  );
}

/** True for an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An http(s) URL field; `allowEmpty` lets an empty string through (to clear a value). */
export function httpUrlField(field: string, options: { allowEmpty?: boolean } = {}) {
  return z
    .string({ error: `${field} is required` })
    .max(2_048, { error: `${field} is at most 2048 characters` })
    .refine((value) => (options.allowEmpty === true && value === '') || isHttpUrl(value), { error: `${field} must be an http(s) URL` });
}

/** A group id as a JID: `120363...@g.us`, or the bare number WhatsApp shows before `@g.us`. */
export function groupJidOf(value: string): string | null {
  const text = value.trim();
  return /^\d{5,30}(-\d{5,20})?$/.test(text) ? `${text}@g.us` : recipientJid(text, ['group']);
}

/** A newsletter id as a JID: `120363...@newsletter`, or the bare number. */
export function newsletterJidOf(value: string): string | null {
  const text = value.trim();
  return /^\d{5,30}$/.test(text) ? `${text}@newsletter` : recipientJid(text, ['newsletter']);
}

/** A group (or community) id field, handed over as the group JID. */
export function groupIdField(field: string) {
  return z
    .string({ error: `${field} is required` })
    .max(128, { error: `${field} must be a group JID (…@g.us)` })
    .refine((value) => groupJidOf(value) !== null, { error: `${field} must be a group JID (…@g.us)` })
    .transform((value) => groupJidOf(value)!);
}

/** A newsletter id field, handed over as the newsletter JID. */
export function newsletterIdField(field: string) {
  return z
    .string({ error: `${field} is required` })
    .max(128, { error: `${field} must be a newsletter JID (…@newsletter)` })
    .refine((value) => newsletterJidOf(value) !== null, { error: `${field} must be a newsletter JID (…@newsletter)` })
    .transform((value) => newsletterJidOf(value)!);
}

/** A WhatsApp Business label id (WhatsApp numbers them: `1`, `7`, ...). */
export const labelIdField = z.string({ error: 'id is required' }).regex(/^[0-9A-Za-z_-]{1,64}$/, { error: 'id must be a label id (letters, digits, "_" or "-")' });

/** A story id: the id of its message in status@broadcast. */
export const storyIdField = z.string({ error: 'id is required' }).regex(/^[0-9A-Za-z]{4,64}$/, { error: 'id must be a story (message) id: 4 to 64 letters or digits' });

/** A media id of the store: the SHA-256 of the file, in hex. */
export const mediaIdField = z
  .string({ error: 'id is required' })
  .regex(/^[0-9a-fA-F]{64}$/, { error: 'id must be a media id (64 hex digits)' })
  .transform((value) => value.toLowerCase());

/** A WHAPI `media` / `image` field: an http(s) URL or base64 (the media service stores or checks it). */
export function mediaField(field: string) {
  return z
    .string({ error: `${field} is required` })
    .min(1, { error: `${field} is required` })
    .meta({ description: 'http(s) URL or base64 (with or without a data: prefix)', example: 'https://example.com/photo.jpg' });
}

/** 404 for a channel the read model does not know. */
export function channelNotFound(): WaError {
  return new WaError('NOT_FOUND', 'Channel not found', { field: 'channelId' });
}

/**
 * A list answer, or 404 when it is empty because the channel does not exist: the account is
 * looked up only then, so a list costs one read.
 */
export async function channelList<T>(services: ApiServices, accountId: string, items: T[]): Promise<T[]> {
  if (items.length === 0 && (await services.reads.account(accountId)) === null) throw channelNotFound();
  return items;
}
