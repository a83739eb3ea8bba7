import type { HealthReport } from '../ApiServices.js';

/** `GET /health` in the WHAPI document's shape, extended with what this product runs on. */
export interface HealthBody {
  status: HealthReport['status'];
  timestamp: string;
  database: HealthReport['database'];
  /** The document lists redis; this product has none, and says so instead of inventing a status. */
  redis: { status: 'not_used'; detail: string };
  channels: { status: HealthReport['connectors']['status']; accounts: number | null; connectors: number };
  auth: { status: 'enabled'; methods: string[] };
  kafka: HealthReport['kafka'];
  analytics: HealthReport['analytics'];
  connectors: HealthReport['connectors'];
}

const REDIS = { status: 'not_used', detail: 'wa-backbone keeps no Redis: Kafka carries commands and state, the read-model store serves reads' } as const;
const AUTH = { status: 'enabled', methods: ['X-API-Key', 'Authorization: Bearer'] } as const;

/** The health answer for a report. */
export function healthBody(report: HealthReport): HealthBody {
  return {
    status: report.status,
    timestamp: report.timestamp,
    database: report.database,
    redis: { ...REDIS },
    channels: { status: report.connectors.status, accounts: report.connectors.accounts, connectors: report.connectors.members },
    auth: { ...AUTH, methods: [...AUTH.methods] },
    kafka: report.kafka,
    analytics: report.analytics,
    connectors: report.connectors,
  };
}

/** The health answer when the report itself could not be made. */
export function unknownHealth(now: number): HealthBody {
  const detail = 'the health check failed';
  return healthBody({
    status: 'down',
    timestamp: new Date(now).toISOString(),
    kafka: { status: 'down', brokers: 0, detail },
    database: { status: 'down', engine: 'unknown', lagEvents: null, detail },
    analytics: { status: 'down', engine: null, detail },
    connectors: { status: 'down', members: 0, accounts: null },
  });
}

/** 503 when the product is down, so load balancers take the instance out; 200 otherwise. */
export function healthStatus(body: HealthBody): number {
  return body.status === 'down' ? 503 : 200;
}
