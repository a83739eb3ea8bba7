import { z } from 'zod';
import { WaError } from '../../shared/index.js';
import type { LiveEvent, LiveEvents } from '../ApiServices.js';
import { defineRoute, type Principal } from '../http/route.js';
import { parsePositions } from './positions.js';
import { SLOW_SUBSCRIBER } from './Subscriber.js';

const ACCOUNT_LIST = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}(,[A-Za-z0-9][A-Za-z0-9_-]{0,63})*$/;
const TYPE_LIST = /^([a-z_]+(\.[a-z_]+)*(\.\*)?|\*)(,([a-z_]+(\.[a-z_]+)*(\.\*)?|\*))*$/;

const eventsQuery = z.object({
  accountId: z
    .string()
    .regex(ACCOUNT_LIST, { error: 'accountId must be one or more account ids, comma-separated' })
    .optional()
    .describe('Only events of these accounts (comma-separated). Required with an account key (its own account).'),
  types: z
    .string()
    .regex(TYPE_LIST, { error: 'types must be event types, comma-separated (e.g. message.received,message.*)' })
    .optional()
    .describe('Only these event types (comma-separated); `message.*` matches every message type.'),
});

/** How the stream treats its client (keep-alive comments are the HTTP core's). */
export interface StreamOptions {
  /** A write the client does not take within this long ends the stream (a stalled client). */
  writeTimeoutMs: number;
}

const DEFAULT_STREAM: StreamOptions = { writeTimeoutMs: 30_000 };

/**
 * `GET /events`: Server-Sent Events of wa.conversation.v1, wa.account.v1 and wa.presence.v1.
 * Each event's `id` is the stream's position list, so a reconnecting client's `Last-Event-ID`
 * resumes it without gap or duplicate. Any key may call it (`key` access); the handler scopes
 * it: the admin key may stream every account, an account key only its own (`accountId`
 * required), as the account comes from the query.
 */
export const eventsRoute = defineRoute({
  method: 'GET',
  path: '/events',
  surface: 'system',
  operationId: 'streamEvents',
  summary: 'Stream live events (Server-Sent Events), resumable with Last-Event-ID',
  tags: ['Events'],
  access: 'key',
  query: eventsQuery,
  responses: {
    200: { description: 'An event stream: `id` (resume position), `event` (type), `data` (the event as JSON)', contentType: 'text/event-stream' },
    400: { description: 'Invalid accountId, types or Last-Event-ID' },
    401: { description: 'No or unknown API key' },
    403: { description: 'The key may not stream these accounts' },
  },
  handler: async (request, services) => {
    const accountIds = request.query.accountId?.split(',') ?? null;
    const types = request.query.types?.split(',') ?? null;
    authorizeStream(request.principal, accountIds);
    const after = request.headers['last-event-id']?.trim() || null;
    if (after !== null) parsePositions(after);
    return {
      kind: 'event-stream',
      run: (write, signal) => streamEvents(services.events, { accountIds, types, after }, write, signal),
    };
  },
});

/** Who may stream what: the admin everything, an account key its own account only. */
export function authorizeStream(principal: Principal, accountIds: readonly string[] | null): void {
  switch (principal.kind) {
    case 'admin':
      return;
    case 'account':
      if (accountIds === null) throw new WaError('FORBIDDEN', 'an account key streams its own account only: give accountId', { field: 'accountId' });
      if (accountIds.some((id) => id !== principal.accountId)) throw new WaError('FORBIDDEN', 'this key may not stream other accounts', { field: 'accountId' });
      return;
    case 'anonymous':
      throw new WaError('UNAUTHORIZED', 'an API key is required (X-API-Key or Authorization: Bearer)');
    default: {
      const never: never = principal;
      throw new WaError('INTERNAL', `unknown principal ${String(never)}`);
    }
  }
}

/** One event in SSE framing: `id` the position list to resume after it, `event` its type, `data` the event as JSON. */
export function sseEvent(event: LiveEvent): string {
  // Record contents never hold a line break in `id` or `event`, but an SSE frame must not either.
  const line = (value: string): string => value.replace(/[\r\n]/g, '');
  const data = JSON.stringify({ position: event.position, ...event.envelope });
  return `id: ${line(event.cursor ?? event.position)}\nevent: ${line(event.type)}\ndata: ${data}\n\n`;
}

/** Writes a filtered live stream as SSE until the client goes away; a dropped stream ends with a comment saying why. */
export async function streamEvents(
  events: LiveEvents,
  filter: { accountIds: string[] | null; types: string[] | null; after: string | null },
  write: (chunk: string) => Promise<void>,
  signal: AbortSignal,
  options: StreamOptions = DEFAULT_STREAM,
): Promise<void> {
  const send = (chunk: string): Promise<void> => withTimeout(write(chunk), options.writeTimeoutMs);
  try {
    // `connected` once subscribed: a client may act on it (send, say) and see the events that follow.
    const stream = await events.subscribe(filter, signal);
    await send('retry: 2000\n: connected\n\n');
    for await (const event of stream) await send(sseEvent(event));
  } catch (error) {
    if (signal.aborted) return;
    const slow = error instanceof WaError && error.details?.['reason'] === SLOW_SUBSCRIBER;
    const reason = slow ? (error as WaError).message : 'the stream failed; reconnect with Last-Event-ID to resume';
    await send(`: ${reason}\n\n`).catch(() => undefined);
  }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new WaError('TIMEOUT', `the client took no data for ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
