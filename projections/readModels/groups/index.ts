import type { ReadModelDefinition } from '../shared/index.js';
import { evolveGroups } from './evolveGroups.js';
import { GROUPS_SCHEMA, GROUPS_TABLES } from './groupsSchema.js';

/** The groups read model. */
export const groupsModel: ReadModelDefinition = { name: 'groups', tables: GROUPS_TABLES, schema: GROUPS_SCHEMA, evolve: evolveGroups };
export { evolveGroups };
export { groupRoleOf } from './evolveGroups.js';
export { toGroupRow, toParticipantRow } from './groupRows.js';
