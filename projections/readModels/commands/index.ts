import type { ReadModelDefinition } from '../shared/index.js';
import { evolveCommands } from './evolveCommands.js';
import { COMMANDS_SCHEMA, COMMANDS_TABLES } from './commandsSchema.js';

/** The commands read model. */
export const commandsModel: ReadModelDefinition = { name: 'commands', tables: COMMANDS_TABLES, schema: COMMANDS_SCHEMA, evolve: evolveCommands };
export { evolveCommands };
export { toCommandRow } from './commandRows.js';
