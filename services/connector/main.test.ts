import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLogger, loadConfig, WaError } from '../shared/index.js';
import { sessionKey } from '../shared/secrets/index.js';

const logger = createLogger('test', 'silent');

describe('session encryption key at start', () => {
  it('given production without SESSION_ENCRYPTION_KEY, then the connector refuses to start and names the variable', async () => {
    const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: tmpdir() });
    await assert.rejects(sessionKey(config, logger), (error: unknown) => error instanceof WaError && error.code === 'INVALID_CONFIG' && error.field === 'SESSION_ENCRYPTION_KEY');
  });

  it('given a key in the environment, then that key is used', async () => {
    const config = loadConfig({ SESSION_ENCRYPTION_KEY: 'cd'.repeat(32) });
    assert.equal((await sessionKey(config, logger)).toString('hex'), 'cd'.repeat(32));
  });

  it('given development without a key, then one key is generated once into DATA_DIR, readable by the owner only, and reused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wa-key-'));
    try {
      const config = loadConfig({ DATA_DIR: dir });
      const first = await sessionKey(config, logger);
      const second = await sessionKey(config, logger);
      assert.equal(first.length, 32);
      assert.deepEqual(second, first);
      assert.equal((await stat(join(dir, 'connector', 'dev-session-key'))).mode & 0o777, 0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
