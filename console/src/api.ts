// The console's client of the API: every call sends the key from the session, reads both
// envelopes (WILDCAT `{ ok }`, WHAPI `{ success, data }`) and waits out a 202 by polling
// /commands/{id}, so views deal in plain values and one error type.

/** A call the API refused or could not answer: its status, code and the field it named. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

export type ChannelStatus = 'connected' | 'disconnected' | 'connecting' | 'qr';

/** `GET /channels` row. */
export interface Channel {
  id: string;
  name: string | null;
  status: ChannelStatus;
  phone: string | null;
  createdAt: string;
}

/** `GET /channels/:id/chats` row. */
export interface Chat {
  id: string;
  type: string;
  name: string | null;
  unreadCount: number;
  lastMessageAt: number | null;
  archived: boolean;
  pinned: boolean;
}

/** `GET /channels/:id/chats/:chatId/messages` row. */
export interface Message {
  id: string;
  chatId: string;
  from: string;
  fromMe: boolean;
  type: string;
  timestamp: number;
  status: string | null;
  text: string | null;
  caption: string | null;
  media: { mediaId: string | null; mimetype: string | null; fileName: string | null; size: number | null; state: string } | null;
  deleted: boolean;
}

/** `GET /webhooks` row. */
export interface Webhook {
  id: string;
  scope: 'GLOBAL' | 'ACCOUNT';
  accountId: string | null;
  url: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
}

/** One delivery attempt of a webhook (also the dead letters' rows). */
export interface Attempt {
  attemptId: string;
  eventId: string;
  eventType: string;
  accountId: string;
  attempt: number;
  outcome: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  attemptedAt: string;
}

export interface Volume {
  total: number;
  sent: number;
  received: number;
}
export interface Overview {
  totalMessages: number;
  sentMessages: number;
  receivedMessages: number;
  todayMessages: number;
}
export type DailyVolume = Volume & { date: string };
export type HourlyVolume = Volume & { hour: number };
export type WeekdayVolume = Volume & { weekday: number; name: string };
export interface ChannelTotals {
  channelId: string;
  name: string | null;
  today: number;
  week: number;
  total: number;
}

type Query = Readonly<Record<string, string | number | undefined | null>>;

interface CallOptions {
  query?: Query;
  json?: unknown;
  form?: FormData;
  /** A command: sent with an Idempotency-Key, and a 202 is polled to its end. */
  command?: boolean;
  signal?: AbortSignal;
}

type Body = Record<string, unknown>;

const COMMAND_POLL_MS = 500;
const COMMAND_WAIT_MS = 120_000;

