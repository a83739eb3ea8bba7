import type { ReadModelDefinition } from '../shared/index.js';
import { evolveChats } from './evolveChats.js';
import { CHATS_SCHEMA, CHATS_TABLES } from './chatsSchema.js';

/** The chats read model. */
export const chatsModel: ReadModelDefinition = { name: 'chats', tables: CHATS_TABLES, schema: CHATS_SCHEMA, evolve: evolveChats };
export { evolveChats };
export { toChatRow } from './chatRows.js';
