import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from '../shared/index.js';
import { registerControlApi } from './controlApi.js';
import { registerDriverApi } from './driverApi.js';
import { Router } from './http.js';
import { Network } from './Network.js';

export interface SimulatorOptions {
  /** The deployment's `DATA_DIR`; the network lives in `<dataDir>/simulator`. */
  dataDir: string;
  /** Port to listen on; 0 picks a free one (tests). */
  port: number;
  /** Interface to bind; all interfaces when omitted. */
  host?: string;
  logger: Logger;
  now?: () => number;
  /** How long a delivery may stay unacknowledged before it is offered again (default 30 s). */
  visibilityTimeoutMs?: number;
  /** QR codes offered to a new device (default 6 codes: 60 s, then 20 s each). */
  qr?: { count: number; firstMs: number; nextMs: number };
  /** Messages per history-sync chunk (default 1,000). */
  historyChunkSize?: number;
}

/** A running simulator: the network plus its HTTP server. */
export interface Simulator {
  readonly url: string;
  readonly port: number;
  readonly network: Network;
  /** Stops the server (ending long polls) and flushes the network to disk. */
  close(): Promise<void>;
}

/** Loads the network from `<dataDir>/simulator` and serves the control and driver APIs. */
export async function createSimulator(options: SimulatorOptions): Promise<Simulator> {
  const logger = options.logger;
  const network = await Network.open({
    dir: path.join(options.dataDir, 'simulator'),
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.visibilityTimeoutMs !== undefined ? { visibilityTimeoutMs: options.visibilityTimeoutMs } : {}),
    ...(options.qr ? { qr: options.qr } : {}),
    ...(options.historyChunkSize !== undefined ? { historyChunkSize: options.historyChunkSize } : {}),
  });
  const router = new Router(logger);
  registerControlApi(router, network);
  registerDriverApi(router, network);
  const server = createServer((req, res) => void router.handle(req, res));
  // Long polls last up to a minute; keep-alive lets the driver reuse connections between them.
  server.keepAliveTimeout = 65_000;
  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1'}:${port}`;
  network.publicUrl = url;
  logger.info({ port }, 'simulator listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    network,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await network.close();
        server.closeIdleConnections();
        server.closeAllConnections();
        await stopped;
      })()),
  };
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
