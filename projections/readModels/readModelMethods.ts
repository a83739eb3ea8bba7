import type { ReadModels } from './ReadModels.js';

/** Every query of ReadModels: what the projector serves over HTTP to API processes when the store is embedded. */
export const READ_MODEL_METHODS = [
  'accounts',
  'account',
  'connectionHistory',
  'chats',
  'chat',
  'messagesOfChat',
  'messagesOfAccount',
  'message',
  'contacts',
  'blocked',
  'groups',
  'group',
  'labels',
  'stories',
  'newsletters',
  'communities',
  'command',
  'webhookAttempts',
  'webhookDeadLetters',
  'lag',
  'ping',
] as const satisfies readonly (keyof ReadModels)[];

export type ReadModelMethod = (typeof READ_MODEL_METHODS)[number];

/** True when `name` is one of the ReadModels queries. */
export function isReadModelMethod(name: string): name is ReadModelMethod {
  return (READ_MODEL_METHODS as readonly string[]).includes(name);
}

/** The path a query is served at: `POST /reads/<method>` with the arguments as a JSON array. */
export const READ_MODELS_PATH = '/reads/';
