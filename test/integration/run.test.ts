import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testBrokers, waitFor } from '../helpers/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '../../services/cli/index.js');

describe('start all', () => {
  it('bootstraps Kafka, keeps running, and exits cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [cli, 'start', 'all'], {
      env: { ...process.env, KAFKA_BROKERS: testBrokers().join(','), LOG_LEVEL: 'info', METRICS_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let exitedEarly = false;
    void exited.then(() => (exitedEarly = true));
    await waitFor(() => output.includes('supervising roles') || exitedEarly, 'the supervisor to start');
    assert.equal(exitedEarly, false, `start all exited by itself:\n${output}`);
    assert.match(output, /kafka bootstrapped/);
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  });
});
