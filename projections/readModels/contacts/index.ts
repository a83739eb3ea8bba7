import type { ReadModelDefinition } from '../shared/index.js';
import { evolveContacts } from './evolveContacts.js';
import { CONTACTS_SCHEMA, CONTACTS_TABLES } from './contactsSchema.js';

/** The contacts read model. */
export const contactsModel: ReadModelDefinition = { name: 'contacts', tables: CONTACTS_TABLES, schema: CONTACTS_SCHEMA, evolve: evolveContacts };
export { evolveContacts };
export { toContactRow } from './contactRows.js';
