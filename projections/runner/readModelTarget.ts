import type { AvroCodec } from '../../schemas/index.js';
import type { Logger } from '../../services/shared/index.js';
import type { DeadLetterWriter } from '../../services/shared/kafka/index.js';
import type { ProjectedEvent } from '../events/index.js';
import { READ_MODELS } from '../readModels/readModelCatalog.js';
import type { ReadModelDefinition } from '../readModels/shared/index.js';
import { isDataError, sqlError, type SqlStore } from '../store/index.js';
import { applyBatch } from './applyBatch.js';
import { readPositions } from './positions.js';
import type { ProjectionTarget } from './ProjectionTarget.js';

export interface ReadModelTargetOptions {
  store: SqlStore;
  codec: AvroCodec;
  logger: Logger;
  models?: readonly ReadModelDefinition[];
  now?: () => number;
  /** Fault injection for tests: called in the transaction after each applied event; a throw aborts the batch. */
  afterEvent?: (applied: number, event: ProjectedEvent) => void | Promise<void>;
  /** Where records set aside also go, with their bytes, before their batch commits. */
  deadLetters?: DeadLetterWriter;
}

/** The read models in a SQL store: each batch and its position in one transaction. */
export function readModelTarget(options: ReadModelTargetOptions): ProjectionTarget {
  const { store, codec, logger } = options;
  const now = options.now ?? Date.now;
  return {
    readPositions: (assigned) => readPositions(store, assigned.map((entry) => entry.topic)),
    apply: (batch, { isolate }) =>
      applyBatch(batch, {
        store,
        codec,
        models: options.models ?? READ_MODELS,
        logger: logger.child({ topic: batch.topic, partition: batch.partition }),
        now,
        isolate,
        ...(options.afterEvent ? { afterEvent: options.afterEvent } : {}),
        ...(options.deadLetters ? { deadLetters: options.deadLetters } : {}),
      }),
    passControlRecords: async (topic, partition, firstOffset, nextOffset) => {
      await store.query(
        `UPDATE projection_positions SET next_offset = $4, updated_at = $5
         WHERE topic = $1 AND partition = $2 AND next_offset >= $3 AND next_offset < $4`,
        [topic, partition, firstOffset, nextOffset, now()],
      );
    },
    isDataError,
    failure: sqlError,
  };
}
