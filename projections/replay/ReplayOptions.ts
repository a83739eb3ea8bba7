import type { Kafka } from 'kafkajs';
import type { AvroCodec } from '../../schemas/index.js';
import type { Logger } from '../../services/shared/index.js';
import type { ProjectorTopics } from '../runner/projectorTopics.js';
import type { SqlStore } from '../store/index.js';

/** Where a rebuild stands. */
export interface ReplayProgress {
  phase: 'rebuilding' | 'swapping' | 'done';
  /** Records applied (or skipped as already applied) so far. */
  done: number;
  /** Records to apply: those on the topics when the rebuild started (one model: up to the live projection's positions). */
  total: number;
  ratePerSecond: number;
  /** Time left at the current rate; null before there is a rate. */
  etaMs: number | null;
}

export interface ReplayOptions {
  kafka: Kafka;
  topics: ProjectorTopics;
  codec: AvroCodec;
  logger: Logger;
  /**
   * Opens the store with its search path on `schema` (PGlite: the projector must be stopped,
   * its lock file says so; PostgreSQL: the live projector keeps running).
   */
  openStore(schema: string): Promise<SqlStore>;
  /** The schema the live read models are in (default `read_models`). */
  liveSchema?: string;
  onProgress?: (progress: ReplayProgress) => void;
  progressIntervalMs?: number;
  partitionsConcurrently?: number;
  now?: () => number;
}

export interface ReplayResult {
  events: number;
  durationMs: number;
  /** The read models rebuilt and swapped in, in catalog order. */
  models: readonly string[];
}

/** Reports progress: the rate since `started` and the time left at that rate. */
export function progressMeter(now: () => number, started: number, onProgress: ((progress: ReplayProgress) => void) | undefined): (phase: ReplayProgress['phase'], done: number, total: number) => void {
  return (phase, done, total) => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const ratePerSecond = done / seconds;
    onProgress?.({ phase, done, total, ratePerSecond, etaMs: ratePerSecond > 0 ? (Math.max(total - done, 0) / ratePerSecond) * 1000 : null });
  };
}
