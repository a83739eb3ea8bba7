import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { READ_MODEL_NAMES } from '../../projections/replay/index.js';
import { testBrokers } from '../helpers/index.js';

// The CLI of the same build as this test (dist/, or a helper's own output folder).
const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../services/cli/index.js');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('wa-backbone replay --model', { timeout: 120_000 }, () => {
  it('refuses an unknown read model with exit 2, listing the read models', async () => {
    const result = await run(['replay', '--model', 'chat']);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /unknown read model "chat"/);
    for (const name of READ_MODEL_NAMES) assert.ok(result.stderr.includes(name), name);
    assert.equal((await run(['replay', '--model'])).code, 2);
    assert.equal((await run(['replay', '--everything'])).code, 2);
  });

  it('rebuilds one read model of a PGlite store alone and says which tables it swapped in', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'replay-model-'));
    try {
      const env = { KAFKA_BROKERS: testBrokers().join(','), DATA_DIR: dataDir };
      assert.equal((await run(['topics', 'create'], env)).code, 0);
      // No live read models yet: a single model has nothing to be swapped into.
      const early = await run(['replay', '--model', 'labels'], env);
      assert.equal(early.code, 1, early.stdout + early.stderr);
      assert.match(early.stderr, /no live read models/);
      assert.equal((await run(['replay'], env)).code, 0);
      const result = await run(['replay', '--model', 'chats'], env);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /rebuilt [\d,]+ events into messages \+ chats in/);
      assert.match(result.stdout, /^done [\d,]+ \/ [\d,]+ events/m);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
