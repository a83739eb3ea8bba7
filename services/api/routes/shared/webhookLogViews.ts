import { z } from 'zod';
import type { Page, Paged, WebhookAttemptOutcome, WebhookAttemptRow } from '../../../../projections/readModels/index.js';
import { WaError } from '../../../shared/index.js';
import type { RedeliveryOutcome, RedeliverySelection } from '../../ApiServices.js';
import { booleanField, offsetPagingSchema } from './fieldSchemas.js';

const isoDate = z.string().meta({ format: 'date-time' });

/** The outcomes an attempt can have, as the API spells them. */
export const ATTEMPT_OUTCOMES = ['delivered', 'retrying', 'dead', 'gone', 'disabled', 'cancelled'] as const;
export type AttemptOutcomeName = (typeof ATTEMPT_OUTCOMES)[number];

/** One line of the delivery log as both documents show it. */
export const webhookAttemptSchema = z.object({
  attemptId: z.string(),
  deliveryId: z.string().meta({ description: '`<eventId>.<webhookId>`: the event × webhook, stable across attempts' }),
  eventId: z.string().meta({ description: 'The event id: the `webhook-id` header of every attempt' }),
  eventType: z.string().meta({ example: 'message.received' }),
  accountId: z.string(),
  chatId: z.string().nullable(),
  attempt: z.number().int().meta({ description: '1 = the first try' }),
  outcome: z.enum([...ATTEMPT_OUTCOMES, 'unknown']).meta({
    description: 'delivered; retrying (waits for its next attempt); dead, gone or disabled (a dead letter); cancelled (the webhook was deleted); unknown (an outcome newer than this server)',
  }),
  statusCode: z.number().int().nullable().meta({ description: 'HTTP status; null when no response came' }),
  latencyMs: z.number().int(),
  error: z.string().nullable().meta({ example: 'timeout' }),
  attemptedAt: isoDate,
  nextAttemptAt: isoDate.nullable().meta({ description: 'retrying: when the next attempt may run' }),
});
export type WebhookAttemptBody = z.infer<typeof webhookAttemptSchema>;

/** A line of the delivery log in the API's shape. */
export function webhookAttemptBody(row: WebhookAttemptRow): WebhookAttemptBody {
  return {
    attemptId: row.attemptId,
    deliveryId: row.deliveryId,
    eventId: row.eventId,
    eventType: row.eventType,
    accountId: row.accountId,
    chatId: row.chatJid,
    attempt: row.attempt,
    outcome: outcomeName(row.outcome),
    statusCode: row.statusCode,
    latencyMs: row.latencyMs,
    error: row.error,
    attemptedAt: new Date(row.attemptedAt).toISOString(),
    nextAttemptAt: row.nextAttemptAt === null ? null : new Date(row.nextAttemptAt).toISOString(),
  };
}

/** An outcome as the API spells it (lower case). */
export function outcomeName(outcome: WebhookAttemptOutcome): AttemptOutcomeName | 'unknown' {
  switch (outcome) {
    case 'DELIVERED':
      return 'delivered';
    case 'RETRYING':
      return 'retrying';
    case 'DEAD':
      return 'dead';
    case 'GONE':
      return 'gone';
    case 'DISABLED':
      return 'disabled';
    case 'CANCELLED':
      return 'cancelled';
    case 'UNKNOWN':
      return 'unknown';
    default: {
      const unknown: never = outcome;
      throw new WaError('INTERNAL', `unknown attempt outcome ${String(unknown)}`);
    }
  }
}

/** Paging of the delivery log: `limit`, `offset`, or the `cursor` a previous page gave (it wins over offset). */
export const webhookLogPagingSchema = offsetPagingSchema.extend({
  cursor: z
    .string({ error: 'cursor must be the nextCursor of a previous page' })
    .regex(/^\d{1,10}$/, { error: 'cursor must be the nextCursor of a previous page' })
    .optional()
    .meta({ description: 'The nextCursor of the previous page (instead of offset)' }),
});

/** `GET .../attempts` query: paging, and optionally one event or one outcome. */
export const webhookAttemptsQuery = webhookLogPagingSchema.extend({
  eventId: z.string().min(1).max(128).optional().meta({ description: 'Only the attempts of this event' }),
  outcome: z
    .preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value), z.enum(ATTEMPT_OUTCOMES, { error: `outcome must be one of ${ATTEMPT_OUTCOMES.join(', ')}` }))
    .optional()
    .meta({ description: 'Only the attempts with this outcome' }),
});

/** The read models' page of a delivery-log query. */
export function webhookLogPage(query: { limit: number; offset: number; cursor?: string | undefined }): Page {
  return { limit: query.limit, offset: query.cursor === undefined ? query.offset : Number(query.cursor) };
}

/** The read models' filter of `GET .../attempts`. */
export function webhookAttemptsFilter(query: { eventId?: string | undefined; outcome?: AttemptOutcomeName | undefined }): { eventId?: string; outcome?: WebhookAttemptOutcome } {
  return {
    ...(query.eventId === undefined ? {} : { eventId: query.eventId }),
    ...(query.outcome === undefined ? {} : { outcome: query.outcome.toUpperCase() as WebhookAttemptOutcome }),
  };
}

