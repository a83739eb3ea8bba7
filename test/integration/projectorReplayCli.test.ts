import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { READ_MODEL_NAMES } from '../../projections/replay/index.js';
import { runCliProcess, testBrokers } from '../helpers/index.js';


const run = runCliProcess;

describe('wa-backbone replay --model', { timeout: 120_000 }, () => {
  it('refuses an unknown read model with exit 2, listing the read models', async () => {
    const result = await run(['replay', '--model', 'chat']);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /unknown read model "chat"/);
    for (const name of [...READ_MODEL_NAMES, 'analytics']) assert.ok(result.stderr.includes(name), name);
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

  it('rebuilds the analytics tables (chDB in DATA_DIR) and swaps them in', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'replay-analytics-'));
    try {
      const env = { KAFKA_BROKERS: testBrokers().join(','), DATA_DIR: dataDir };
      assert.equal((await run(['topics', 'create'], env)).code, 0);
      const result = await run(['replay', '--model', 'analytics'], env);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /^done [\d,]+ \/ [\d,]+ events/m);
      assert.match(result.stdout, /rebuilt [\d,]+ events into chdb analytics in/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
