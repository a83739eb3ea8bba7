import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Type } from 'avsc';
import { CodecError } from './CodecError.js';
import { compileNormalizedSchema } from './compileSchema.js';
import type { CompiledSchema } from './compileSchema.js';
import { defaultSchemasDir } from './defaultSchemasDir.js';
import { inlineSchema, normalizeSchema } from './normalizeSchema.js';
import type { JsonObject, JsonValue, NamedDefinition } from './normalizeSchema.js';

/** One schema file: its path (for messages) and its text. */
export interface SchemaSource {
  readonly path: string;
  readonly text: string;
}

interface Entry {
  readonly file: string;
  readonly definition: NamedDefinition;
}

// Folders under schemas/ that hold something other than the current schemas.
const SKIPPED_DIRS: ReadonlySet<string> = new Set(['history', 'node_modules']);

/**
 * Every named Avro type of the project, one per `.avsc` file, with references across files
 * resolved whatever the file order.
 */
export class SchemaRegistry {
  /** The folder the schemas were loaded from; null when built from sources in memory. */
  readonly dir: string | null;
  private readonly entries: ReadonlyMap<string, Entry>;
  private readonly definitions: ReadonlyMap<string, JsonObject>;
  private readonly usedBy: ReadonlyMap<string, ReadonlySet<string>>;
  private readonly compiled = new Map<string, CompiledSchema>();

  private constructor(dir: string | null, entries: ReadonlyMap<string, Entry>) {
    this.dir = dir;
    this.entries = entries;
    this.definitions = new Map([...entries].map(([name, entry]) => [name, entry.definition.schema]));
    const usedBy = new Map<string, Set<string>>();
    for (const { definition } of entries.values()) {
      for (const used of definition.uses) {
        if (!usedBy.has(used)) usedBy.set(used, new Set());
        usedBy.get(used)!.add(definition.fullName);
      }
    }
    this.usedBy = usedBy;
  }

  /** Loads every `*.avsc` under `dir` (default: the project's `schemas/`), skipping `history/`. */
  static load(dir: string = defaultSchemasDir()): SchemaRegistry {
    if (!existsSync(dir)) throw new CodecError('SCHEMA_NOT_FOUND', `schemas folder ${dir} does not exist`);
    const files = listSchemaFiles(dir);
    return SchemaRegistry.fromSources(
      files.map((file) => ({ path: relative(dir, file).split(sep).join('/'), text: readFileSync(file, 'utf8') })),
      dir,
    );
  }

  /** Builds a registry from schema texts, each holding exactly one named type. */
  static fromSources(sources: readonly SchemaSource[], dir: string | null = null): SchemaRegistry {
    const problems: string[] = [];
    const entries = new Map<string, Entry>();
    for (const source of sources) {
      for (const definition of parseSource(source, problems)) {
        const other = entries.get(definition.fullName);
        if (other) {
          problems.push(`${source.path}: ${definition.fullName} is already defined in ${other.file}`);
          continue;
        }
        entries.set(definition.fullName, { file: source.path, definition });
      }
    }
    problems.push(...missingReferences(entries), ...referenceCycles(entries));
    const registry = problems.length === 0 ? new SchemaRegistry(dir, entries) : null;
    problems.push(...(registry?.avroProblems() ?? []));
    if (problems.length > 0 || !registry) {
      throw new CodecError('INVALID_SCHEMA', `invalid schemas${dir ? ` in ${dir}` : ''}:\n  - ${problems.join('\n  - ')}`);
    }
    return registry;
  }

  /** Full names of every named type, sorted. */
  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** True when a named type of that full name exists. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The file (relative to the schemas folder) that defines a named type. */
  fileOf(name: string): string {
    return this.entry(name).file;
  }

  /** Named types no other type refers to: the natural writer schemas, sorted. */
  listTopLevel(): string[] {
    return this.names().filter((name) => !this.usedBy.has(name));
  }

  /** A named type made self-contained, with its JSON, canonical form, fingerprint and avsc Type. */
  compile(name: string): CompiledSchema {
    const cached = this.compiled.get(name);
    if (cached) return cached;
    const { file } = this.entry(name);
    const compiled = compileNormalizedSchema(name, inlineSchema(name, this.definitions), `${file}: ${name}`);
    this.compiled.set(name, compiled);
    return compiled;
  }