/** A page of the delivery log: the lines under `name`, the total, and the cursor of the next page. */
export function webhookLogBody<K extends 'attempts' | 'deadLetters'>(name: K, page: Paged<WebhookAttemptRow>, asked: Page): { [P in K]: WebhookAttemptBody[] } & { total: number; nextCursor: string | null } {
  // The API's cursor is the next offset, whatever form the read models' cursor takes.
  const nextCursor = page.nextCursor === null || page.items.length === 0 ? null : String(asked.offset + page.items.length);
  return { [name]: page.items.map(webhookAttemptBody), total: page.total, nextCursor } as { [P in K]: WebhookAttemptBody[] } & { total: number; nextCursor: string | null };
}

/** The answer of `GET .../attempts`. */
export const webhookAttemptsSchema = z.object({
  attempts: z.array(webhookAttemptSchema).meta({ description: 'Newest first' }),
  total: z.number().int(),
  nextCursor: z.string().nullable().meta({ description: 'Pass as cursor for the next page; null on the last' }),
});

/** The answer of `GET .../dead-letters`. */
export const webhookDeadLettersSchema = z.object({
  deadLetters: z.array(webhookAttemptSchema).meta({ description: 'Per delivery its last attempt, when that one made it a dead letter; newest first' }),
  total: z.number().int(),
  nextCursor: z.string().nullable().meta({ description: 'Pass as cursor for the next page; null on the last' }),
});

const INSTANT_MESSAGE = 'must be an ISO 8601 time with its zone (2025-01-15T12:00:00Z) or epoch milliseconds';

function instantField(field: 'since' | 'until') {
  return z
    .union([z.number(), z.string()], { error: `${field} ${INSTANT_MESSAGE}` })
    .optional()
    .meta({ description: `${field === 'since' ? 'From' : 'Up to (excluding)'} this time: ISO 8601 or epoch milliseconds`, example: '2025-01-15T12:00:00Z' });
}

/** `POST .../redeliver` body: exactly one of `eventId`, `deadLetters: true` or `since` (with an optional `until`). */
export const redeliverBody = z.strictObject({
  eventId: z.string({ error: 'eventId must be an event id' }).min(1).max(128).optional().meta({ description: 'Redeliver this one event' }),
  deadLetters: booleanField('deadLetters must be true').optional().meta({ description: 'true: redeliver every dead letter' }),
  since: instantField('since'),
  until: instantField('until'),
});
export type RedeliverBody = z.infer<typeof redeliverBody>;

/** The answer of `POST .../redeliver` (202). */
export const redeliveredSchema = z.object({
  queued: z.number().int().meta({ description: 'Deliveries queued again' }),
  missing: z.number().int().meta({ description: 'Deliveries not queued: their event is no longer on its topic (past retention)' }),
});

/** The 202 body of a redelivery. */
export function redeliveredBody(outcome: RedeliveryOutcome): z.infer<typeof redeliveredSchema> {
  return { queued: outcome.queued, missing: outcome.missing };
}

// A time of day needs its zone: without one, Date.parse would read it in the server's zone.
const ISO_INSTANT = /^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d))?$/i;

/** A time field as epoch ms: a whole number of milliseconds (as a number or digits), or an ISO 8601 time. */
export function instantOf(value: number | string, field: string): number {
  const ms = typeof value === 'number' ? value : /^\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : ISO_INSTANT.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < 0) throw new WaError('INVALID_ARGUMENT', `${field} ${INSTANT_MESSAGE}`, { field });
  return ms;
}

/** Which deliveries a `POST .../redeliver` body asks for; a 400 naming the field for anything but exactly one form. */
export function redeliverySelection(body: RedeliverBody, now: number): RedeliverySelection {
  const given = (['eventId', 'deadLetters', 'since'] as const).filter((field) => body[field] !== undefined);
  if (body.until !== undefined && body.since === undefined) throw new WaError('INVALID_ARGUMENT', 'until goes with since', { field: 'until' });
  if (given.length === 0) throw new WaError('INVALID_ARGUMENT', 'give one of eventId, deadLetters: true or since', { field: 'body' });
  if (given.length > 1) throw new WaError('INVALID_ARGUMENT', `${given[1]} cannot be given with ${given[0]}: give exactly one of eventId, deadLetters or since`, { field: given[1] });
  if (body.eventId !== undefined) return { kind: 'event', eventId: body.eventId };
  if (body.deadLetters !== undefined) {
    if (!body.deadLetters) throw new WaError('INVALID_ARGUMENT', 'deadLetters must be true', { field: 'deadLetters' });
    return { kind: 'deadLetters' };
  }
  const since = instantOf(body.since!, 'since');
  if (since > now) throw new WaError('INVALID_ARGUMENT', 'since must not be in the future', { field: 'since' });
  const until = body.until === undefined ? null : instantOf(body.until, 'until');
  if (until !== null && until <= since) throw new WaError('INVALID_ARGUMENT', 'until must be later than since', { field: 'until' });
  return { kind: 'since', since, until };
}
