import type { ReadModelDefinition } from '../shared/index.js';
import { evolveNewsletters } from './evolveNewsletters.js';
import { NEWSLETTERS_SCHEMA, NEWSLETTERS_TABLES } from './newslettersSchema.js';

/** The newsletters read model. */
export const newslettersModel: ReadModelDefinition = { name: 'newsletters', tables: NEWSLETTERS_TABLES, schema: NEWSLETTERS_SCHEMA, evolve: evolveNewsletters };
export { evolveNewsletters };
export { toNewsletterRow } from './newsletterRows.js';
