import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CodecError } from './CodecError.js';
import { compileSchema } from './compileSchema.js';
import type { CompiledSchema } from './compileSchema.js';

/** One released version of a writer schema, as recorded in `history/<full.name>/<n>.avsc`. */
export interface HistoricalSchema {
  readonly name: string;
  readonly version: number;
  /** Path relative to the history folder. */
  readonly file: string;
  readonly compiled: CompiledSchema;
}

const VERSION_FILE = /^([1-9][0-9]*)\.avsc$/;

/** Every recorded version, sorted by name then version; an absent folder is an empty history. */
export function readHistory(historyDir: string): HistoricalSchema[] {
  if (!existsSync(historyDir)) return [];
  const versions: HistoricalSchema[] = [];
  for (const name of readdirSync(historyDir).sort()) {
    if (name.startsWith('.') || !statSync(join(historyDir, name)).isDirectory()) continue;
    const found: HistoricalSchema[] = [];
    for (const fileName of readdirSync(join(historyDir, name))) {
      const match = VERSION_FILE.exec(fileName);
      if (!match) continue;
      const file = `${name}/${fileName}`;
      const compiled = compileSchema(readFileSync(join(historyDir, file), 'utf8'), `history ${file}`);
      if (compiled.name !== name) {
        throw new CodecError('INVALID_SCHEMA', `history ${file}: holds ${compiled.name}, not ${name}`);
      }
      found.push({ name, version: Number(match[1]), file, compiled });
    }
    found.sort((a, b) => a.version - b.version);
    found.forEach((entry, i) => {
      if (entry.version !== i + 1) {
        throw new CodecError('INVALID_SCHEMA', `history ${name}: versions must be 1, 2, 3... without gaps; found ${entry.version} at position ${i + 1}`);
      }
    });
    versions.push(...found);
  }
  return versions;
}
