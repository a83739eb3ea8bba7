import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../shared/index.js';
import { Supervisor } from './supervisor.js';

const logger = createLogger('test', 'silent');
const fastRestart = { initialMs: 10, maxMs: 20, factor: 2, jitter: 0 };

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// A child that fails on its first run, then runs until SIGTERM and records that it drained.
const FLAKY_CHILD = `
const fs = require('node:fs');
const dir = process.argv[1];
const runs = fs.existsSync(dir + '/runs') ? Number(fs.readFileSync(dir + '/runs', 'utf8')) : 0;
fs.writeFileSync(dir + '/runs', String(runs + 1));
if (runs === 0) process.exit(3);
process.on('SIGTERM', () => { fs.writeFileSync(dir + '/drained', 'yes'); process.exit(0); });
setInterval(() => {}, 1000);
`;

describe('Supervisor', () => {
  it('restarts a child that exits and drains it with SIGTERM on stop', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'supervisor-'));
    const supervisor = new Supervisor({ logger, restartBackoff: fastRestart });
    supervisor.add({ name: 'flaky', command: process.execPath, args: ['-e', FLAKY_CHILD, dir] });
    await until(() => existsSync(path.join(dir, 'runs')) && readFileSync(path.join(dir, 'runs'), 'utf8') === '2', 'the restart');
    await supervisor.stop();
    assert.equal(readFileSync(path.join(dir, 'drained'), 'utf8'), 'yes');
  });

  it('kills a child that ignores SIGTERM after the stop timeout', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'supervisor-'));
    const supervisor = new Supervisor({ logger, stopTimeoutMs: 200 });
    supervisor.add({
      name: 'stubborn',
      command: process.execPath,
      args: [
        '-e',
        "process.on('SIGTERM', () => {}); require('node:fs').writeFileSync(process.argv[1] + '/up', ''); setInterval(() => {}, 1000);",
        dir,
      ],
    });
    const pid = supervisor.pidOf('stubborn')!;
    await until(() => existsSync(path.join(dir, 'up')), 'the child to ignore SIGTERM');
    await supervisor.stop();
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
  });
});
