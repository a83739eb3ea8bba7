import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.js';
import { WaError } from './WaError.js';

function rejects(env: Record<string, string>, field: string): void {
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => error instanceof WaError && error.code === 'INVALID_CONFIG' && error.field === field && error.message.includes(field),
  );
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.deepEqual(config.kafkaBrokers, ['127.0.0.1:9092']);
    assert.equal(config.kafkaPartitions, 12);
    assert.equal(config.simPort, 3100);
    assert.equal(config.waDriver, 'baileys');
    assert.equal(config.simulatorUrl, 'http://127.0.0.1:3100');
    assert.equal(config.projectorUrl, 'http://127.0.0.1:3200');
    assert.equal(config.analyticsPort, 3300);
    assert.equal(config.analyticsUrl, 'http://127.0.0.1:3300');
    assert.equal(config.clickhouseUrl, undefined);
    assert.equal(config.webhookAllowPrivate, false);
    assert.equal(config.databaseUrl, undefined);
    assert.match(config.dataDir, /\.data$/);
    assert.equal(config.sendBurst, 5);
    assert.equal(config.sendPerMinute, 60);
    assert.equal(config.apiCommandWaitMs, 10_000);
    assert.equal(config.apiCommandTtlMs, 300_000);
    assert.equal(config.apiRateLimitPerMinute, 600);
    assert.equal(config.apiRateLimitBurst, 100);
    assert.equal(config.apiBodyLimitBytes, 70 * 1024 * 1024);
    assert.equal(config.mediaMaxBytes, 50 * 1024 * 1024);
    assert.equal(config.metricsPort, undefined, "unset: each role's own default port");
    assert.equal(config.logFormat, undefined, 'unset: pretty on a terminal, JSON otherwise');
  });

  it('parses every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      KAFKA_PARTITIONS: '24',
      SIM_PORT: '4100',
      DATA_DIR: '/var/lib/wa',
      DATABASE_URL: 'postgres://u:p@db:5432/wa',
      CLICKHOUSE_URL: 'http://ch:8123',
      ANALYTICS_PORT: '4300',
      WA_DRIVER: 'simulator',
      API_KEY: 'admin-key',
      SESSION_ENCRYPTION_KEY: 'ab'.repeat(32),
      WEBHOOK_ALLOW_PRIVATE: 'true',
      NODE_ENV: 'production',
      WA_SEND_BURST: '3',
      WA_SEND_PER_MINUTE: '20',
      API_COMMAND_WAIT_MS: '0',
      API_COMMAND_TTL_MS: '60000',
      API_RATE_LIMIT_PER_MINUTE: '120',
      API_RATE_LIMIT_BURST: '10',
      API_BODY_LIMIT_MB: '100',
      MEDIA_MAX_MB: '64',
      METRICS_PORT: '9100',
      LOG_FORMAT: 'json',
    });
    assert.equal(config.port, 8080);
    assert.deepEqual(config.kafkaBrokers, ['k1:9092', 'k2:9093']);
    assert.equal(config.kafkaPartitions, 24);
    assert.equal(config.simulatorUrl, 'http://127.0.0.1:4100');
    assert.equal(config.dataDir, '/var/lib/wa');
    assert.equal(config.clickhouseUrl, 'http://ch:8123');
    assert.equal(config.analyticsPort, 4300);
    assert.equal(config.analyticsUrl, 'http://127.0.0.1:4300', 'the analytics URL follows ANALYTICS_PORT');
    assert.equal(loadConfig({ ANALYTICS_URL: 'http://analytics:3300' }).analyticsUrl, 'http://analytics:3300');
    assert.equal(config.waDriver, 'simulator');
    assert.equal(config.sessionEncryptionKey?.length, 32);
    assert.equal(config.webhookAllowPrivate, true);
    assert.equal(config.production, true);
    assert.equal(config.sendBurst, 3);
    assert.equal(config.sendPerMinute, 20);
    assert.equal(config.apiCommandWaitMs, 0, 'a zero wait answers every command with 202');
    assert.equal(config.apiCommandTtlMs, 60_000);
    assert.equal(config.apiRateLimitPerMinute, 120);
    assert.equal(config.apiRateLimitBurst, 10);
    assert.equal(config.apiBodyLimitBytes, 100 * 1024 * 1024);
    assert.equal(config.mediaMaxBytes, 64 * 1024 * 1024);
    assert.equal(config.metricsPort, 9100);
    assert.equal(loadConfig({ METRICS_PORT: '0' }).metricsPort, 0, '0: any free port');
    assert.equal(config.logFormat, 'json');
    assert.equal(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
  });

  it('names the variable of every bad value', () => {
    rejects({ PORT: 'http' }, 'PORT');
    rejects({ PORT: '70000' }, 'PORT');
    rejects({ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS');
    rejects({ KAFKA_PARTITIONS: '0' }, 'KAFKA_PARTITIONS');
    rejects({ WA_DRIVER: 'whatsmeow' }, 'WA_DRIVER');
    rejects({ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL');
    rejects({ ANALYTICS_PORT: '0' }, 'ANALYTICS_PORT');
    rejects({ ANALYTICS_URL: 'ftp://analytics' }, 'ANALYTICS_URL');
    rejects({ WEBHOOK_ALLOW_PRIVATE: 'maybe' }, 'WEBHOOK_ALLOW_PRIVATE');
    rejects({ SESSION_ENCRYPTION_KEY: 'short' }, 'SESSION_ENCRYPTION_KEY');
    rejects({ WA_SEND_BURST: '0' }, 'WA_SEND_BURST');
    rejects({ WA_SEND_PER_MINUTE: 'fast' }, 'WA_SEND_PER_MINUTE');
    rejects({ API_COMMAND_WAIT_MS: '-1' }, 'API_COMMAND_WAIT_MS');
    rejects({ API_COMMAND_TTL_MS: '10' }, 'API_COMMAND_TTL_MS');
    rejects({ API_RATE_LIMIT_PER_MINUTE: '0' }, 'API_RATE_LIMIT_PER_MINUTE');
    rejects({ API_RATE_LIMIT_BURST: 'lots' }, 'API_RATE_LIMIT_BURST');
    rejects({ API_BODY_LIMIT_MB: '0' }, 'API_BODY_LIMIT_MB');
    rejects({ MEDIA_MAX_MB: '1.5' }, 'MEDIA_MAX_MB');
    rejects({ METRICS_PORT: '65536' }, 'METRICS_PORT');
    rejects({ METRICS_PORT: 'prometheus' }, 'METRICS_PORT');
    rejects({ LOG_FORMAT: 'xml' }, 'LOG_FORMAT');
  });

  it('never echoes a secret in its error', () => {
    const secret = 'not-a-valid-key-but-secret';
    assert.throws(() => loadConfig({ SESSION_ENCRYPTION_KEY: secret }), (error: Error) => !error.message.includes(secret));
  });
});
