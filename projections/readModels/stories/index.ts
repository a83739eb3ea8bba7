import type { ReadModelDefinition } from '../shared/index.js';
import { evolveStories } from './evolveStories.js';
import { STORIES_SCHEMA, STORIES_TABLES } from './storiesSchema.js';

/** The stories read model. */
export const storiesModel: ReadModelDefinition = { name: 'stories', tables: STORIES_TABLES, schema: STORIES_SCHEMA, evolve: evolveStories };
export { evolveStories };
export { toStoryRow } from './storyRows.js';
