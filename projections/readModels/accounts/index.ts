import type { ReadModelDefinition } from '../shared/index.js';
import { evolveAccounts } from './evolveAccounts.js';
import { ACCOUNTS_SCHEMA, ACCOUNTS_TABLES } from './accountsSchema.js';

/** The accounts read model. */
export const accountsModel: ReadModelDefinition = { name: 'accounts', tables: ACCOUNTS_TABLES, schema: ACCOUNTS_SCHEMA, evolve: evolveAccounts };
export { evolveAccounts };
export { accountStatusOf } from './evolveAccounts.js';
export { toAccountRow, toConnectionHistoryRow } from './accountRows.js';
