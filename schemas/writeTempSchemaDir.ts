import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Test support: writes files (objects as JSON) into a fresh temporary folder and returns it,
 * so tests never depend on, or get mixed into, the real schemas folder.
 */
export function writeTempSchemaDir(files: Readonly<Record<string, unknown>>, parent?: string): string {
  const dir = parent ?? mkdtempSync(join(tmpdir(), 'wa-schemas-'));
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return dir;
}
