import path from 'node:path';
import { WaError } from './WaError.js';

export type WaDriver = 'baileys' | 'simulator';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type LogFormat = 'json' | 'pretty';

/** Everything the processes read from the environment, parsed and validated once at boot. */
export interface Config {
  readonly production: boolean;
  readonly port: number;
  readonly kafkaBrokers: readonly string[];
  readonly kafkaPartitions: number;
  readonly kafkaClientId: string;
  readonly simPort: number;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly clickhouseUrl: string | undefined;
  readonly mediaS3Url: string | undefined;
  readonly waDriver: WaDriver;
  readonly simulatorUrl: string;
  /** Where the projector serves its read models to the API when they live in embedded PGlite. */
  readonly projectorPort: number;
  readonly projectorUrl: string;
  /** Where the analytics role serves its questions to the API when its store is embedded chDB. */
  readonly analyticsPort: number;
  readonly analyticsUrl: string;
  readonly apiKey: string | undefined;
  readonly sessionEncryptionKey: Buffer | undefined;
  readonly webhookAllowPrivate: boolean;
  /** One webhook attempt's time limit, and the attempts in flight per endpoint. */
  readonly webhookTimeoutMs: number;
  readonly webhookConcurrency: number;
  readonly logLevel: LogLevel;
  /** `json` (one object per line) or `pretty` (for a person at a terminal); unset: pretty on a TTY. */
  readonly logFormat: LogFormat | undefined;
  /**
   * Tracing: the SDK and its OTLP/HTTP exporter are on when OTEL_TRACES_EXPORTER=otlp, or when an
   * OTLP endpoint is set and OTEL_TRACES_EXPORTER is not `none` (and OTEL_SDK_DISABLED is not true).
   */
  readonly tracing: { readonly enabled: boolean; readonly serviceName: string | undefined };
  /** The port of the role's ops server (/metrics, /livez, /readyz); unset: the role's default, 0: any free port. */
  readonly metricsPort: number | undefined;
  /** Per-account send pacing: messages a burst may hold, and messages per minute after it. */
  readonly sendBurst: number;
  readonly sendPerMinute: number;
  /** How long an API request waits for its command's result before answering 202. */
  readonly apiCommandWaitMs: number;
  /** A command's deadline after it is issued; past it the connector answers EXPIRED. */
  readonly apiCommandTtlMs: number;
  /** Per-key request rate: tokens refilled per minute, and the bucket size (burst). */
  readonly apiRateLimitPerMinute: number;
  readonly apiRateLimitBurst: number;
  /** Largest request body (JSON, urlencoded, multipart text) the API reads. */
  readonly apiBodyLimitBytes: number;
  /** Largest media file (upload or decoded base64). */
  readonly mediaMaxBytes: number;
}

/** The environment variables the code reads; the deployment files are checked against this list. */
export const ENVIRONMENT_VARIABLES = [
  'NODE_ENV',
  'PORT',
  'KAFKA_BROKERS',
  'KAFKA_PARTITIONS',
  'KAFKA_CLIENT_ID',
  'SIM_PORT',
  'DATA_DIR',
  'DATABASE_URL',
  'CLICKHOUSE_URL',
  'MEDIA_S3_URL',
  'WA_DRIVER',
  'SIMULATOR_URL',
  'PROJECTOR_PORT',
  'PROJECTOR_URL',
  'ANALYTICS_PORT',
  'ANALYTICS_URL',
  'API_KEY',
  'SESSION_ENCRYPTION_KEY',
  'WEBHOOK_ALLOW_PRIVATE',
  'WEBHOOK_TIMEOUT_MS',
  'WEBHOOK_CONCURRENCY',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'METRICS_PORT',
  'OTEL_SDK_DISABLED',
  'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_SERVICE_NAME',
  'WA_SEND_BURST',
  'WA_SEND_PER_MINUTE',
  'API_COMMAND_WAIT_MS',
  'API_COMMAND_TTL_MS',
  'API_RATE_LIMIT_PER_MINUTE',
  'API_RATE_LIMIT_BURST',
  'API_BODY_LIMIT_MB',
  'MEDIA_MAX_MB',
] as const;

