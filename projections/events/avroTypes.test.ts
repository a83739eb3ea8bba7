import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { defaultSchemasDir } from '../../schemas/index.js';

interface AvscRecord {
  type: string;
  name: string;
  fields?: { name: string }[];
  symbols?: string[];
}

/** The .avsc files of the folders the projections and the webhooks read, by simple name. */
function schemas(): Map<string, AvscRecord> {
  const root = defaultSchemasDir();
  const byName = new Map<string, AvscRecord>();
  for (const folder of ['common', 'conversation', 'account', 'commands', 'presence', 'webhooks']) {
    for (const file of readdirSync(join(root, folder)).filter((f) => f.endsWith('.avsc'))) {
      const schema = JSON.parse(readFileSync(join(root, folder, file), 'utf8')) as AvscRecord;
      byName.set(schema.name, schema);
    }
  }
  return byName;
}

// The compiled test runs from dist; the TypeScript source sits at the same place under the project root.
function source(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = join(defaultSchemasDir(), '..');
  const relative = here.slice(here.lastIndexOf('projections'));
  return readFileSync(join(root, relative, 'avroTypes.ts'), 'utf8');
}

describe('avroTypes.ts', () => {
  it('has every field and enum symbol of the .avsc files it mirrors, and nothing else', () => {
    const avsc = schemas();
    const text = source();
    let checked = 0;
    for (const match of text.matchAll(/export interface (\w+) \{\n([\s\S]*?)\n\}/g)) {
      const schema = avsc.get(match[1]!);
      assert.ok(schema, `${match[1]} is not a schema`);
      const fields = match[2]!.split('\n').map((line) => line.trim().split(':')[0]);
      assert.deepEqual(fields, schema.fields?.map((f) => f.name), `fields of ${match[1]}`);
      checked += 1;
    }
    for (const match of text.matchAll(/export type (\w+) = ('[^;]+);/g)) {
      const schema = avsc.get(match[1]!);
      assert.ok(schema?.symbols, `${match[1]} is not an enum schema`);
      assert.deepEqual([...match[2]!.matchAll(/'(\w+)'/g)].map((m) => m[1]), schema.symbols, `symbols of ${match[1]}`);
      checked += 1;
    }
    assert.ok(checked > 50, `only ${checked} types checked`);
  });
});
