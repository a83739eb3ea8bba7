import { WaError } from '../../shared/index.js';

/**
 * Positions in the log, per topic-partition: the offset of the last record a stream has
 * delivered (or passed over) in each. Keys are `<topic>:<partition>`; -1 means "before the
 * first record". The text form `topic:partition:offset[,…]` is the SSE `id` and therefore
 * what a reconnecting client sends back as `Last-Event-ID`.
 */
export type Positions = Map<string, bigint>;

const ENTRY = /^([A-Za-z0-9._-]{1,249}):(\d{1,5}):(-1|\d{1,19})$/;
/** A Last-Event-ID listing more than this is not one of ours. */
const MAX_ENTRIES = 4_096;

/** The key of a topic-partition in a position list. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** The topic and partition a position-list key names. */
export function splitPartitionKey(key: string): { topic: string; partition: number } {
  const at = key.lastIndexOf(':');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

/** Parses `topic:partition:offset[,…]`; throws 400 naming `field` when it is not one. */
export function parsePositions(text: string, field = 'Last-Event-ID'): Positions {
  const positions: Positions = new Map();
  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length > MAX_ENTRIES) throw new WaError('INVALID_ARGUMENT', `${field} lists more than ${MAX_ENTRIES} positions`, { field });
  for (const entry of entries) {
    const match = ENTRY.exec(entry);
    if (!match) throw new WaError('INVALID_ARGUMENT', `${field} must be a list of topic:partition:offset`, { field });
    const key = partitionKey(match[1]!, Number(match[2]));
    const offset = BigInt(match[3]!);
    const known = positions.get(key);
    // A list naming a partition twice means the furthest of the two.
    if (known === undefined || offset > known) positions.set(key, offset);
  }
  return positions;
}

/** The text form of a position list (entries in the map's order). */
export function formatPositions(positions: ReadonlyMap<string, bigint>): string {
  return [...positions].map(([key, offset]) => `${key}:${offset}`).join(',');
}