const MB = 1024 * 1024;

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Parses and validates the configuration; throws one WaError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const port = intVar(env, 'PORT', 3000, 1, 65535);
  const simPort = intVar(env, 'SIM_PORT', 3100, 1, 65535);
  const projectorPort = intVar(env, 'PROJECTOR_PORT', 3200, 1, 65535);
  const analyticsPort = intVar(env, 'ANALYTICS_PORT', 3300, 1, 65535);
  const waDriver = enumVar(env, 'WA_DRIVER', ['baileys', 'simulator'] as const, 'baileys');
  return {
    production,
    port,
    kafkaBrokers: brokersVar(env),
    kafkaPartitions: intVar(env, 'KAFKA_PARTITIONS', 12, 1, 10_000),
    kafkaClientId: stringVar(env, 'KAFKA_CLIENT_ID') ?? 'wa-backbone',
    simPort,
    dataDir: path.resolve(stringVar(env, 'DATA_DIR') ?? './.data'),
    databaseUrl: urlVar(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    clickhouseUrl: urlVar(env, 'CLICKHOUSE_URL', ['http:', 'https:']),
    mediaS3Url: urlVar(env, 'MEDIA_S3_URL', ['s3:', 'http:', 'https:']),
    waDriver,
    simulatorUrl: urlVar(env, 'SIMULATOR_URL', ['http:', 'https:']) ?? `http://127.0.0.1:${simPort}`,
    projectorPort,
    projectorUrl: urlVar(env, 'PROJECTOR_URL', ['http:', 'https:']) ?? `http://127.0.0.1:${projectorPort}`,
    analyticsPort,
    analyticsUrl: urlVar(env, 'ANALYTICS_URL', ['http:', 'https:']) ?? `http://127.0.0.1:${analyticsPort}`,
    apiKey: stringVar(env, 'API_KEY'),
    sessionEncryptionKey: encryptionKeyVar(env, 'SESSION_ENCRYPTION_KEY'),
    webhookAllowPrivate: boolVar(env, 'WEBHOOK_ALLOW_PRIVATE', false),
    webhookTimeoutMs: intVar(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    webhookConcurrency: intVar(env, 'WEBHOOK_CONCURRENCY', 10, 1, 1_000),
    logLevel: enumVar(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: stringVar(env, 'LOG_FORMAT') === undefined ? undefined : enumVar(env, 'LOG_FORMAT', ['json', 'pretty'] as const, 'json'),
    metricsPort: stringVar(env, 'METRICS_PORT') === undefined ? undefined : intVar(env, 'METRICS_PORT', 0, 0, 65535),
    tracing: tracingVars(env),
    sendBurst: intVar(env, 'WA_SEND_BURST', 5, 1, 1_000),
    sendPerMinute: intVar(env, 'WA_SEND_PER_MINUTE', 60, 1, 60_000),
    apiCommandWaitMs: intVar(env, 'API_COMMAND_WAIT_MS', 10_000, 0, 600_000),
    apiCommandTtlMs: intVar(env, 'API_COMMAND_TTL_MS', 300_000, 1_000, 7 * 24 * 3_600_000),
    apiRateLimitPerMinute: intVar(env, 'API_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    apiRateLimitBurst: intVar(env, 'API_RATE_LIMIT_BURST', 100, 1, 1_000_000),
    apiBodyLimitBytes: intVar(env, 'API_BODY_LIMIT_MB', 70, 1, 2_048) * MB,
    mediaMaxBytes: intVar(env, 'MEDIA_MAX_MB', 50, 1, 2_048) * MB,
  };
}

function tracingVars(env: Env): Config['tracing'] {
  const disabled = boolVar(env, 'OTEL_SDK_DISABLED', false);
  const exporter = stringVar(env, 'OTEL_TRACES_EXPORTER') === undefined ? undefined : enumVar(env, 'OTEL_TRACES_EXPORTER', ['otlp', 'none'] as const, 'none');
  const endpoints = [urlVar(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', ['http:', 'https:']), urlVar(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:'])];
  const enabled = !disabled && (exporter === 'otlp' || (exporter === undefined && endpoints.some((url) => url !== undefined)));
  return { enabled, serviceName: stringVar(env, 'OTEL_SERVICE_NAME') };
}

function invalid(name: string, message: string): WaError {
  return new WaError('INVALID_CONFIG', `${name} ${message}`, { field: name });
}

function stringVar(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = stringVar(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw invalid(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw invalid(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = stringVar(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw invalid(name, `must be true or false, got "${raw}"`);
}

function enumVar<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = stringVar(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw invalid(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function urlVar(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = stringVar(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(name, 'must be a URL');
  }
  if (!protocols.includes(url.protocol)) {
    throw invalid(name, `must use one of ${protocols.join(', ')}`);
  }
  return raw;
}

function brokersVar(env: Env): string[] {
  const raw = stringVar(env, 'KAFKA_BROKERS') ?? '127.0.0.1:9092';
  const brokers = raw.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (brokers.length === 0) throw invalid('KAFKA_BROKERS', 'must list at least one host:port');
  for (const broker of brokers) {
    const match = /^(.+):(\d{1,5})$/.exec(broker);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
      throw invalid('KAFKA_BROKERS', `must be a comma-separated list of host:port, got "${broker}"`);
    }
  }
  return brokers;
}

// The key is a secret: the error message never echoes the value.
function encryptionKeyVar(env: Env, name: string): Buffer | undefined {
  const raw = stringVar(env, name);
  if (raw === undefined) return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    throw invalid(name, 'must be 32 bytes, given as 64 hex characters or base64');
  }
  return key;
}