/** A URL path with its query, empty values left out. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** The message of an error body in either envelope. */
export function errorOf(status: number, body: unknown): ApiError {
  const record = (body ?? {}) as Body;
  const error = record['error'];
  if (typeof error === 'string') return new ApiError(error, status, str(record['code']), str(record['field']));
  if (error && typeof error === 'object') {
    const inner = error as Body;
    return new ApiError(str(inner['message']) ?? `HTTP ${status}`, status, str(inner['code']), str(inner['field']));
  }
  return new ApiError(status === 401 ? 'The API key was not accepted' : `HTTP ${status}`, status);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

const enc = encodeURIComponent;

/** The API, called with one key. */
export class Api {
  constructor(readonly key: string) {}

  /** Headers of every call: the key, and the content type when JSON. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { 'x-api-key': this.key, ...extra };
  }

  /** Calls a route; resolves with the parsed body of a 2xx (a 202 polled to its end when a command). */
  async call(method: string, path: string, options: CallOptions = {}): Promise<Body> {
    const headers = this.headers();
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) body = options.form;
    if (options.command) headers['idempotency-key'] = crypto.randomUUID();
    const response = await fetch(withQuery(path, options.query), { method, headers, body, signal: options.signal });
    const parsed = await parseBody(response);
    if (!response.ok) throw errorOf(response.status, parsed);
    if (response.status === 202 && options.command && typeof parsed['commandId'] === 'string') return this.awaitCommand(parsed['commandId'], options.signal);
    return parsed;
  }

  /** The `data` of a WHAPI answer. */
  async data<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    return (await this.call(method, path, options))['data'] as T;
  }

  private async awaitCommand(commandId: string, signal: AbortSignal | undefined): Promise<Body> {
    const deadline = Date.now() + COMMAND_WAIT_MS;
    for (;;) {
      const response = await fetch(`/commands/${enc(commandId)}`, { headers: this.headers(), signal });
      const parsed = await parseBody(response);
      if (!response.ok) throw errorOf(response.status, parsed);
      const result = (parsed['data'] ?? {}) as Body;
      if (response.status === 200) {
        if (result['status'] === 'succeeded') return { commandId, ...result };
        const error = (result['error'] ?? {}) as Body;
        throw new ApiError(str(error['message']) ?? `the command ${String(result['status'])}`, 409, str(error['code']), str(error['field']));
      }
      if (Date.now() > deadline) throw new ApiError('the command is still running; look again later', 202);
      await new Promise((resolve) => setTimeout(resolve, COMMAND_POLL_MS));
    }
  }

  // Accounts (the WHAPI channel view carries the phone and the QR state).
  channels = (): Promise<Channel[]> => this.data('GET', '/channels');
  channel = (id: string): Promise<Channel> => this.data('GET', `/channels/${enc(id)}`);
  createAccount = (id: string, name: string): Promise<Body> => this.call('POST', '/accounts', { json: name ? { id, name } : { id }, command: true });
  connect = async (id: string): Promise<{ status: ChannelStatus; qr?: string }> => fieldsOf(await this.call('POST', `/channels/${enc(id)}/connect`, { command: true }));
  pairingCode = async (id: string, phoneNumber: string): Promise<{ pairingCode: string | null; status: ChannelStatus }> =>
    fieldsOf(await this.call('POST', `/channels/${enc(id)}/connect-phone`, { json: { phoneNumber }, command: true }));
  disconnect = (id: string): Promise<Body> => this.call('POST', `/channels/${enc(id)}/disconnect`, { command: true });
  logout = (id: string): Promise<Body> => this.call('POST', `/channels/${enc(id)}/logout`, { command: true });
  deleteAccount = (id: string): Promise<Body> => this.call('DELETE', `/channels/${enc(id)}`, { command: true });
  status = async (id: string): Promise<{ status: ChannelStatus }> => fieldsOf(await this.call('GET', `/channels/${enc(id)}/status`));
  /** The QR waiting to be scanned as a PNG data URL, or null when none waits. */
  qr = async (id: string): Promise<string | null> => {
    try {
      return fieldsOf<{ qr: string }>(await this.call('GET', `/channels/${enc(id)}/qr`)).qr;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  };

  // Chats and messages (newest first, as the read models answer).
  chats = (id: string): Promise<Chat[]> => this.data('GET', `/channels/${enc(id)}/chats`, { query: { limit: 100 } });
  messages = (id: string, chatId: string): Promise<Message[]> => this.data('GET', `/channels/${enc(id)}/chats/${enc(chatId)}/messages`, { query: { limit: 50 } });
  sendText = (id: string, to: string, message: string): Promise<Body> => this.call('POST', `/accounts/${enc(id)}/message/send`, { json: { to, message }, command: true });
  /** Sends a file as the kind its type says (image, video, audio, else document). */
  sendFile = (id: string, to: string, file: File, caption: string): Promise<Body> => {
    const kind = fileKind(file.type);
    const form = new FormData();
    form.set('to', to);
    if (caption && kind !== 'audio') form.set('caption', caption);
    form.set(kind, file, file.name);
    return this.call('POST', `/accounts/${enc(id)}/message/send/${kind}`, { form, command: true });
  };

  // Webhooks.
  webhooks = async (): Promise<Webhook[]> => (await this.call('GET', '/webhooks'))['webhooks'] as Webhook[];
  registerWebhook = (url: string, events: string[]): Promise<Body> => this.call('POST', '/webhooks', { json: events.length ? { url, events } : { url } });
  deleteWebhook = (id: string): Promise<Body> => this.call('DELETE', `/webhooks/${enc(id)}`);
  attempts = async (id: string): Promise<Attempt[]> => (await this.call('GET', `/webhooks/${enc(id)}/attempts`, { query: { limit: 50 } }))['attempts'] as Attempt[];
  deadLetters = async (id: string): Promise<Attempt[]> => (await this.call('GET', `/webhooks/${enc(id)}/dead-letters`, { query: { limit: 50 } }))['deadLetters'] as Attempt[];
  redeliver = async (id: string, what: { eventId: string } | { deadLetters: true }): Promise<{ queued: number; missing: number }> =>
    (await this.call('POST', `/webhooks/${enc(id)}/redeliver`, { json: what })) as unknown as { queued: number; missing: number };

  // Analytics.
  overview = (channelId: string | null): Promise<Overview> => this.data('GET', '/analytics/overview', { query: { channelId } });
  daily = (channelId: string | null, days: number): Promise<DailyVolume[]> => this.data('GET', '/analytics/daily', { query: { channelId, days } });
  byHour = (channelId: string | null): Promise<HourlyVolume[]> => this.data('GET', '/analytics/by-hour', { query: { channelId } });
  byWeekday = (channelId: string | null): Promise<WeekdayVolume[]> => this.data('GET', '/analytics/by-weekday', { query: { channelId } });
  channelTotals = (channelId: string | null): Promise<ChannelTotals[]> => this.data('GET', '/analytics/channels', { query: { channelId } });
}

/**
 * The fields of a WHAPI answer wherever the route puts them: in `data`, beside `success`
 * (`{ success, qr }`), or bare (`/channels/:id/status`).
 */
export function fieldsOf<T>(body: Body): T {
  const data = body['data'];
  return (data && typeof data === 'object' && !Array.isArray(data) ? data : body) as T;
}

/** Which send route a file goes to, by its MIME type. */
export function fileKind(mimetype: string): 'image' | 'video' | 'audio' | 'document' {
  if (/^image\/(jpeg|png|webp)$/.test(mimetype)) return 'image';
  if (mimetype.startsWith('video/')) return 'video';
  if (mimetype.startsWith('audio/')) return 'audio';
  return 'document';
}

async function parseBody(response: Response): Promise<Body> {
  const text = await response.text();
  if (text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : { data: value };
  } catch {
    return { error: text.slice(0, 200) };
  }
}
