import { fileURLToPath } from 'node:url';
import { AvroCodec, runSchemasCommand } from '../../schemas/index.js';
import { createLogger, Lifecycle, loadConfig, WaError, type Config, type Logger } from '../shared/index.js';
import { bootstrapKafka, createKafka, topicCatalog } from '../shared/kafka/index.js';
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
  const logger = createLogger('replay', config.logLevel);
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
  const logger = createLogger('cli', config.logLevel);
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
  const logger = createLogger(target, config.logLevel);
  const lifecycle = new Lifecycle(logger);
  lifecycle.installSignalHandlers();
  try {
    // The simulator stands in for WhatsApp and never touches Kafka.
    if (target !== 'simulator') await bootstrap(config, logger, target);
    const main = await entry.load();
    await main({ config, logger, lifecycle });
    logger.info('role started');
    return 0;
  } catch (error) {
    lifecycle.fail(error);
    return 1;
  }
}

/** The roles `start all` runs: every built role enabled by the configuration. */
export function rolesToSupervise(config: Config): { run: Role[]; unavailable: Role[] } {
  const wanted = ROLES.filter((role) => ROLE_REGISTRY[role].enabled?.(config) ?? true);
  return {
    run: wanted.filter((role) => ROLE_REGISTRY[role].load !== undefined),
    unavailable: wanted.filter((role) => ROLE_REGISTRY[role].load === undefined),
  };
}

async function startAll(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger('all', config.logLevel);
  await bootstrap(config, logger, 'all');
  const { run, unavailable } = rolesToSupervise(config);
  if (unavailable.length > 0) logger.warn({ roles: unavailable }, 'roles not available in this build yet');
  const supervisor = new Supervisor({ logger });
  for (const role of run) supervisor.add({ name: role, command: process.execPath, args: [CLI_PATH, 'start', role] });
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
