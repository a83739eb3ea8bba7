export { initMetrics, metrics, registry, watchSessions, type SessionStates } from './metrics.js';
export { kafkaGroupLag, watchLag, type LagSample, type LagSource } from './consumerLag.js';
export { Health, startOpsServer, type OpsServerOptions, type ReadinessCheck } from './OpsServer.js';
