import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WaError } from '../../shared/index.js';
import { isPrivateHost, publicLookup } from '../../shared/net/index.js';
import { parseRetryAfter } from './parseRetryAfter.js';

/** The user agent of every delivery, so receivers can tell them from other traffic. */
export const WEBHOOK_USER_AGENT = 'wa-backbone-webhooks';

/** Why an attempt got no usable answer (the `error` text says it for people). */
export type DeliveryErrorKind = 'timeout' | 'refused' | 'dns' | 'tls' | 'network' | 'private-address' | 'redirect';

export interface DeliveryRequest {
  /** The subscription's endpoint: http or https. */
  url: string;
  /** The JSON body, sent as is. */
  body: string;
  /** The signature headers (and any other); content-type and user-agent are set here. */
  headers: Readonly<Record<string, string>>;
  /** Covers everything: DNS, connect, TLS, sending, the status and the capped body. */
  timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE: let private, loopback and link-local targets through. */
  allowPrivate: boolean;
  /** The response body is read up to this many bytes, then the connection is dropped. */
  maxResponseBytes?: number;
  /** Keep-alive pools to reuse connections from (see `deliveryAgents`); without them every attempt opens its own connection. */
  agents?: DeliveryAgents;
}

/** One keep-alive pool per scheme, owned by whoever makes many deliveries (the dispatcher). */
export interface DeliveryAgents {
  http: http.Agent;
  https: https.Agent;
}

// Below the 5 s keep-alive timeout of Node's own servers and most proxies, so we rarely
// reuse a connection the endpoint is about to close; a `Keep-Alive: timeout=` hint shortens it further.
const IDLE_CONNECTION_MS = 4_000;

