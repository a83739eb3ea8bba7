import { checkCompatibility } from './checkCompatibility.js';
import type { CompatibilityProblem } from './checkCompatibility.js';
import { CodecError } from './CodecError.js';
import { defaultHistoryDir, defaultSchemasDir } from './defaultSchemasDir.js';
import { readHistory } from './readHistory.js';
import { recordHistory } from './recordHistory.js';
import { SchemaRegistry } from './SchemaRegistry.js';

export interface SchemasCommandOptions {
  /** Default: the project's `schemas/` (overridden by `--dir`). */
  readonly schemasDir?: string;
  /** Default: `<schemasDir>/history` (overridden by `--history`). */
  readonly historyDir?: string;
  /** Writer schemas to check and record besides the top-level ones (added to by `--schema`). */
  readonly names?: readonly string[];
}

export const SCHEMAS_USAGE = `usage: schemas <check|lock|list> [--dir <schemas folder>] [--history <folder>] [--schema <full.Name>]...
  check  every writer schema can read all its recorded versions, and its current version is recorded
  lock   record the current version of each changed writer schema in the history, if compatible
  list   writer schemas with their fingerprints and recorded versions
`;

interface Output {
  write(text: string): unknown;
}

/** Runs `schemas check|lock|list`, writing a report to `out`; returns the process exit code. */
export function runSchemasCommand(args: readonly string[], out: Output, options: SchemasCommandOptions = {}): number {
  const [command, ...rest] = args;
  let schemasDir = options.schemasDir;
  let historyDir = options.historyDir;
  const names = [...(options.names ?? [])];
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (value === undefined || value.startsWith('--')) return usage(out, `missing value for ${flag}`);
    if (flag === '--dir') schemasDir = value;
    else if (flag === '--history') historyDir = value;
    else if (flag === '--schema') names.push(value);
    else return usage(out, `unknown option ${flag}`);
  }
  if (command === 'help' || command === '--help') {
    out.write(SCHEMAS_USAGE);
    return 0;
  }
  if (command !== 'check' && command !== 'lock' && command !== 'list') return usage(out, command ? `unknown command ${command}` : undefined);

  try {
    const dir = schemasDir ?? defaultSchemasDir();
    const history = historyDir ?? defaultHistoryDir(dir);
    const registry = SchemaRegistry.load(dir);
    switch (command) {
      case 'check':
        return check(registry, history, names, out);
      case 'lock':
        return lock(registry, history, names, out);
      case 'list':
        return list(registry, history, names, out);
    }
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    out.write(`schemas ${command}: ${error.message}\n`);
    return 1;
  }
}

function check(registry: SchemaRegistry, historyDir: string, names: readonly string[], out: Output): number {
  const report = checkCompatibility(registry, historyDir, { names });
  for (const problem of report.problems) out.write(`FAIL ${describe(problem)}\n`);
  for (const warning of report.warnings) out.write(`warn ${describe(warning)}\n`);
  if (report.problems.length > 0) {
    out.write(`schemas check: ${report.problems.length} problem(s) in ${report.checked.length} writer schema(s)\n`);
    return 1;
  }
  out.write(`schemas check: ${report.checked.length} writer schema(s) compatible with their history and recorded\n`);
  return 0;
}

function lock(registry: SchemaRegistry, historyDir: string, names: readonly string[], out: Output): number {
  const result = recordHistory(registry, historyDir, { names });
  for (const problem of result.problems) out.write(`FAIL ${describe(problem)}\n`);
  if (result.problems.length > 0) {
    out.write(`schemas lock: nothing recorded; ${result.problems.length} incompatible change(s)\n`);
    return 1;
  }
  for (const v of result.recorded) out.write(`recorded ${v.name} version ${v.version} (${v.fingerprint}) in ${v.file}\n`);
  out.write(`schemas lock: ${result.recorded.length === 0 ? 'every writer schema already recorded' : `${result.recorded.length} version(s) recorded`}\n`);
  return 0;
}

function list(registry: SchemaRegistry, historyDir: string, names: readonly string[], out: Output): number {
  const history = readHistory(historyDir);
  for (const name of [...new Set([...registry.listTopLevel(), ...names])].sort()) {
    const versions = history.filter((h) => h.name === name).length;
    out.write(`${registry.fingerprintOf(name)}  ${name}  (${registry.fileOf(name)}, ${versions} recorded version(s))\n`);
  }
  return 0;
}

function describe(problem: CompatibilityProblem): string {
  return `${problem.schema}${problem.version === null ? '' : ` (version ${problem.version})`}: ${problem.reason}`;
}

function usage(out: Output, message?: string): number {
  out.write(`${message ? `${message}\n` : ''}${SCHEMAS_USAGE}`);
  return 2;
}
