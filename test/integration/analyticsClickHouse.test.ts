import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openClickHouse } from '../../projections/analytics/index.js';
import { analyticsSuite } from '../../projections/analytics/testing/index.js';
import { freePort } from '../helpers/index.js';

const run = promisify(execFile);

/**
 * A real ClickHouse server (Debian's 18.16 in CI): TEST_CLICKHOUSE_URL when given, else a
 * throwaway one started here with infra/clickhouse. Every test writes a database of its own.
 */
analyticsSuite(async () => {
  const given = process.env.TEST_CLICKHOUSE_URL;
  if (given) return { engine: 'clickhouse', open: async () => openClickHouse(given), cleanup: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'wa-clickhouse-'));
  // The server runs as the clickhouse user when the tests run as root: it must reach its data dir.
  await chmod(dir, 0o755);
  const dataDir = join(dir, 'data');
  const { stdout } = await run('bash', ['infra/clickhouse/start.sh', String(await freePort()), dataDir]);
  const url = stdout.trim();
  return {
    engine: 'clickhouse',
    open: async () => openClickHouse(url),
    cleanup: async () => {
      await run('bash', ['infra/clickhouse/stop.sh', dataDir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
});
