import type { PartitionRange } from '../../shared/kafka/index.js';

/** Where an event sits: its topic, partition and offset. */
export interface EventCoordinates {
  topic: string;
  partition: number;
  offset: bigint;
}

/** The first and the next-to-be-written offset of a partition (its low and high watermarks). */
export interface PartitionBounds {
  low: bigint;
  high: bigint;
}

/** The key of a topic-partition in maps. */
export function partitionOf(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/**
 * The offset ranges that cover a set of events: one range per partition, from its lowest to
 * just past its highest wanted offset (a reader takes one range per partition). Offsets the
 * partition no longer holds (below `low`, past retention) or never held (at or past `high`)
 * are left out and returned as `missing`, since reading them would wait for nothing.
 */
export function offsetRanges(
  events: readonly EventCoordinates[],
  bounds: ReadonlyMap<string, PartitionBounds>,
): { ranges: PartitionRange[]; wanted: Set<string>; missing: EventCoordinates[] } {
  const spans = new Map<string, PartitionRange>();
  const wanted = new Set<string>();
  const missing: EventCoordinates[] = [];
  for (const event of events) {
    const key = partitionOf(event.topic, event.partition);
    const bound = bounds.get(key);
    if (bound === undefined || event.offset < bound.low || event.offset >= bound.high) {
      missing.push(event);
      continue;
    }
    const position = `${key}:${event.offset}`;
    if (wanted.has(position)) continue;
    wanted.add(position);
    const span = spans.get(key);
    if (span === undefined) spans.set(key, { topic: event.topic, partition: event.partition, from: event.offset, to: event.offset + 1n });
    else {
      if (event.offset < span.from) span.from = event.offset;
      if (event.offset + 1n > span.to) span.to = event.offset + 1n;
    }
  }
  return { ranges: [...spans.values()], wanted, missing };
}
