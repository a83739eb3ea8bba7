import type { ProjectedEvent } from '../events/index.js';
import type { Migration } from '../store/index.js';
import { accountsModel } from './accounts/index.js';
import { chatsModel } from './chats/index.js';
import { commandsModel } from './commands/index.js';
import { contactsModel } from './contacts/index.js';
import { groupsModel } from './groups/index.js';
import { labelsModel } from './labels/index.js';
import { messagesModel } from './messages/index.js';
import { newslettersModel } from './newsletters/index.js';
import type { ReadModelDefinition, Statement } from './shared/index.js';
import { storiesModel } from './stories/index.js';
import { webhooksModel } from './webhooks/index.js';

// The read models of schema version 1; their SQL is that released step's and never changes.
const FIRST_MODELS: readonly ReadModelDefinition[] = [
  accountsModel,
  messagesModel,
  chatsModel,
  storiesModel,
  contactsModel,
  groupsModel,
  labelsModel,
  newslettersModel,
  commandsModel,
];

/**
 * Every read model, in the order their statements run for one event: accounts first (groups
 * and newsletters look up the account's own JIDs), messages before chats (a chat deletion
 * keeps the chat when newer messages survive it).
 */
export const READ_MODELS: readonly ReadModelDefinition[] = [...FIRST_MODELS, webhooksModel];

/** The statements of every read model for one event. */
export function evolveReadModels(event: ProjectedEvent, models: readonly ReadModelDefinition[] = READ_MODELS): Statement[] {
  return models.flatMap((model) => model.evolve(event));
}

/** Consumer positions and events set aside, in the same schema as the read models they belong to. */
export const PROJECTION_SCHEMA = `
CREATE TABLE projection_positions (
  topic text NOT NULL,
  partition integer NOT NULL,
  next_offset bigint NOT NULL,
  applied_up_to bigint,
  updated_at bigint NOT NULL,
  PRIMARY KEY (topic, partition)
);
CREATE TABLE projection_errors (
  topic text NOT NULL,
  partition integer NOT NULL,
  record_offset bigint NOT NULL,
  event_id text,
  event_type text,
  error text NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (topic, partition, record_offset)
);
`;

/** The read-model schema, step by step; a released step is never edited, a change is a new step. */
export const READ_MODEL_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'read models and projection positions', sql: [PROJECTION_SCHEMA, ...FIRST_MODELS.map((model) => model.schema)].join('\n') },
  { version: 2, name: 'webhook delivery log', sql: webhooksModel.schema },
];

/** Every table of the read models (and the projection's own), for snapshots and rebuilds. */
export const READ_MODEL_TABLES: readonly string[] = [...READ_MODELS.flatMap((model) => model.tables), 'projection_positions', 'projection_errors'];
