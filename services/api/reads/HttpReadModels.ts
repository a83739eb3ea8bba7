import type { ReadModels } from '../../../projections/readModels/index.js';
import { READ_MODELS_PATH, type ReadModelMethod } from '../../../projections/readModels/index.js';
import { WaError, type WaErrorCode } from '../../shared/index.js';

type Query<M extends ReadModelMethod> = ReadModels[M];

/**
 * ReadModels served by the projector process over HTTP: the embedded PGlite store can be opened
 * by one process only, so API processes ask the projector that owns it.
 */
export class HttpReadModels implements ReadModels {
  constructor(private readonly options: { baseUrl: string; timeoutMs?: number; fetch?: typeof globalThis.fetch }) {}

  private async call<M extends ReadModelMethod>(method: M, args: Parameters<Query<M>>): Promise<Awaited<ReturnType<Query<M>>>> {
    const fetchImpl = this.options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetchImpl(`${this.options.baseUrl}${READ_MODELS_PATH}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new WaError('UNAVAILABLE', 'the read models (projector) cannot be reached', { cause: error });
    }
    const body = (await response.json().catch(() => null)) as { result?: unknown; error?: { code: WaErrorCode; message: string; field: string | null } } | null;
    if (response.ok && body && 'result' in body) return body.result as Awaited<ReturnType<Query<M>>>;
    const error = body?.error;
    throw new WaError(response.status >= 500 || !error ? 'UNAVAILABLE' : error.code, error?.message ?? `the projector answered ${response.status}`, error?.field ? { field: error.field } : {});
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
  lag: ReadModels['lag'] = (...args) => this.call('lag', args);
  ping: ReadModels['ping'] = (...args) => this.call('ping', args);
}
