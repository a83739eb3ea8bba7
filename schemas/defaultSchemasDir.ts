import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodecError } from './CodecError.js';

/**
 * The project's `schemas/` folder, found from this file's own location so it works the same
 * from `dist/schemas/*.js` and from `schemas/*.ts`: the nearest folder above holding a
 * `package.json` is the project root.
 */
export function defaultSchemasDir(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'schemas');
    const parent = dirname(dir);
    if (parent === dir) throw new CodecError('SCHEMA_NOT_FOUND', `no package.json above ${from}: cannot locate the schemas folder`);
    dir = parent;
  }
}

/** Where released versions of the writer schemas are kept: `<schemas>/history`. */
export function defaultHistoryDir(schemasDir: string = defaultSchemasDir()): string {
  return join(schemasDir, 'history');
}
