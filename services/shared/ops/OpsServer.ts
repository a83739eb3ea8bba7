import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WaError } from '../WaError.js';
import type { Logger } from '../logger.js';
import { withTimeout } from '../withTimeout.js';
import { registry } from './metrics.js';

/** A readiness condition of one part of a role: resolves when the part can do its work, throws why not. */
export type ReadinessCheck = () => Promise<void> | void;

/** A check that does not answer within this time counts as failed. */
const CHECK_TIMEOUT_MS = 3_000;

interface CheckResult {
  ok: boolean;
  detail?: string;
}

/**
 * What the ops server reports about its role. Live: the process answers and has not begun a
 * fatal exit. Ready: the role has started, is not shutting down, and every check passes.
 */
export class Health {
  private readonly checks = new Map<string, ReadinessCheck>();
  private started = false;
  private stopping: string | null = null;

  /** Adds (or replaces) a named readiness check. */
  check(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** The role has finished starting. */
  markStarted(): void {
    this.started = true;
  }

  /** The role is shutting down (drain: no new work should come to it). */
  markStopping(reason: string): void {
    this.stopping = reason;
  }

  get live(): boolean {
    return this.stopping !== 'fatal';
  }

  /** Runs every check (concurrently, each bounded in time). */
  async readiness(): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
    const checks: Record<string, CheckResult> = {
      started: this.started ? { ok: true } : { ok: false, detail: 'starting' },
      running: this.stopping === null ? { ok: true } : { ok: false, detail: `shutting down (${this.stopping})` },
    };
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        checks[name] = await runCheck(check);
      }),
    );
    return { ready: Object.values(checks).every((result) => result.ok), checks };
  }
}

async function runCheck(check: ReadinessCheck): Promise<CheckResult> {
  try {
    await withTimeout(Promise.resolve().then(check), CHECK_TIMEOUT_MS);
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

export interface OpsServerOptions {
  port: number;
  host?: string;
  health: Health;
  logger: Logger;
}

/**
 * The operations endpoint every role serves on its own port: `GET /metrics` (Prometheus text
 * format), `GET /livez` and `GET /readyz` (200 or 503 with the checks as JSON). It carries no
 * account data, so it needs no API key; keep the port inside the deployment's network.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<Server & { port: number }> {
  const server = createServer((request, response) => {
    void answer(request, response, options).catch((error: unknown) => {
      options.logger.error({ err: error, path: request.url }, 'ops request failed');
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else response.destroy();
    });
  });
  // Prometheus scrapes keep their connection; a shutdown must not wait for it.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new WaError('INVALID_CONFIG', `METRICS_PORT ${options.port} is already in use (every process needs its own; 0 picks a free one)`, { field: 'METRICS_PORT' })
          : error,
      ),
    );
    server.listen(options.port, options.host ?? '0.0.0.0', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return Object.assign(server, { port });
}

async function answer(request: IncomingMessage, response: ServerResponse, options: OpsServerOptions): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    return;
  }
  switch (path) {
    case '/metrics':
      send(response, 200, registry.contentType, await registry.metrics());
      return;
    case '/livez':
      send(response, options.health.live ? 200 : 503, 'application/json', JSON.stringify({ status: options.health.live ? 'live' : 'failed' }));
      return;
    case '/readyz': {
      const { ready, checks } = await options.health.readiness();
      send(response, ready ? 200 : 503, 'application/json', JSON.stringify({ status: ready ? 'ready' : 'not ready', checks }));
      return;
    }
    default:
      send(response, 404, 'text/plain; charset=utf-8', 'not found: the ops port serves /metrics, /livez and /readyz\n');
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
