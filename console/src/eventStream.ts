// `GET /events` read with fetch() streaming: EventSource cannot send the API key header. The
// stream resumes after a drop, or after a pause, with Last-Event-ID, so nothing in between is
// lost (the API replays the gap).
import { errorOf, withQuery, type Api } from './api';

/** One event of the stream: the envelope fields and `data`, the payload. */
export interface LiveRecord {
  /** The stream position to resume after this event. */
  id: string | null;
  type: string;
  eventId: string;
  accountId: string;
  chatJid: string | null;
  sequence: number;
  occurredAt: number;
  recordedAt: number;
  /** Every field of the record: where it is in the log (`position`), the envelope and `data`. */
  record: Record<string, unknown>;
}

export type StreamState = { kind: 'connecting' } | { kind: 'live' } | { kind: 'paused' } | { kind: 'failed'; message: string };

/** One SSE frame: its fields, or the comment lines it held. */
export interface SseFrame {
  id: string | null;
  event: string | null;
  data: string | null;
  comments: string[];
}

/** Splits SSE text into complete frames; `rest` is the unfinished tail to prepend to the next chunk. */
export function parseSse(text: string): { frames: SseFrame[]; rest: string } {
  const frames: SseFrame[] = [];
  const normalised = text.replace(/\r\n?/g, '\n');
  const blocks = normalised.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const frame: SseFrame = { id: null, event: null, data: null, comments: [] };
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        frame.comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') frame.id = value;
      else if (field === 'event') frame.event = value;
      else if (field === 'data') frame.data = frame.data === null ? value : `${frame.data}\n${value}`;
    }
    frames.push(frame);
  }
  return { frames, rest };
}

/** The event a data frame carries, or null when it is not one. */
export function recordOf(frame: SseFrame): LiveRecord | null {
  if (frame.data === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(frame.data);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  return {
    id: frame.id,
    type: String(record['type'] ?? frame.event ?? 'unknown'),
    eventId: String(record['eventId'] ?? ''),
    accountId: String(record['accountId'] ?? ''),
    chatJid: typeof record['chatJid'] === 'string' ? record['chatJid'] : null,
    sequence: Number(record['sequence'] ?? 0),
    occurredAt: Number(record['occurredAt'] ?? 0),
    recordedAt: Number(record['recordedAt'] ?? 0),
    record,
  };
}

/** The payload of an event: `data`, with the Avro union's branch name taken off (`{ "wa.x.Y": {...} }` → `{...}`). */
export function payloadOf(record: LiveRecord): unknown {
  const data = record.record['data'];
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const keys = Object.keys(data);
    if (keys.length === 1 && keys[0]!.includes('.')) return (data as Record<string, unknown>)[keys[0]!];
  }
  return data ?? null;
}

/** The envelope of an event: every field but the payload. */
export function envelopeOf(record: LiveRecord): Record<string, unknown> {
  const { data: _data, ...envelope } = record.record;
  return envelope;
}

export interface StreamOptions {
  accountIds: readonly string[] | null;
  types: readonly string[] | null;
  /** Resume after this position (a previous event's id). */
  after: string | null;
  onEvent: (record: LiveRecord) => void;
  onState: (state: StreamState) => void;
}

const RECONNECT_MS = 2_000;

/**
 * Follows the live stream until `signal` aborts: reconnects after a drop from the last event
 * seen; an answer the API refuses (a bad filter, the key) ends it as failed.
 */
export async function followEvents(api: Api, options: StreamOptions, signal: AbortSignal): Promise<string | null> {
  let after = options.after;
  while (!signal.aborted) {
    options.onState({ kind: 'connecting' });
    try {
      const url = withQuery('/events', { accountId: options.accountIds?.join(','), types: options.types?.join(',') });
      const response = await fetch(url, { headers: api.headers(after ? { 'last-event-id': after } : {}), signal });
      if (!response.ok || !response.body) {
        const text = await response.text();
        let body: unknown = {};
        try {
          body = JSON.parse(text);
        } catch {
          body = {};
        }
        options.onState({ kind: 'failed', message: errorOf(response.status, body).message });
        return after;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const { frames, rest } = parseSse(buffer + value);
        buffer = rest;
        for (const frame of frames) {
          if (frame.comments.includes('connected')) options.onState({ kind: 'live' });
          const record = recordOf(frame);
          if (record === null) continue;
          if (record.id) after = record.id;
          options.onEvent(record);
        }
      }
    } catch (error) {
      if (signal.aborted) break;
      options.onState({ kind: 'failed', message: `the stream dropped (${error instanceof Error ? error.message : String(error)}); reconnecting` });
    }
    if (signal.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
  return after;
}
