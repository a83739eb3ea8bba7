import type { WaError } from '../../services/shared/index.js';
import type { BatchOutcome, PartitionBatch } from './applyBatch.js';
import type { StoredPosition } from './positions.js';

/** Partitions of one topic. */
export interface TopicPartitions {
  topic: string;
  partitions: readonly number[];
}

/**
 * Where a ProjectionRunner applies the log: it keeps its own positions, so a redelivered batch
 * changes nothing, and it says which of its failures are worth retrying.
 */
export interface ProjectionTarget {
  /**
   * The positions stored for newly assigned partitions (missing ones start at the log's start).
   * Called on every assignment before anything is fetched: the place to repair what a crash left.
   */
  readPositions(assigned: readonly TopicPartitions[]): Promise<StoredPosition[]>;
  /** Applies one partition batch, skipping what an earlier delivery already applied. */
  apply(batch: PartitionBatch, options: { isolate: boolean }): Promise<BatchOutcome>;
  /** Moves a partition's stored position from `firstOffset` to `nextOffset` when nothing lies between (a fetch of transaction markers only). */
  passControlRecords(topic: string, partition: number, firstOffset: number, nextOffset: number): Promise<void>;
  /** True when the store refused a value: applying the batch event by event finds which. */
  isDataError(error: unknown): boolean;
  /** A store failure as a WaError, retriable when the same work can succeed later. */
  failure(error: unknown, action: string): WaError;
}
