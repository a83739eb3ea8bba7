import type { ReadModels } from '../../../projections/readModels/index.js';
import { READ_MODELS_PATH, type ReadModelMethod } from '../../../projections/readModels/index.js';
import { callMethod } from '../../shared/rpc/index.js';

type Query<M extends ReadModelMethod> = ReadModels[M];

/**
 * ReadModels served by the projector process over HTTP: the embedded PGlite store can be opened
 * by one process only, so API processes ask the projector that owns it.
 */
export class HttpReadModels implements ReadModels {
  constructor(private readonly options: { baseUrl: string; timeoutMs?: number; fetch?: typeof globalThis.fetch }) {}

  private call<M extends ReadModelMethod>(method: M, args: Parameters<Query<M>>): Promise<Awaited<ReturnType<Query<M>>>> {
    const { baseUrl, timeoutMs, fetch } = this.options;
    return callMethod(baseUrl, READ_MODELS_PATH, method, args, { what: 'the read models (projector)', timeoutMs, fetch });
  }

  accounts: ReadModels['accounts'] = (...args) => this.call('accounts', args);
  account: ReadModels['account'] = (...args) => this.call('account', args);
  connectionHistory: ReadModels['connectionHistory'] = (...args) => this.call('connectionHistory', args);
  chats: ReadModels['chats'] = (...args) => this.call('chats', args);
  chat: ReadModels['chat'] = (...args) => this.call('chat', args);
  messagesOfChat: ReadModels['messagesOfChat'] = (...args) => this.call('messagesOfChat', args);
  messagesOfAccount: ReadModels['messagesOfAccount'] = (...args) => this.call('messagesOfAccount', args);
  message: ReadModels['message'] = (...args) => this.call('message', args);
  contacts: ReadModels['contacts'] = (...args) => this.call('contacts', args);
  blocked: ReadModels['blocked'] = (...args) => this.call('blocked', args);
  groups: ReadModels['groups'] = (...args) => this.call('groups', args);
  group: ReadModels['group'] = (...args) => this.call('group', args);
  labels: ReadModels['labels'] = (...args) => this.call('labels', args);
  stories: ReadModels['stories'] = (...args) => this.call('stories', args);
  newsletters: ReadModels['newsletters'] = (...args) => this.call('newsletters', args);
  communities: ReadModels['communities'] = (...args) => this.call('communities', args);
  command: ReadModels['command'] = (...args) => this.call('command', args);
  webhookAttempts: ReadModels['webhookAttempts'] = (...args) => this.call('webhookAttempts', args);
  webhookDeadLetters: ReadModels['webhookDeadLetters'] = (...args) => this.call('webhookDeadLetters', args);
  lag: ReadModels['lag'] = (...args) => this.call('lag', args);
  ping: ReadModels['ping'] = (...args) => this.call('ping', args);
}
