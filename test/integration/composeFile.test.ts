import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { defaultSchemasDir } from '../../schemas/index.js';
import { ROLE_REGISTRY, ROLES } from '../../services/cli/roles.js';
import { ENVIRONMENT_VARIABLES, loadConfig } from '../../services/shared/index.js';

const read = (path: string): string => readFileSync(join(dirname(defaultSchemasDir()), path), 'utf8');

/** What a user's infra/.env holds (compose.env.example filled in). */
const USER_ENV: Record<string, string> = {
  API_KEY: 'a'.repeat(40),
  SESSION_ENCRYPTION_KEY: 'ab'.repeat(32),
  POSTGRES_PASSWORD: 'pg-secret',
  CLICKHOUSE_PASSWORD: 'ch-secret',
  CONNECTORS: '3',
};

/** Compose's interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `$$`. */
function interpolate(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (whole === '$$') return '$';
      const set = env[name!];
      const empty = set === undefined || (op?.startsWith(':') === true && set === '');
      if (op === ':-' || op === '-') return empty ? arg! : set!;
      if (op === ':?' || op === '?') {
        if (empty) throw new Error(`required variable ${name}: ${arg}`);
        return set!;
      }
      return set ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, env)]));
  return value;
}

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: string | number };
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
}

function loadCompose(env: Record<string, string>): { services: Record<string, Service> } & Record<string, unknown> {
  return interpolate(parse(read('infra/compose.yaml'), { merge: true }), env) as { services: Record<string, Service> };
}

describe('infra/compose.yaml', () => {
  const compose = loadCompose(USER_ENV);
  const roles = Object.entries(compose.services).filter(([, service]) => service.image === 'wa-backbone:latest');

  it('is a valid Compose file: the Compose Specification schema docker compose validates against', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    const schema = JSON.parse(read('test/fixtures/compose-spec/compose-spec.json')) as object;
    const validate = ajv.compile(schema);
    // Extension fields (x-*) hold the anchors; compose drops them before use.
    const valid = validate(compose);
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
    // And the schema can fail: a misspelt key is refused.
    assert.equal(validate({ ...compose, services: { ...compose.services, api: { ...compose.services.api, restrat: 'always' } } }), false);
  });

  it('refuses to start without the secrets, naming each', () => {
    assert.throws(() => loadCompose({ ...USER_ENV, API_KEY: '' }), /required variable API_KEY/);
    assert.throws(() => loadCompose({ ...USER_ENV, SESSION_ENCRYPTION_KEY: '' }), /required variable SESSION_ENCRYPTION_KEY/);
  });

  it('runs every Kafka role as its own service from the one image, connectors scaled', () => {
    const started = roles.map(([, service]) => service.command?.join(' ')).sort();
    const expected = ROLES.filter((role) => role !== 'simulator').map((role) => `start ${role}`).sort();
    assert.deepEqual(started, expected);
    assert.equal(String(compose.services.connector?.deploy?.replicas), USER_ENV.CONNECTORS);
    for (const name of ['kafka', 'postgres', 'clickhouse']) assert.ok(compose.services[name]?.healthcheck, `${name} has a health check`);
  });

  it('sets only variables the code reads, and the code reads exactly the documented list', () => {
    // The list is what loadConfig reads: every name it looks up, and nothing else.
    const readByConfig = [...read('services/shared/config.ts').matchAll(/Var\(env, '([A-Z0-9_]+)'/g)].map((match) => match[1]!);
    assert.deepEqual([...new Set([...readByConfig, 'NODE_ENV'])].sort(), [...ENVIRONMENT_VARIABLES].sort());
    for (const [name, service] of roles) {
      for (const variable of Object.keys(service.environment ?? {})) {
        assert.ok((ENVIRONMENT_VARIABLES as readonly string[]).includes(variable), `${name} sets ${variable}, which the code never reads`);
      }
    }
  });

  it("gives every role a configuration it accepts, the stores it needs, and secrets only where they are used", () => {
    const needs: Record<string, string[]> = {
      api: ['API_KEY', 'SESSION_ENCRYPTION_KEY', 'DATABASE_URL', 'CLICKHOUSE_URL'],
      connector: ['SESSION_ENCRYPTION_KEY'],
      projector: ['DATABASE_URL'],
      analytics: ['CLICKHOUSE_URL'],
      webhooks: ['SESSION_ENCRYPTION_KEY'],
    };
    const secrets = ['API_KEY', 'SESSION_ENCRYPTION_KEY', 'DATABASE_URL', 'CLICKHOUSE_URL'];
    for (const [name, service] of roles) {
      const environment = Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, value === null ? '' : String(value)]));
      const config = loadConfig(environment);
      assert.equal(config.production, true, name);
      assert.deepEqual(config.kafkaBrokers, ['kafka:9092'], name);
      for (const variable of needs[name] ?? []) assert.ok(environment[variable], `${name} gets ${variable}`);
      for (const variable of secrets) {
        if (!(needs[name] ?? []).includes(variable)) assert.equal(environment[variable], undefined, `${name} does not get ${variable}`);
      }
      // The health check asks the role's own ops server.
      assert.match(service.healthcheck?.test.join(' ') ?? '', new RegExp(`127\\.0\\.0\\.1:${config.metricsPort}/readyz`), name);
      assert.ok(config.metricsPort !== undefined && config.metricsPort > 0, `${name} sets METRICS_PORT, so one port fits every container and Prometheus`);
    }
    assert.equal(loadConfig({ DATABASE_URL: String(compose.services.projector?.environment?.DATABASE_URL) }).databaseUrl, `postgres://wa:${USER_ENV.POSTGRES_PASSWORD}@postgres:5432/wa`);
    assert.ok(ROLE_REGISTRY.api.metricsPort > 0);
  });

  it('the example env file names every variable the compose file requires or offers', () => {
    const offered = new Set([...read('infra/compose.yaml').matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1]!));
    const example = new Set([...read('infra/compose.env.example').matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]!));
    for (const required of [...read('infra/compose.yaml').matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((match) => match[1]!)) {
      assert.ok(example.has(required), `compose.env.example has ${required}`);
    }
    for (const name of example) assert.ok(offered.has(name), `compose.yaml reads ${name}`);
  });
});