  /** The self-contained schema of a named type (frozen; every used type inlined at first use). */
  schemaOf(name: string): JsonValue {
    return this.compile(name).schema;
  }

  /** The avsc Type of a named type. */
  typeOf(name: string): Type {
    return this.compile(name).type;
  }

  /** Hex of the 8 little-endian bytes of a named type's CRC-64-AVRO fingerprint. */
  fingerprintOf(name: string): string {
    return this.compile(name).fingerprintHex;
  }

  // What avsc refuses (a default that does not match its type...) must fail at load time with
  // the file at fault. Every type is reachable from a top-level one, so building those checks
  // everything; only on failure are the types below tried one by one to find the culprit.
  private avroProblems(): string[] {
    const problems: string[] = [];
    for (const name of this.listTopLevel()) {
      try {
        void this.compile(name).type;
      } catch (error) {
        problems.push(this.culprit(name, new Set()) ?? (error as Error).message);
      }
    }
    return [...new Set(problems)];
  }

  private culprit(name: string, visited: Set<string>): string | undefined {
    visited.add(name);
    for (const used of this.entry(name).definition.uses) {
      const found = visited.has(used) ? undefined : this.culprit(used, visited);
      if (found) return found;
    }
    try {
      void this.compile(name).type;
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) {
      const short = name.slice(name.lastIndexOf('.') + 1);
      const similar = this.names().filter((n) => n.endsWith(`.${short}`) || n === short);
      const hint = similar.length > 0 ? ` (did you mean ${similar.join(' or ')}?)` : '';
      throw new CodecError('SCHEMA_NOT_FOUND', `no schema named ${name}${hint}`);
    }
    return entry;
  }
}

function listSchemaFiles(dir: string, top = true): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!(top && SKIPPED_DIRS.has(name))) files.push(...listSchemaFiles(path, false));
    } else if (name.endsWith('.avsc')) {
      files.push(path);
    }
  }
  return files;
}

function parseSource(source: SchemaSource, problems: string[]): readonly NamedDefinition[] {
  let json: unknown;
  try {
    json = JSON.parse(source.text);
  } catch (error) {
    problems.push(`${source.path}: not valid JSON: ${(error as Error).message}`);
    return [];
  }
  const top = json as { type?: unknown; name?: unknown; namespace?: unknown } | null;
  if (typeof top !== 'object' || top === null || Array.isArray(top) || !['record', 'enum', 'fixed'].includes(top.type as string)) {
    problems.push(`${source.path}: must hold exactly one named type (a record, enum or fixed)`);
    return [];
  }
  if (typeof top.name === 'string' && !top.name.includes('.') && (typeof top.namespace !== 'string' || top.namespace === '')) {
    // A type in the null namespace cannot be referred to from inside a namespace.
    problems.push(`${source.path}: ${top.name} has no namespace; add one (e.g. "namespace": "wa.common")`);
    return [];
  }
  try {
    return normalizeSchema(json).definitions;
  } catch (error) {
    problems.push(`${source.path}: ${(error as Error).message}`);
    return [];
  }
}

function missingReferences(entries: ReadonlyMap<string, Entry>): string[] {
  const problems: string[] = [];
  for (const { file, definition } of entries.values()) {
    for (const used of definition.uses) {
      if (entries.has(used)) continue;
      const short = used.slice(used.lastIndexOf('.') + 1);
      const similar = [...entries.keys()].filter((n) => n.endsWith(`.${short}`));
      const hint = similar.length > 0 ? ` (did you mean ${similar.join(' or ')}?)` : '';
      problems.push(`${file}: ${definition.fullName} refers to ${used}, which no .avsc file defines${hint}`);
    }
  }
  return problems;
}

// Recursive types are legal Avro, but they cannot be flattened into analytics tables and
// several consumers' tools reject them, so the backbone's schemas must not have any.
function referenceCycles(entries: ReadonlyMap<string, Entry>): string[] {
  const problems: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const used of entries.get(name)?.definition.uses ?? []) {
      if (!entries.has(used)) continue;
      if (state.get(used) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(used)), used];
        const key = [...new Set(cycle)].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const path = cycle.map((n) => `${n} (${entries.get(n)!.file})`).join(' -> ');
          problems.push(`${entries.get(used)!.file}: reference cycle ${path}; recursive types are not allowed`);
        }
      } else if (!state.has(used)) {
        visit(used);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of [...entries.keys()].sort()) if (!state.has(name)) visit(name);
  return problems;
}
