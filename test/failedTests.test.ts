import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeFailures, failedTests } from './failedTests.js';

const run = promisify(execFile);

const SUBJECT = `
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
describe('outer suite', () => {
  it('passes', () => {});
  describe('inner', () => {
    it('compares', () => { assert.equal(1, 2, "one isn't two"); });
  });
});
it('throws', async () => { throw new Error('first line\\nsecond line'); });
it('passes too', () => {});
`;

/** The TAP report node:test writes for the given test files. */
async function reportOf(files: Record<string, string>): Promise<{ tap: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'failed-tests-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const report = join(dir, 'report.tap');
  const args = ['--test', '--test-reporter=tap', `--test-reporter-destination=${report}`, ...Object.keys(files)];
  // Without node:test's own context, the child writes its report rather than streaming it to this run.
  const env = { ...process.env, NODE_TEST_CONTEXT: undefined };
  await run(process.execPath, args, { cwd: dir, env }).catch(() => undefined);
  return { tap: await readFile(report, 'utf8'), dir };
}

describe('failedTests: what a CI log ends with', () => {
  it('names each failed test with its suites, its location and its error, and leaves passing tests and suites out', async () => {
    const { tap, dir } = await reportOf({ 'a.test.mjs': SUBJECT, 'b.test.mjs': "import { it } from 'node:test'; it('fine', () => {});" });
    try {
      const failed = failedTests(tap);
      assert.deepEqual(
        failed.map((test) => [test.names.join(' › '), test.location.replace(`${dir}/`, '')]),
        [
          ['outer suite › inner › compares', 'a.test.mjs:7:5'],
          ['throws', 'a.test.mjs:10:1'],
        ],
      );
      assert.match(failed[0]!.error, /one isn't two/);
      assert.equal(failed[1]!.error, 'first line\nsecond line');
      assert.match(describeFailures(failed), /^✖ outer suite › inner › compares\n {2}at .*a\.test\.mjs:7:5\n {2}one isn't two\n {2}1 !== 2\n\n✖ throws/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a test file that does not load', async () => {
    const { tap, dir } = await reportOf({ 'broken.test.mjs': "import './missing.mjs';" });
    try {
      const failed = failedTests(tap);
      assert.equal(failed.length, 1);
      assert.match(failed[0]!.names.join(' '), /broken\.test\.mjs/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds nothing in a report where everything passed', async () => {
    const { tap, dir } = await reportOf({ 'b.test.mjs': "import { it } from 'node:test'; it('fine', () => {});" });
    try {
      assert.match(tap, /^ok 1 - fine$/m);
      assert.deepEqual(failedTests(tap), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
