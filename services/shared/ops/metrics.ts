import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every series a role exports, in one registry per process (a process runs one role). Names
 * follow the Prometheus conventions: a `wa_` namespace, base units (seconds), `_total` on
 * counters. Labels carry bounded sets only (topics, partitions, outcomes, command types),
 * never an account id, a chat or a message.
 */
export const registry = new Registry();

let defaultsCollected = false;

/** Labels every series with the role and adds the process and Node.js runtime series (once per process). */
export function initMetrics(role: string): void {
  registry.setDefaultLabels({ role });
  if (defaultsCollected) return;
  collectDefaultMetrics({ register: registry });
  defaultsCollected = true;
}

/** Latency buckets from 1 ms to 30 s: commands and webhook deliveries both live in this range. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Reads the state of every session a connector runs (at scrape time), lower case: connected, qr, connecting, ... */
export type SessionStates = () => Promise<readonly string[]>;

const sessionSources = new Set<SessionStates>();

/** Adds a connector's sessions to the `wa_sessions` series; the returned function removes them. */
export function watchSessions(source: SessionStates): () => void {
  sessionSources.add(source);
  return () => void sessionSources.delete(source);
}

export const metrics = {
  recordsProcessed: new Counter({
    name: 'wa_records_processed_total',
    help: 'Kafka records a consumer has taken in and handled (applied, delivered, executed or set aside).',
    labelNames: ['consumer', 'topic'] as const,
    registers: [registry],
  }),
  recordsFailed: new Counter({
    name: 'wa_records_failed_total',
    help: 'Kafka records a consumer could not use and wrote to the dead-letter topic, by reason.',
    labelNames: ['consumer', 'topic', 'reason'] as const,
    registers: [registry],
  }),
  commandDuration: new Histogram({
    name: 'wa_command_duration_seconds',
    help: 'Round trip of a command through the API: produced, run by a connector, result read back.',
    labelNames: ['type', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  }),
  commandsExecuted: new Counter({
    name: 'wa_connector_commands_total',
    help: 'Commands a connector has run, by type and outcome.',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  }),
  sessions: new Gauge({
    name: 'wa_sessions',
    help: 'WhatsApp sessions this connector runs, by state.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const states = (await Promise.all([...sessionSources].map((source) => source().catch(() => [] as const)))).flat();
      const counts = new Map<string, number>();
      for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
      for (const [state, count] of counts) this.set({ state }, count);
    },
  }),
  qrCodes: new Counter({
    name: 'wa_session_qr_codes_total',
    help: 'QR codes shown for linking (one per rotation).',
    registers: [registry],
  }),
  reconnects: new Counter({
    name: 'wa_session_reconnects_total',
    help: 'Times a session was reopened after its connection closed.',
    registers: [registry],
  }),
  eventsPublished: new Counter({
    name: 'wa_connector_events_total',
    help: 'Events a connector has committed to Kafka, by topic.',
    labelNames: ['topic'] as const,
    registers: [registry],
  }),
  webhookDeliveries: new Counter({
    name: 'wa_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by outcome (delivered, retry, dead, disabled).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  webhookDuration: new Histogram({
    name: 'wa_webhook_delivery_duration_seconds',
    help: 'Time from the start of a webhook POST to its answer (or failure), by outcome.',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  }),
  projectionBatches: new Counter({
    name: 'wa_projection_batches_total',
    help: 'Partition batches a projection (read models, analytics) has applied, each in one transaction with its position.',
    labelNames: ['topic'] as const,
    registers: [registry],
  }),
  clickhouseInserts: new Counter({
    name: 'wa_clickhouse_insert_batches_total',
    help: 'Batches inserted into the analytics tables, by table.',
    labelNames: ['table'] as const,
    registers: [registry],
  }),
  clickhouseRows: new Counter({
    name: 'wa_clickhouse_inserted_rows_total',
    help: 'Rows inserted into the analytics tables, by table.',
    labelNames: ['table'] as const,
    registers: [registry],
  }),
};
