import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SchemaRegistry } from './SchemaRegistry.js';
import { defaultSchemasDir } from './defaultSchemasDir.js';
import { parsingCanonicalForm } from './parsingCanonicalForm.js';
import { removeTempSchemaDirs, writeTempSchemaDir } from './writeTempSchemaDir.js';

after(removeTempSchemaDirs);
const tempDir = writeTempSchemaDir;

// Files are named so that a plain alphabetical load meets each reference before its definition.
const EVENT_FILES = {
  'a/Event.avsc': {
    type: 'record',
    name: 'Event',
    namespace: 'wa.test',
    doc: 'an event',
    fields: [
      { name: 'eventId', type: 'string' },
      { name: 'kind', type: 'wa.common.Kind' },
      { name: 'payload', type: ['null', 'wa.test.Text', 'wa.test.Reaction'], default: null },
      { name: 'previousKind', type: ['null', 'wa.common.Kind'], default: null },
    ],
  },
  'a/Reaction.avsc': {
    type: 'record',
    name: 'Reaction',
    namespace: 'wa.test',
    fields: [
      { name: 'emoji', type: 'string' },
      { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
    ],
  },
  'a/Text.avsc': { type: 'record', name: 'Text', namespace: 'wa.test', fields: [{ name: 'body', type: 'string' }, { name: 'hash', type: ['null', 'Hash'], default: null }] },
  'z/Kind.avsc': { type: 'enum', name: 'Kind', namespace: 'wa.common', symbols: ['A', 'B'] },
  'history/wa.test.Event/1.avsc': { this: 'is not read by the loader' },
  'README.md': '# not a schema',
};

describe('SchemaRegistry', () => {
  it('loads every .avsc below the folder, resolving references whatever the file order', () => {
    const registry = SchemaRegistry.load(tempDir(EVENT_FILES));
    assert.deepEqual(registry.names(), ['wa.common.Kind', 'wa.test.Event', 'wa.test.Hash', 'wa.test.Reaction', 'wa.test.Text']);
    assert.deepEqual(registry.listTopLevel(), ['wa.test.Event']);
    assert.equal(registry.fileOf('wa.test.Hash'), 'a/Reaction.avsc');
  });

  it('inlines each named type at its first use and refers to it by full name afterwards', () => {
    const registry = SchemaRegistry.load(tempDir(EVENT_FILES));
    assert.equal(
      parsingCanonicalForm(registry.schemaOf('wa.test.Event')),
      '{"name":"wa.test.Event","type":"record","fields":[' +
        '{"name":"eventId","type":"string"},' +
        '{"name":"kind","type":{"name":"wa.common.Kind","type":"enum","symbols":["A","B"]}},' +
        '{"name":"payload","type":["null",' +
        '{"name":"wa.test.Text","type":"record","fields":[{"name":"body","type":"string"},' +
        '{"name":"hash","type":["null",{"name":"wa.test.Hash","type":"fixed","size":4}]}]},' +
        '{"name":"wa.test.Reaction","type":"record","fields":[{"name":"emoji","type":"string"},{"name":"hash","type":"wa.test.Hash"}]}]},' +
        '{"name":"previousKind","type":["null","wa.common.Kind"]}]}',
    );
    const schema = registry.schemaOf('wa.test.Event') as { doc: string; fields: Array<{ default?: unknown }> };
    assert.equal(schema.doc, 'an event', 'docs and defaults are kept in the published schema');
    assert.equal(schema.fields[2]!.default, null);
  });

  it('gives the same canonical form as avsc for the self-contained schema', () => {
    const registry = SchemaRegistry.load(tempDir(EVENT_FILES));
    for (const name of registry.names()) {
      assert.equal(parsingCanonicalForm(registry.schemaOf(name)), JSON.stringify(registry.typeOf(name).schema()));
    }
  });

  it('names the file and the missing type when a reference is not defined anywhere', () => {
    const dir = tempDir({
      'x/Event.avsc': { type: 'record', name: 'Event', namespace: 'wa.test', fields: [{ name: 'kind', type: 'Kind' }] },
      'x/Kind.avsc': { type: 'enum', name: 'Kind', namespace: 'wa.common', symbols: ['A'] },
    });
    assert.throws(() => SchemaRegistry.load(dir), {
      name: 'CodecError',
      reason: 'INVALID_SCHEMA',
      message: /x\/Event\.avsc: wa\.test\.Event refers to wa\.test\.Kind, which no \.avsc file defines \(did you mean wa\.common\.Kind\?\)/,
    });
  });

  it('refuses the same full name defined in two files, naming both', () => {
    const kind = { type: 'enum', name: 'Kind', namespace: 'wa.common', symbols: ['A'] };
    const dir = tempDir({ 'a/Kind.avsc': kind, 'b/Kind.avsc': { ...kind, symbols: ['B'] } });
    assert.throws(() => SchemaRegistry.load(dir), {
      reason: 'INVALID_SCHEMA',
      message: /b\/Kind\.avsc: wa\.common\.Kind is already defined in a\/Kind\.avsc/,
    });
  });

  it('refuses reference cycles, listing the types and files of the cycle', () => {
    const dir = tempDir({
      'A.avsc': { type: 'record', name: 'wa.t.A', fields: [{ name: 'b', type: ['null', 'wa.t.B'] }] },
      'B.avsc': { type: 'record', name: 'wa.t.B', fields: [{ name: 'a', type: { type: 'array', items: 'wa.t.A' } }] },
    });
    assert.throws(() => SchemaRegistry.load(dir), {
      reason: 'INVALID_SCHEMA',
      message: /reference cycle wa\.t\.A \(A\.avsc\) -> wa\.t\.B \(B\.avsc\) -> wa\.t\.A \(A\.avsc\)/,
    });
  });

  it('refuses files that are not one named type, bad JSON, missing namespaces and defaults avsc rejects', () => {
    const dir = tempDir({
      'Union.avsc': ['null', 'string'],
      'Broken.avsc': '{"type": "record",',
      'NoNamespace.avsc': { type: 'enum', name: 'Loose', symbols: ['A'] },
      'BadDefault.avsc': { type: 'record', name: 'wa.t.R', fields: [{ name: 'n', type: 'int', default: 'one' }] },
    });
    assert.throws(
      () => SchemaRegistry.load(dir),
      (error: Error) => {
        assert.match(error.message, /Union\.avsc: must hold exactly one named type/);
        assert.match(error.message, /Broken\.avsc: not valid JSON/);
        assert.match(error.message, /NoNamespace\.avsc: Loose has no namespace/);
        return true;
      },
    );
    const badDefault = tempDir({ 'BadDefault.avsc': { type: 'record', name: 'wa.t.R', fields: [{ name: 'n', type: 'int', default: 'one' }] } });
    assert.throws(() => SchemaRegistry.load(badDefault), { reason: 'INVALID_SCHEMA', message: /BadDefault\.avsc: wa\.t\.R: .*default/ });
    const nested = tempDir({
      'Top.avsc': { type: 'record', name: 'wa.t.Top', fields: [{ name: 'r', type: 'wa.t.R' }] },
      'deep/BadDefault.avsc': { type: 'record', name: 'wa.t.R', fields: [{ name: 'n', type: ['null', 'int'], default: 0 }] },
    });
    assert.throws(() => SchemaRegistry.load(nested), { reason: 'INVALID_SCHEMA', message: /deep\/BadDefault\.avsc: wa\.t\.R: .*default/ });
  });

  it('says which names exist when asked for an unknown one', () => {
    const registry = SchemaRegistry.load(tempDir(EVENT_FILES));
    assert.throws(() => registry.typeOf('wa.other.Kind'), { reason: 'SCHEMA_NOT_FOUND', message: /did you mean wa\.common\.Kind/ });
  });

  it('finds the project schemas folder from compiled code and from source', () => {
    const root = tempDir({ 'package.json': '{}', 'schemas/K.avsc': '{}' });
    assert.equal(defaultSchemasDir(join(root, 'dist', 'schemas', 'AvroCodec.js')), join(root, 'schemas'));
    assert.equal(defaultSchemasDir(join(root, 'schemas', 'AvroCodec.ts')), join(root, 'schemas'));
  });
});
