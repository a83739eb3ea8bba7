// Lists the failed tests of node:test TAP reports, so the last lines a CI run prints say which
// tests failed and why, whatever ran after them.
//   usage: node dist/test/failedTests.js <report.tap> [...]
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** One failed test: where it is, its suites and name, and the first lines of its error. */
export interface FailedTest {
  readonly names: readonly string[];
  readonly location: string;
  readonly error: string;
}

const INDENT = 4;
const ERROR_LINES = 6;

/** The failed tests of one TAP report; suites that failed only through their tests are left out. */
export function failedTests(tap: string): FailedTest[] {
  const lines = tap.split('\n');
  const names: string[] = [];
  const failed: FailedTest[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const subtest = /^( *)# Subtest: (.*)$/.exec(line);
    if (subtest) {
      const depth = subtest[1]!.length / INDENT;
      names.length = depth;
      names[depth] = subtest[2]!;
      continue;
    }
    const notOk = /^( *)not ok \d+ - (.*?)(?: # .*)?$/.exec(line);
    if (!notOk) continue;
    const depth = notOk[1]!.length / INDENT;
    const block = diagnostics(lines, i + 1, notOk[1]!.length + 2);
    if (block.get('failureType') === 'subtestsFailed') continue;
    failed.push({
      names: [...names.slice(0, depth), notOk[2]!],
      location: block.get('location') ?? '',
      error: block.get('error') ?? block.get('failureType') ?? '',
    });
  }
  return failed;
}

/** The YAML diagnostics that follow a result line: single-line values and `|-` blocks. */
function diagnostics(lines: readonly string[], start: number, indent: number): Map<string, string> {
  const values = new Map<string, string>();
  const pad = ' '.repeat(indent);
  if (lines[start] !== `${pad}---`) return values;
  for (let i = start + 1; i < lines.length && lines[i] !== `${pad}...`; i++) {
    const entry = new RegExp(`^${pad}(\\w+): (.*)$`).exec(lines[i]!);
    if (!entry) continue;
    const [, key, value] = entry as unknown as [string, string, string];
    if (value !== '|-') {
      values.set(key, unquote(value));
      continue;
    }
    const body: string[] = [];
    while (i + 1 < lines.length && lines[i + 1]!.startsWith(`${pad}  `)) body.push(lines[++i]!.slice(indent + 2));
    values.set(key, body.join('\n').trim());
  }
  return values;
}

function unquote(value: string): string {
  if (/^'.*'$/.test(value)) return value.slice(1, -1).replaceAll("''", "'");
  if (/^".*"$/.test(value)) return JSON.parse(value) as string;
  return value;
}

/** The report a CI log ends with: one paragraph per failed test. */
export function describeFailures(failed: readonly FailedTest[]): string {
  return failed
    .map((test) => {
      const error = test.error.split('\n').filter((line) => line.trim() !== '').slice(0, ERROR_LINES);
      return [`✖ ${test.names.join(' › ')}`, `  at ${test.location}`, ...error.map((line) => `  ${line}`)].join('\n');
    })
    .join('\n\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const reports = process.argv.slice(2).filter((file) => existsSync(file));
  const failed = reports.flatMap((file) => failedTests(readFileSync(file, 'utf8')));
  if (failed.length > 0) console.log(`\n${failed.length} failed test(s):\n\n${describeFailures(failed)}\n`);
}
