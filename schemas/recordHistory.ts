import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assessSchemas } from './checkCompatibility.js';
import type { CompatibilityOptions, CompatibilityProblem } from './checkCompatibility.js';
import { readHistory } from './readHistory.js';
import type { SchemaRegistry } from './SchemaRegistry.js';

/** A version written to the history by `recordHistory`. */
export interface RecordedVersion {
  readonly name: string;
  readonly version: number;
  readonly fingerprint: string;
  /** Path relative to the history folder. */
  readonly file: string;
}

export interface RecordResult {
  readonly recorded: readonly RecordedVersion[];
  /** When not empty, nothing was recorded. */
  readonly problems: readonly CompatibilityProblem[];
}

/**
 * Records the current version of every changed writer schema as `<name>/<n+1>.avsc`, but only
 * if every one of them can read all its recorded versions; otherwise records nothing.
 */
export function recordHistory(registry: SchemaRegistry, historyDir: string, options: CompatibilityOptions = {}): RecordResult {
  const assessments = assessSchemas(registry, readHistory(historyDir), options.names ?? []);
  const problems = assessments.flatMap((a) => a.incompatibilities);
  if (problems.length > 0) return { recorded: [], problems };
  const recorded: RecordedVersion[] = [];
  for (const a of assessments) {
    if (!a.unrecorded || !a.current) continue;
    const version = a.versions.length + 1;
    const file = `${a.name}/${version}.avsc`;
    mkdirSync(join(historyDir, a.name), { recursive: true });
    // 'wx': never overwrite a released version, even if two locks race.
    writeFileSync(join(historyDir, file), `${JSON.stringify(a.current.schema, null, 2)}\n`, { flag: 'wx' });
    recorded.push({ name: a.name, version, fingerprint: a.current.fingerprintHex, file });
  }
  return { recorded, problems: [] };
}