/** Keep-alive pools for deliveries: an endpoint answering often keeps its connections (and TLS sessions). Destroy them when done. */
export function deliveryAgents(): DeliveryAgents {
  // LIFO hands out the connection used last, the one least likely to have been closed while idle.
  const options = { keepAlive: true, timeout: IDLE_CONNECTION_MS, scheduling: 'lifo' as const };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

/** Closes every pooled connection of the agents. */
export function destroyDeliveryAgents(agents: DeliveryAgents): void {
  agents.http.destroy();
  agents.https.destroy();
}

/** What one attempt did: every field is recorded with the attempt. */
export interface DeliveryOutcome {
  /** The response's status; null when none came. */
  status: number | null;
  latencyMs: number;
  /** The response's Retry-After in seconds (either form), if any. */
  retryAfterSeconds: number | null;
  /** Short and never a body: e.g. `timeout`, `connection refused`, `redirect not followed (302)`. Null when the response came whole. */
  error: string | null;
  errorKind: DeliveryErrorKind | null;
  /** The start of the response body, at most 256 characters; null when empty or none. */
  responseExcerpt: string | null;
}

const EXCERPT_CHARS = 256;
// EPROTO is what OpenSSL's handshake errors surface as (e.g. https to a plain HTTP port).
const TLS_CODE = /^(EPROTO$|ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/** The outcome of a connection-level failure: a short text and its kind, never a stack or body. */
function failure(error: unknown): { error: string; errorKind: DeliveryErrorKind } {
  if (error instanceof WaError) return { error: 'private address refused', errorKind: 'private-address' };
  // With happy eyeballs a failed connect is an AggregateError of one error per address.
  const first = error instanceof AggregateError ? error.errors[0] : error;
  const code = String((error as { code?: unknown }).code ?? (first as { code?: unknown } | undefined)?.code ?? 'UNKNOWN');
  if (code === 'ECONNREFUSED') return { error: 'connection refused', errorKind: 'refused' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NODATA') return { error: `dns lookup failed (${code})`, errorKind: 'dns' };
  if (TLS_CODE.test(code)) return { error: `tls error (${code})`, errorKind: 'tls' };
  return { error: `network error (${code})`, errorKind: 'network' };
}

/** A pooled connection the endpoint closed while it sat idle fails the next request at once, before any answer. */
function isStaleConnection(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/** The first characters of what was read, at most 256 UTF-16 units, never half a character. */
function excerpt(chunks: Buffer[]): string | null {
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.length === 0) return null;
  let cut = '';
  for (const character of text) {
    if (cut.length + character.length > EXCERPT_CHARS) break;
    cut += character;
  }
  return cut;
}

/**
 * POSTs one delivery and reports what happened; it never rejects for a failed attempt, only
 * (a WaError naming `url`) for a URL that is not http(s). No redirect is followed. Unless
 * `allowPrivate`, a private, loopback or link-local target is refused before connecting: a
 * literal address here, a name by the DNS lookup on the address actually connected to.
 */
export async function attemptDelivery(request: DeliveryRequest): Promise<DeliveryOutcome> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new WaError('INVALID_ARGUMENT', 'url is not a valid URL', { field: 'url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WaError('INVALID_ARGUMENT', 'url must be an http or https URL', { field: 'url' });
  const maxResponseBytes = request.maxResponseBytes ?? 1024;
  const started = performance.now();
  const outcome = (fields: Partial<DeliveryOutcome>): DeliveryOutcome => ({
    status: null,
    retryAfterSeconds: null,
    error: null,
    errorKind: null,
    responseExcerpt: null,
    ...fields,
    latencyMs: Math.round(performance.now() - started),
  });

  // Node connects to a literal IP without calling `lookup`, so literals are judged here.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!request.allowPrivate && isIP(host) !== 0 && isPrivateHost(host)) {
    return outcome({ error: 'private address refused', errorKind: 'private-address' });
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers['content-type'] = 'application/json';
  headers['user-agent'] = WEBHOOK_USER_AGENT;
  headers['content-length'] = String(Buffer.byteLength(request.body));

  return new Promise((resolve) => {
    let settled = false;
    let response: Partial<DeliveryOutcome> = {};
    const chunks: Buffer[] = [];
    let client: http.ClientRequest;
    const finish = (fields: Partial<DeliveryOutcome>, reusable = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Unless the response came whole (the connection goes back to its pool), drop the connection whatever state it is in.
      if (!reusable) client.destroy();
      resolve(outcome({ ...response, responseExcerpt: excerpt(chunks), ...fields }));
    };
    const transport = url.protocol === 'https:' ? https : http;
    const pooled = url.protocol === 'https:' ? request.agents?.https : request.agents?.http;
    const send = (agent: http.Agent | false): void => {
      const attempt = transport.request(url, {
        method: 'POST',
        headers,
        // Without a pool, a fresh agent per attempt: no connection outlives it.
        agent,
        ...(request.allowPrivate ? {} : { lookup: publicLookup('url') }),
      });
      client = attempt;
      attempt.on('error', (error) => {
        if (attempt !== client) return;
        // Sent again once, on a new connection: the endpoint closed the pooled one, so it saw
        // nothing or, at worst, gets the delivery twice with the same webhook-id.
        if (!settled && attempt.reusedSocket && response.status === undefined && isStaleConnection(error)) {
          send(false);
          return;
        }
        finish(failure(error));
      });
      attempt.on('response', (res) => {
        const status = res.statusCode ?? 0;
        response = { status, retryAfterSeconds: parseRetryAfter(res.headers['retry-after'], Date.now()) };
        res.on('error', () => finish({ error: 'connection lost reading the response', errorKind: 'network' }));
        if (status >= 300 && status < 400) {
          finish({ error: `redirect not followed (${status})`, errorKind: 'redirect' });
          return;
        }
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          const room = maxResponseBytes - read;
          chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
          read += Math.min(chunk.length, room);
          if (read >= maxResponseBytes) finish({});
        });
        res.on('end', () => finish({}, true));
        res.on('aborted', () => finish({ error: 'connection lost reading the response', errorKind: 'network' }));
      });
      attempt.end(request.body);
    };
    const timer = setTimeout(() => finish({ error: 'timeout', errorKind: 'timeout' }), request.timeoutMs);
    send(pooled ?? false);
  });
}
