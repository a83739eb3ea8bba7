import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type {
  OpenSessionRequest,
  OpenSessionResponse,
  PollResponse,
  RpcRequest,
  RpcResults,
  UploadResponse,
} from '../../../simulator/index.js';

export type Fetch = typeof globalThis.fetch;

/** The simulator answered with an error: its HTTP status (WhatsApp's IQ error code) and body. */
export class SimulatorHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null,
  ) {
    super(message);
    this.name = 'SimulatorHttpError';
  }
}

/** The simulator could not be reached at all (refused, reset, aborted). */
export class SimulatorUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SimulatorUnreachableError';
  }
}

/** HTTP client for the simulator's driver protocol (services/simulator/protocol.ts). */
export class SimulatorClient {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly fetch: Fetch,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  openSession(request: OpenSessionRequest): Promise<OpenSessionResponse> {
    return this.json('POST', '/sim/driver/sessions', request);
  }

  /** Acknowledges `ack` (handled deliveries) and long-polls for the next ones, in one round trip. */
  next(sessionId: string, ack: readonly string[], waitMs: number, max: number, signal: AbortSignal): Promise<PollResponse> {
    return this.json('POST', `/sim/driver/sessions/${encodeURIComponent(sessionId)}/deliveries`, { ack, waitMs, max }, signal);
  }

  async ack(sessionId: string, deliveryIds: string[]): Promise<void> {
    await this.json('POST', `/sim/driver/sessions/${encodeURIComponent(sessionId)}/ack`, { deliveryIds });
  }

  async release(sessionId: string, deliveryIds: string[]): Promise<void> {
    await this.json('POST', `/sim/driver/sessions/${encodeURIComponent(sessionId)}/release`, { deliveryIds });
  }

  async closeSession(sessionId: string): Promise<void> {
    await this.json('DELETE', `/sim/driver/sessions/${encodeURIComponent(sessionId)}`);
  }

  async rpc<R extends RpcRequest>(sessionId: string, request: R): Promise<RpcResults[R['op']]> {
    const { result } = await this.json<{ result: RpcResults[R['op']] }>('POST', `/sim/driver/sessions/${encodeURIComponent(sessionId)}/rpc`, request);
    return result;
  }

  /** Streams an encrypted media file (Baileys' upload step) to the simulator. */
  upload(sessionId: string, mediaType: string, fileEncSha256B64: string, encFilePath: string): Promise<UploadResponse> {
    const query = `mediaType=${encodeURIComponent(mediaType)}&fileEncSha256=${encodeURIComponent(fileEncSha256B64)}`;
    const body = Readable.toWeb(createReadStream(encFilePath)) as unknown as NonNullable<RequestInit['body']>;
    return this.json('POST', `/sim/driver/sessions/${encodeURIComponent(sessionId)}/upload?${query}`, undefined, undefined, body);
  }

  /** Streams plaintext media by directPath (or plaintext SHA-256 as base64). */
  async media(directPath: string | null, fileSha256B64: string | null): Promise<Readable> {
    const query = new URLSearchParams();
    if (directPath) query.set('directPath', directPath);
    if (fileSha256B64) query.set('fileSha256', fileSha256B64);
    const response = await this.send('GET', `/sim/driver/media?${query.toString()}`);
    if (!response.body) return Readable.from([]);
    return Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  }

  private async json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal, raw?: NonNullable<RequestInit['body']>): Promise<T> {
    const response = await this.send(method, path, body, signal, raw);
    try {
      return (await response.json()) as T;
    } catch (error) {
      throw new SimulatorUnreachableError(`simulator reply cut short: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  private async send(method: string, path: string, body?: unknown, signal?: AbortSignal, raw?: NonNullable<RequestInit['body']>): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, {
        method,
        ...(signal ? { signal } : {}),
        ...(raw !== undefined
          ? { body: raw, duplex: 'half', headers: { 'content-type': 'application/octet-stream' } }
          : body !== undefined
            ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
            : {}),
      } as RequestInit);
    } catch (error) {
      throw new SimulatorUnreachableError(`simulator unreachable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let parsed: { error?: { code?: string; message?: string; field?: string | null } } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // Not the simulator's error shape; the status alone still says what happened.
    }
    throw new SimulatorHttpError(
      response.status,
      parsed.error?.code ?? 'UNKNOWN',
      parsed.error?.message ?? (text || `HTTP ${response.status}`),
      parsed.error?.field ?? null,
    );
  }
}
