import { createHash } from 'node:crypto';

/** What is known of a command that already has a result. */
export interface KnownResult {
  /** Offset of the command record that produced the result. */
  offset: string;
  /** The result record's value, or null when it fell out of the cache (read it back from the topic). */
  value: Buffer | null;
}

export interface CommandResultIndexOptions {
  /** Results whose values are kept in memory (the newest); older ones keep only a fingerprint. */
  cacheSize?: number;
  /** How long the result topic keeps results: fingerprints older than that are dropped (0 or less: kept). */
  retentionMs: number;
  /** Fingerprints are dropped a bucket at a time. */
  buckets?: number;
}

interface Bucket {
  start: number;
  /** Fingerprint of the command id → offset of its command record. */
  entries: Map<number, number>;
}

/** A 48-bit fingerprint of a command id: a safe integer, cheap to hold, collisions astronomically rare. */
function fingerprint(commandId: string): number {
  return createHash('sha256').update(commandId).digest().readUIntBE(0, 6);
}

/**
 * The first settling result (settlesCommand) of every command within the result topic's
 * retention, bounded in memory: the newest results keep their value, every other one only a
 * 48-bit fingerprint and its command offset (~50 bytes each), so a partition with millions of
 * commands a week stays small.
 * A duplicate whose value was evicted is answered by reading its result back from the topic.
 */
export class CommandResultIndex {
  private readonly cache = new Map<string, KnownResult>();
  private readonly buckets: Bucket[] = [];
  private readonly cacheSize: number;
  private readonly bucketMs: number;

  constructor(private readonly options: CommandResultIndexOptions) {
    this.cacheSize = options.cacheSize ?? 10_000;
    const retentionMs = options.retentionMs > 0 ? options.retentionMs : 7 * 86_400_000;
    this.bucketMs = Math.max(1, Math.ceil(retentionMs / (options.buckets ?? 7)));
  }

  /** Records a command's first result (later ones for the same id are ignored); `at` is when it was written. */
  remember(commandId: string, offset: string, value: Buffer, at: number): void {
    const print = fingerprint(commandId);
    if (this.cache.has(commandId) || this.offsetOf(print) !== undefined) return;
    this.cache.set(commandId, { offset, value });
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    this.bucketFor(at).entries.set(print, Number(offset));
  }

  /** The command's first result as far as known, or null when the command has none (within retention). */
  find(commandId: string): KnownResult | null {
    const cached = this.cache.get(commandId);
    if (cached) return cached;
    const offset = this.offsetOf(fingerprint(commandId));
    return offset === undefined ? null : { offset: String(offset), value: null };
  }

  private offsetOf(print: number): number | undefined {
    for (let i = this.buckets.length - 1; i >= 0; i -= 1) {
      const offset = this.buckets[i]!.entries.get(print);
      if (offset !== undefined) return offset;
    }
    return undefined;
  }

  /** Forgets fingerprints older than the retention (their results are gone from the topic too). */
  expire(now: number): void {
    if (this.options.retentionMs <= 0) return;
    const oldest = now - this.options.retentionMs;
    while (this.buckets.length > 0 && this.buckets[0]!.start + this.bucketMs <= oldest) this.buckets.shift();
  }

  /** Commands remembered (fingerprints). */
  get size(): number {
    return this.buckets.reduce((sum, b) => sum + b.entries.size, 0);
  }

  private bucketFor(at: number): Bucket {
    const start = Math.floor(at / this.bucketMs) * this.bucketMs;
    const last = this.buckets.at(-1);
    if (last && last.start >= start) return last;
    const bucket = { start, entries: new Map<number, number>() };
    this.buckets.push(bucket);
    return bucket;
  }
}
