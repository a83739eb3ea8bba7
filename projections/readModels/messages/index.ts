import type { ReadModelDefinition } from '../shared/index.js';
import { evolveMessages } from './evolveMessages.js';
import { MESSAGES_SCHEMA, MESSAGES_TABLES } from './messagesSchema.js';

/** The messages read model. */
export const messagesModel: ReadModelDefinition = { name: 'messages', tables: MESSAGES_TABLES, schema: MESSAGES_SCHEMA, evolve: evolveMessages };
export { evolveMessages };
export { isStory } from './evolveMessages.js';
export { mediaInfoOf, messageTypeOf, READ_RANK, statusOfRank, statusRank, summarizeContent } from './messageContent.js';
export { mergedMedia, toMediaInfo, toMessageRow } from './messageRows.js';
