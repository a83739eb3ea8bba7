import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectorSuite } from '../../projections/runner/testing/index.js';
import { PostgresStore } from '../../projections/store/index.js';
import { freePort, testLogger } from '../helpers/index.js';

const run = promisify(execFile);

/**
 * A real PostgreSQL server: DATABASE_URL when the suite runs under test/with-postgres.sh (CI),
 * else a throwaway one started here with the same script. Every store is a schema of its own.
 */
async function postgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const given = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (given) return { url: given, stop: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'wa-postgres-'));
  // The server runs as the postgres user when the tests run as root: it must reach its data dir.
  await chmod(dir, 0o755);
  const dataDir = join(dir, 'data');
  const { stdout } = await run('bash', ['infra/postgres/start.sh', String(await freePort()), dataDir]);
  return {
    url: stdout.trim(),
    stop: async () => {
      await run('bash', ['infra/postgres/stop.sh', dataDir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

projectorSuite(async () => {
  const server = await postgres();
  const prefix = `t_${randomBytes(4).toString('hex')}`;
  const schemas = new Set<string>();
  return {
    engine: 'postgres',
    open: (name, given) => {
      const schema = given ?? `${prefix}_${name}`;
      schemas.add(schema);
      return PostgresStore.open({ url: server.url, schema, logger: testLogger() });
    },
    cleanup: async () => {
      const admin = await PostgresStore.open({ url: server.url, schema: 'public', logger: testLogger() });
      try {
        for (const schema of schemas) await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.close();
        await server.stop();
      }
    },
  };
});
