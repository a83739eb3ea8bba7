import type { CompiledSchema } from './compileSchema.js';
import { readHistory } from './readHistory.js';
import type { HistoricalSchema } from './readHistory.js';
import { resolutionProblems } from './resolutionProblems.js';
import type { SchemaRegistry } from './SchemaRegistry.js';

/** One reason a schema change is refused; `version` is the recorded version concerned, if any. */
export interface CompatibilityProblem {
  readonly schema: string;
  readonly version: number | null;
  readonly reason: string;
}

export interface CompatibilityReport {
  /** Full names of the writer schemas that were checked. */
  readonly checked: readonly string[];
  /** Anything here fails `schemas check`. */
  readonly problems: readonly CompatibilityProblem[];
  /** Worth knowing, not failing: e.g. consumers still on the latest release cannot read the new version. */
  readonly warnings: readonly CompatibilityProblem[];
}

export interface CompatibilityOptions {
  /** Writer schemas to check besides the top-level ones (e.g. every topic's value schema). */
  readonly names?: readonly string[];
}

/** What is known about one writer schema: its recorded versions and its current state. */
export interface SchemaAssessment {
  readonly name: string;
  readonly versions: readonly HistoricalSchema[];
  /** Null when no current schema file defines it any more. */
  readonly current: CompiledSchema | null;
  /** Reasons the current schema cannot be released (it cannot read a recorded version...). */
  readonly incompatibilities: readonly CompatibilityProblem[];
  /** True when the current schema differs from the latest recorded version (or none is recorded). */
  readonly unrecorded: boolean;
  readonly warnings: readonly CompatibilityProblem[];
}

/**
 * Checks that every writer schema can read all data written by each of its recorded
 * versions (backward transitive compatibility), and that its current version is recorded.
 */
export function checkCompatibility(registry: SchemaRegistry, historyDir: string, options: CompatibilityOptions = {}): CompatibilityReport {
  const assessments = assessSchemas(registry, readHistory(historyDir), options.names ?? []);
  const problems: CompatibilityProblem[] = [];
  for (const a of assessments) {
    problems.push(...a.incompatibilities);
    if (a.unrecorded && a.current) {
      const latest = a.versions.at(-1);
      const reason = latest
        ? `changed since version ${latest.version} (fingerprint ${latest.compiled.fingerprintHex} -> ${a.current.fingerprintHex}) but not recorded: run \`schemas lock\``
        : `not recorded yet (fingerprint ${a.current.fingerprintHex}): run \`schemas lock\``;
      problems.push({ schema: a.name, version: null, reason });
    }
  }
  return { checked: assessments.map((a) => a.name), problems, warnings: assessments.flatMap((a) => a.warnings) };
}

/** Compares each writer schema (top-level, asked for, or recorded) with its recorded versions. */
export function assessSchemas(
  registry: SchemaRegistry,
  history: readonly HistoricalSchema[],
  extraNames: readonly string[],
): SchemaAssessment[] {
  const names = [...new Set([...registry.listTopLevel(), ...extraNames, ...history.map((h) => h.name)])].sort();
  return names.map((name) => {
    const versions = history.filter((h) => h.name === name);
    if (!registry.has(name)) {
      const reason =
        versions.length === 0
          ? 'is asked for as a writer schema, but no schema file defines it'
          : `has ${versions.length} recorded version(s) but no schema file defines it any more; records written with it could no longer be read (a breaking change needs a new .v2 topic and schema name)`;
      return { name, versions, current: null, incompatibilities: [{ schema: name, version: null, reason }], unrecorded: false, warnings: [] };
    }
    const current = registry.compile(name);
    const incompatibilities = versions.flatMap((v) =>
      resolutionProblems(current.type, v.compiled.type).map((reason) => ({
        schema: name,
        version: v.version,
        reason: `cannot read data written by version ${v.version}: ${reason}`,
      })),
    );
    const latest = versions.at(-1);
    const unrecorded = latest?.compiled.fingerprintHex !== current.fingerprintHex;
    // Forward compatibility matters during a rolling deploy, when consumers still on the latest
    // release receive records from producers already on the new one.
    const warnings =
      latest && unrecorded
        ? resolutionProblems(latest.compiled.type, current.type).map((reason) => ({
            schema: name,
            version: latest.version,
            reason: `consumers still on version ${latest.version} cannot read all records of the new version: ${reason}`,
          }))
        : [];
    return { name, versions, current, incompatibilities, unrecorded, warnings };
  });
}
