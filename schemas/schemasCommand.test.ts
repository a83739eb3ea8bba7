import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runSchemasCommand } from './schemasCommand.js';
import { SchemaRegistry } from './SchemaRegistry.js';
import { removeTempSchemaDirs, writeTempSchemaDir } from './writeTempSchemaDir.js';

after(removeTempSchemaDirs);

const EVENT = {
  type: 'record',
  name: 'Event',
  namespace: 'wa.t',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
  ],
};

function run(...args: string[]): { code: number; output: string } {
  let output = '';
  const code = runSchemasCommand(args, { write: (text: string) => (output += text) });
  return { code, output };
}

describe('runSchemasCommand', () => {
  it('fails check until lock records the schemas, then passes; refuses to lock a breaking change', () => {
    const dir = writeTempSchemaDir({ 'Event.avsc': EVENT });

    const unrecorded = run('check', '--dir', dir);
    assert.equal(unrecorded.code, 1);
    assert.match(unrecorded.output, /FAIL wa\.t\.Event: not recorded yet \(fingerprint [0-9a-f]{16}\): run `schemas lock`/);

    const locked = run('lock', '--dir', dir);
    assert.equal(locked.code, 0, locked.output);
    assert.match(locked.output, /recorded wa\.t\.Event version 1 \([0-9a-f]{16}\) in wa\.t\.Event\/1\.avsc/);
    assert.deepEqual(readdirSync(join(dir, 'history', 'wa.t.Event')), ['1.avsc']);
    assert.deepEqual(run('check', '--dir', dir), { code: 0, output: 'schemas check: 1 writer schema(s) compatible with their history and recorded\n' });
    assert.equal(SchemaRegistry.load(dir).names().length, 2, 'history files are not loaded as schemas');

    writeTempSchemaDir({ 'Event.avsc': { ...EVENT, fields: [...EVENT.fields, { name: 'added', type: 'long' }] } }, dir);
    const broken = run('check', '--dir', dir);
    assert.equal(broken.code, 1);
    assert.match(broken.output, /FAIL wa\.t\.Event \(version 1\): cannot read data written by version 1: wa\.t\.Event\.added: field added without a default/);
    assert.match(broken.output, /FAIL wa\.t\.Event: changed since version 1 .* but not recorded: run `schemas lock`/);
    const refused = run('lock', '--dir', dir);
    assert.equal(refused.code, 1);
    assert.match(refused.output, /schemas lock: nothing recorded; 1 incompatible change\(s\)/);
    assert.deepEqual(readdirSync(join(dir, 'history', 'wa.t.Event')), ['1.avsc']);
  });

  it('lists writer schemas with fingerprints, and checks extra names given with --schema', () => {
    const dir = writeTempSchemaDir({ 'Event.avsc': EVENT });
    const fingerprint = SchemaRegistry.load(dir).fingerprintOf('wa.t.Event');
    assert.deepEqual(run('list', '--dir', dir), { code: 0, output: `${fingerprint}  wa.t.Event  (Event.avsc, 0 recorded version(s))\n` });
    assert.match(run('check', '--dir', dir, '--schema', 'wa.t.Kind').output, /FAIL wa\.t\.Kind: not recorded yet/);
    assert.match(run('check', '--dir', dir, '--schema', 'wa.t.Nope').output, /FAIL wa\.t\.Nope: is asked for as a writer schema, but no schema file defines it/);
  });

  it('reports invalid schema folders and bad usage', () => {
    const dir = writeTempSchemaDir({ 'Event.avsc': { ...EVENT, fields: [{ name: 'x', type: 'wa.t.Missing' }] } });
    const invalid = run('check', '--dir', dir);
    assert.equal(invalid.code, 1);
    assert.match(invalid.output, /Event\.avsc: wa\.t\.Event refers to wa\.t\.Missing, which no \.avsc file defines/);
    assert.equal(run().code, 2);
    assert.equal(run('frobnicate').code, 2);
    assert.equal(run('check', '--dir').code, 2);
    assert.equal(run('check', '--colour', 'red').code, 2);
    assert.equal(run('help').code, 0);
  });
});
