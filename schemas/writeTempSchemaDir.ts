import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Test support: writes files (objects as JSON) into a fresh temporary folder and returns it,
 * so tests never depend on, or get mixed into, the real schemas folder.
 */
const created: string[] = [];

export function writeTempSchemaDir(files: Readonly<Record<string, unknown>>, parent?: string): string {
  const dir = parent ?? mkdtempSync(join(tmpdir(), 'wa-schemas-'));
  if (parent === undefined) created.push(dir);
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return dir;
}

/** Removes every folder writeTempSchemaDir created; test files pass it to `after`. */
export function removeTempSchemaDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
