import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { WaError, type MediaStore } from '../../../shared/index.js';
import type { ApiKeys, ApiKeyView, ApiServices, HealthReport, MediaService } from '../../ApiServices.js';
import type { ApiState } from '../ApiState.js';

/** A running app on a free port. */
export interface RunningApp {
  url: string;
  server: Server;
  close: () => Promise<void>;
}

/** Listens on port 0 (a free port) on the loopback interface. */
export async function listen(app: Koa<ApiState>): Promise<RunningApp> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A member of ApiServices that a test does not use: any access fails loudly, so a test cannot
 * pass by accident through it.
 */
export function unused<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_target, property) => {
      if (property === 'then') return undefined;
      throw new Error(`${name}.${String(property)} is not used by this test`);
    },
  });
}

/**
 * An in-memory key table for HTTP tests (the Kafka-backed one is tested against the broker):
 * one admin key and the given account keys; created keys live in a Map.
 */
export function memoryKeys(adminKey: string, accountKeys: Readonly<Record<string, { keyId: string; accountId: string }>>): ApiKeys {
  const keys = new Map<string, ApiKeyView>(Object.entries(accountKeys).map(([key, owner]) => [key, { ...owner, label: null, createdAt: 0 }]));
  return {
    authenticate: async (presented) => {
      if (presented === adminKey) return { kind: 'admin' };
      const owner = keys.get(presented);
      return owner ? { kind: 'account', keyId: owner.keyId, accountId: owner.accountId } : null;
    },
    create: async (accountId, label) => {
      const view = { keyId: `key_${keys.size + 1}`, accountId, label, createdAt: Date.now() };
      const key = `wab_test_${keys.size + 1}`;
      keys.set(key, view);
      return { key, view };
    },
    list: async (accountId) => [...keys.values()].filter((view) => accountId === undefined || view.accountId === accountId),
    revoke: async (keyId) => {
      for (const [key, view] of keys) if (view.keyId === keyId) return keys.delete(key);
      return false;
    },
  };
}

/** A MediaService over a real store; only `store` and `open` are implemented. */
export function storeOnlyMedia(store: MediaStore): MediaService {
  return {
    store,
    fromField: async () => {
      throw new Error('media.fromField is not used by this test');
    },
    open: async (mediaId) => {
      const media = await store.stat(mediaId);
      if (!media) throw new WaError('NOT_FOUND', `media ${mediaId} not found`);
      return { media, stream: await store.open(mediaId) };
    },
  };
}

/** A healthy report, as the real health check would give with everything up. */
export function healthyReport(now: number): HealthReport {
  return {
    status: 'ok',
    timestamp: new Date(now).toISOString(),
    kafka: { status: 'up', brokers: 1 },
    database: { status: 'up', engine: 'pglite', lagEvents: 0 },
    analytics: { status: 'absent', engine: null },
    connectors: { status: 'up', members: 1, accounts: 2 },
  };
}

/** ApiServices for HTTP tests: the given parts, every other member `unused`. */
export function testServices(parts: Partial<ApiServices> & Pick<ApiServices, 'keys' | 'media'>): ApiServices {
  return {
    commands: parts.commands ?? unused('commands'),
    reads: parts.reads ?? unused('reads'),
    analytics: parts.analytics ?? unused('analytics'),
    webhooks: parts.webhooks ?? unused('webhooks'),
    webhookDeliveries: parts.webhookDeliveries ?? unused('webhookDeliveries'),
    events: parts.events ?? unused('events'),
    keys: parts.keys,
    media: parts.media,
    health: parts.health ?? (async () => healthyReport(Date.now())),
    now: parts.now ?? (() => Date.now()),
  };
}
