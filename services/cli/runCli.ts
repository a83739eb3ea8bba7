import { fileURLToPath } from 'node:url';
import { AvroCodec, runSchemasCommand } from '../../schemas/index.js';
import { createLogger, Lifecycle, loadConfig, WaError, type Config, type Logger } from '../shared/index.js';
import { bootstrapKafka, createKafka, SharedAdmin, topicCatalog } from '../shared/kafka/index.js';
import { Health, initMetrics, startOpsServer } from '../shared/ops/index.js';
import { startTracing } from '../shared/tracing/index.js';
import { ROLE_REGISTRY, ROLES, isRole, type Role } from './roles.js';
import { Supervisor } from './supervisor.js';
import { USAGE } from './usage.js';

const CLI_PATH = fileURLToPath(new URL('./index.js', import.meta.url));

/** Runs one CLI invocation; resolves with the exit code (long-running roles keep the process alive). */
export async function runCli(args: readonly string[]): Promise<number> {
  const [command, sub] = args;
  try {
    switch (command) {
      case 'start':
        return await start(sub);
      case 'topics':
        return await topics(sub);
      case 'schemas':
        return await runSchemasCommand(args.slice(1), process.stdout);
      case 'replay':
        return await replay(args.slice(1));
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof WaError && error.code === 'INVALID_CONFIG') {
      process.stderr.write(`configuration error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** Ensures the topic catalog and publishes the writer schemas of every topic. */
async function bootstrap(config: Config, logger: Logger, source: string): Promise<void> {
  const codec = AvroCodec.load();
  const names = topicCatalog(config.kafkaPartitions).flatMap((spec) => (spec.valueSchema ? [spec.valueSchema] : []));
  await bootstrapKafka({
    kafka: createKafka({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-${source}`, logger }),
    partitions: config.kafkaPartitions,
    logger,
    schemas: codec.writerSchemas([...new Set(names)]),
    source: `wa-backbone/${source}`,
  });
}

/** Rebuilds the read models (or one, `--model <name>`) from the start of the log into new tables, then swaps them in. */
async function replay(args: readonly string[]): Promise<number> {
  const { parseReplayArgs, runReplay } = await import('../../projections/replay/index.js');
  const parsed = parseReplayArgs(args);
  if ('error' in parsed) {
    process.stderr.write(`${parsed.error}\n`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger('replay', config.logLevel, config.logFormat);
  try {
    await runReplay({ config, logger, write: (line) => process.stdout.write(`${line}\n`), model: parsed.model });
    return 0;
  } catch (error) {
    logger.error({ err: error }, 'replay failed');
    process.stderr.write(`replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function topics(sub: string | undefined): Promise<number> {
  const config = loadConfig();
  if (sub === 'list') {
    for (const spec of topicCatalog(config.kafkaPartitions)) {
      const retention = spec.retentionMs < 0 ? 'forever' : `${spec.retentionMs / 3_600_000}h`;
      process.stdout.write(
        `${spec.name.padEnd(28)} ${String(spec.partitions).padStart(3)}p ${spec.cleanup.padEnd(7)} ${retention.padEnd(8)} ${spec.description}\n`,
      );
    }
    return 0;
  }
  if (sub !== 'create') {
    process.stderr.write(`usage: wa-backbone topics create|list\n`);
    return 2;
  }
  const logger = createLogger('cli', config.logLevel, config.logFormat);
  await bootstrap(config, logger, 'cli');
  return 0;
}

async function start(target: string | undefined): Promise<number> {
  if (target === 'all') return startAll();
  if (target === undefined || !isRole(target)) {
    process.stderr.write(`usage: wa-backbone start <${[...ROLES, 'all'].join('|')}>\n`);
    return 2;
  }
  const entry = ROLE_REGISTRY[target];
  if (!entry.load) {
    process.stderr.write(`role "${target}" (${entry.description}) is not available in this build yet (issue ${entry.issue})\n`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger(target, config.logLevel, config.logFormat);
  const lifecycle = new Lifecycle(logger);
  lifecycle.installSignalHandlers();
  try {
    const { health, admin } = await startOps(target, config, logger, lifecycle);
    // The simulator stands in for WhatsApp and never touches Kafka.
    if (target !== 'simulator') await bootstrap(config, logger, target);
    const main = await entry.load();
    await main({ config, logger, lifecycle, health, admin });
    health.markStarted();
    logger.info('role started');
    return 0;
  } catch (error) {
    lifecycle.fail(error);
    return 1;
  }
}

/**
 * Starts the role's ops server (/metrics, /livez, /readyz) before anything else, so a slow
 * start is visible as not ready; it closes last, after the role has drained. A Kafka role is
 * ready only while the broker answers.
 */
async function startOps(role: Role, config: Config, logger: Logger, lifecycle: Lifecycle): Promise<{ health: Health; admin: SharedAdmin }> {
  const tracing = startTracing({ role, config });
  // Registered first, so it runs last: the spans of the drain are exported too.
  lifecycle.onShutdown('tracing', () => tracing.shutdown());
  if (tracing.recording) logger.info('tracing on: spans exported over OTLP/HTTP');
  initMetrics(role);
  const health = new Health();
  const server = await startOpsServer({ port: config.metricsPort ?? ROLE_REGISTRY[role].metricsPort, health, logger });
  lifecycle.onShutdown('ops server', () => new Promise<void>((resolve) => server.close(() => resolve())));
  lifecycle.signal.addEventListener('abort', () => health.markStopping(String(lifecycle.signal.reason)), { once: true });
  logger.info({ port: server.port }, 'ops server: /metrics, /livez, /readyz');
  const admin = new SharedAdmin(createKafka({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-${role}-ops`, logger }));
  lifecycle.onShutdown('ops admin', () => admin.close());
  if (role !== 'simulator') {
    health.check('kafka', async () => {
      await (await admin.connected()).describeCluster();
    });
  }
  return { health, admin };
}

/** The roles `start all` runs: every built role enabled by the configuration. */
export function rolesToSupervise(config: Config): { run: Role[]; unavailable: Role[] } {
  const wanted = ROLES.filter((role) => ROLE_REGISTRY[role].enabled?.(config) ?? true);
  return {
    run: wanted.filter((role) => ROLE_REGISTRY[role].load !== undefined),
    unavailable: wanted.filter((role) => ROLE_REGISTRY[role].load === undefined),
  };
}

/**
 * A supervised role's environment: the parent's, with METRICS_PORT (when set) counted up per
 * role so every child's ops server has its own port (0 stays 0: each picks a free one).
 */
function childEnv(config: Config, index: number): NodeJS.ProcessEnv | undefined {
  if (config.metricsPort === undefined) return undefined;
  return { ...process.env, METRICS_PORT: String(config.metricsPort === 0 ? 0 : config.metricsPort + index) };
}

async function startAll(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger('all', config.logLevel, config.logFormat);
  await bootstrap(config, logger, 'all');
  const { run, unavailable } = rolesToSupervise(config);
  if (unavailable.length > 0) logger.warn({ roles: unavailable }, 'roles not available in this build yet');
  const supervisor = new Supervisor({ logger });
  for (const [index, role] of run.entries()) {
    supervisor.add({ name: role, command: process.execPath, args: [CLI_PATH, 'start', role], env: childEnv(config, index) });
  }
  logger.info({ roles: run }, 'supervising roles; Ctrl-C stops them');
  // Signal listeners alone do not keep Node's event loop alive (e.g. before any role is built).
  const keepAlive = setInterval(() => undefined, 60_000);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  clearInterval(keepAlive);
  logger.info({ signal }, 'stopping roles');
  await supervisor.stop();
  return 0;
}
