import type { Config, Lifecycle, Logger } from '../shared/index.js';
import type { SharedAdmin } from '../shared/kafka/index.js';
import type { Health } from '../shared/ops/index.js';

/** Every process role of the architecture, in the order `all` starts them. */
export const ROLES = ['simulator', 'connector', 'projector', 'analytics', 'webhooks', 'api'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleContext {
  config: Config;
  logger: Logger;
  lifecycle: Lifecycle;
  /** The role's readiness: a role adds the checks of the parts it needs (its store, its consumers). */
  health: Health;
  /** The process's admin connection for occasional reads (consumer lag at scrape time, readiness), opened on first use. */
  admin: SharedAdmin;
}

/** A role's entry point: starts its work and registers its shutdown hooks; resolves once running. */
export type RoleMain = (context: RoleContext) => Promise<void>;

interface RoleEntry {
  description: string;
  /** Where the role's ops server (/metrics, /livez, /readyz) listens unless METRICS_PORT says otherwise. */
  metricsPort: number;
  /** Loads the role's module; absent while the role is still being built (see `issue`). */
  load?: () => Promise<RoleMain>;
  /** The issue that builds the role, named when it is not available yet. */
  issue?: number;
  /** Roles that only run in some configurations (the simulator with WA_DRIVER=simulator). */
  enabled?: (config: Config) => boolean;
}

export const ROLE_REGISTRY: Record<Role, RoleEntry> = {
  simulator: {
    metricsPort: 9465,
    description: 'in-memory WhatsApp network with the /sim control API',
    load: async () => (await import('../simulator/index.js')).main,
    issue: 3,
    enabled: (config) => config.waDriver === 'simulator',
  },
  connector: {
    metricsPort: 9461,
    description: 'runs WhatsApp sessions; single writer per account',
    load: async () => (await import('../connector/index.js')).main,
  },
  projector: {
    metricsPort: 9462,
    description: 'chat and message read models',
    load: async () => (await import('../projector/index.js')).main,
  },
  analytics: {
    metricsPort: 9463,
    description: 'ClickHouse analytics (chDB embedded by default)',
    load: async () => (await import('../analytics/index.js')).main,
  },
  webhooks: {
    metricsPort: 9464,
    description: 'signed, durable webhook fan-out',
    load: async () => (await import('../webhooks/index.js')).main,
  },
  api: {
    metricsPort: 9460,
    description: 'Koa command API serving both API documents',
    load: async () => (await import('../api/index.js')).main,
  },
};

/** True when `name` is one of the architecture's roles. */
export function isRole(name: string): name is Role {
  return (ROLES as readonly string[]).includes(name);
}
