import type { Kafka } from 'kafkajs';
import type { ReadModels } from '../../../projections/readModels/index.js';
import { withTimeout } from '../../shared/index.js';
import { CONNECTOR_GROUP } from '../../shared/kafka/index.js';
import type { HealthReport } from '../ApiServices.js';

export interface HealthSources {
  kafka: Kafka;
  reads: ReadModels;
  /** Name of the read-model engine (`pglite (projector)`, `postgresql`). */
  databaseEngine: string;
  /** The analytics store (ClickHouse, or the analytics role's chDB over HTTP); null reports it absent. */
  analytics: { engine: string; ping: () => Promise<void> } | null;
  connectorGroup?: string;
  now?: () => number;
}

/** A bounded probe: a part that does not answer in time counts as down. */
async function probe<T>(work: () => Promise<T>, timeoutMs = 3_000): Promise<{ ok: true; value: T } | { ok: false; detail: string }> {
  try {
    return { ok: true, value: await withTimeout(work(), timeoutMs) };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

/** `GET /health`'s report: Kafka, the read-model store and its lag, analytics, and the connector group. */
export async function healthReport(sources: HealthSources): Promise<HealthReport> {
  const admin = sources.kafka.admin();
  const [cluster, group, database] = await Promise.all([
    probe(async () => {
      await admin.connect();
      return admin.describeCluster();
    }),
    probe(() => admin.describeGroups([sources.connectorGroup ?? CONNECTOR_GROUP])),
    probe(async () => {
      await sources.reads.ping();
      return sources.reads.lag();
    }),
  ]);
  await admin.disconnect().catch(() => undefined);
  const analytics = sources.analytics === null ? null : await probe(() => sources.analytics!.ping());
  const members = group.ok ? (group.value.groups[0]?.members.length ?? 0) : 0;
  const report: HealthReport = {
    status: 'ok',
    timestamp: new Date((sources.now ?? Date.now)()).toISOString(),
    kafka: cluster.ok ? { status: 'up', brokers: cluster.value.brokers.length } : { status: 'down', brokers: 0, detail: cluster.detail },
    database: database.ok
      ? { status: 'up', engine: sources.databaseEngine, lagEvents: database.value.events }
      : { status: 'down', engine: sources.databaseEngine, lagEvents: null, detail: database.detail },
    analytics:
      sources.analytics === null || analytics === null
        ? { status: 'absent', engine: null }
        : analytics.ok
          ? { status: 'up', engine: sources.analytics.engine }
          : { status: 'down', engine: sources.analytics.engine, detail: analytics.detail },
    connectors: { status: members > 0 ? 'up' : 'down', members, accounts: null },
  };
  if (report.kafka.status === 'down') report.status = 'down';
  else if (report.database.status === 'down' || report.connectors.status === 'down' || report.analytics.status === 'down') report.status = 'degraded';
  return report;
}
