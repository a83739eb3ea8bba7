import type { ReadModelDefinition } from '../shared/index.js';
import { evolveLabels } from './evolveLabels.js';
import { LABELS_SCHEMA, LABELS_TABLES } from './labelsSchema.js';

/** The labels read model. */
export const labelsModel: ReadModelDefinition = { name: 'labels', tables: LABELS_TABLES, schema: LABELS_SCHEMA, evolve: evolveLabels };
export { evolveLabels };
export { toLabelRow } from './labelRows.js';
