import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkCompatibility } from './checkCompatibility.js';
import { recordHistory } from './recordHistory.js';
import { SchemaRegistry } from './SchemaRegistry.js';
import { removeTempSchemaDirs, writeTempSchemaDir } from './writeTempSchemaDir.js';

after(removeTempSchemaDirs);
const tempDir = (files: Record<string, unknown> = {}): string => writeTempSchemaDir(files);

type Field = { name: string; type: unknown; default?: unknown; aliases?: string[] };
const KIND = { type: 'enum', name: 'Kind', namespace: 'wa.t', symbols: ['A', 'B'] };
const TEXT = { type: 'record', name: 'Text', namespace: 'wa.t', fields: [{ name: 'body', type: 'string' }] };
const IMAGE = { type: 'record', name: 'Image', namespace: 'wa.t', fields: [{ name: 'url', type: 'string' }] };
const V1_FIELDS: Field[] = [
  { name: 'id', type: 'string' },
  { name: 'count', type: 'int' },
  { name: 'kind', type: 'wa.t.Kind' },
  { name: 'content', type: ['null', 'wa.t.Text'], default: null },
  { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 8 } },
  { name: 'tags', type: { type: 'array', items: 'string' } },
];

function files(fields: Field[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'Event.avsc': { type: 'record', name: 'Event', namespace: 'wa.t', fields },
    'Kind.avsc': KIND,
    'Text.avsc': TEXT,
    'Image.avsc': IMAGE,
    ...extra,
  };
}

const replace = (name: string, field: Field): Field[] => V1_FIELDS.map((f) => (f.name === name ? field : f));

/** Records v1 in a fresh history, then returns that history with the registry of v2. */
function released(v1: Record<string, unknown>, v2: Record<string, unknown>): { registry: SchemaRegistry; history: string } {
  const history = join(tempDir(), 'history');
  const first = recordHistory(SchemaRegistry.load(tempDir(v1)), history);
  assert.deepEqual(first.problems, []);
  return { registry: SchemaRegistry.load(tempDir(v2)), history };
}

function reasons(v1: Record<string, unknown>, v2: Record<string, unknown>): string[] {
  const { registry, history } = released(v1, v2);
  return checkCompatibility(registry, history).problems.map((p) => `${p.schema}${p.version ? ` v${p.version}` : ''}: ${p.reason}`);
}

describe('checkCompatibility', () => {
  describe('catches breaking changes', () => {
    const cases: Array<[string, Field[], RegExp]> = [
      ['a new field without a default', [...V1_FIELDS, { name: 'added', type: 'string' }], /wa\.t\.Event v1: cannot read data written by version 1: wa\.t\.Event\.added: field added without a default/],
      ['a changed field type', replace('id', { name: 'id', type: 'int' }), /wa\.t\.Event\.id: type changed from string to int/],
      ['a resized fixed', replace('hash', { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 16 } }), /wa\.t\.Event\.hash: fixed wa\.t\.Hash size changed from 8 to 16/],
      ['a changed array item type', replace('tags', { name: 'tags', type: { type: 'array', items: 'int' } }), /wa\.t\.Event\.tags\[\]: type changed from string to int/],
      ['a union branch removed', replace('content', { name: 'content', type: 'wa.t.Text' }), /wa\.t\.Event\.content \(writer's union branch null\): type changed from null to record wa\.t\.Text/],
      ['a union branch replaced', replace('content', { name: 'content', type: ['null', 'wa.t.Image'], default: null }), /wa\.t\.Event\.content: the writer's union branch record wa\.t\.Text has no matching branch in the reader's union \[null, record wa\.t\.Image\]/],
      ['an optional field made required', replace('content', { name: 'content', type: 'wa.t.Text' }), /writer's union branch null/],
    ];
    for (const [change, fields, reason] of cases) {
      it(`refuses ${change}`, () => {
        const found = reasons(files(V1_FIELDS), files(fields));
        assert.ok(found.some((r) => reason.test(r)), `expected ${reason} in:\n${found.join('\n')}`);
      });
    }

    it('refuses an enum symbol removed when the enum has no default', () => {
      const found = reasons(files(V1_FIELDS), files(V1_FIELDS, { 'Kind.avsc': { ...KIND, symbols: ['A'] } }));
      assert.ok(found.some((r) => /wa\.t\.Event\.kind: enum wa\.t\.Kind symbol\(s\) B removed, and the enum has no default symbol/.test(r)), found.join('\n'));
    });

    it('refuses a type narrowed from long to int', () => {
      const wide = replace('count', { name: 'count', type: 'long' });
      const found = reasons(files(wide), files(V1_FIELDS));
      assert.ok(found.some((r) => /wa\.t\.Event\.count: type changed from long to int/.test(r)), found.join('\n'));
    });

    it('refuses a renamed record without an alias', () => {
      const direct = reasons(files(V1_FIELDS), files(replace('hash', { name: 'hash', type: { type: 'fixed', name: 'Digest', size: 8 } })));
      assert.ok(direct.some((r) => /wa\.t\.Event\.hash: fixed renamed from wa\.t\.Hash to wa\.t\.Digest \(list the old name in "aliases"\)/.test(r)), direct.join('\n'));
      const renamed = { ...files(V1_FIELDS), 'Text.avsc': { ...TEXT, name: 'Body' } };
      const fields = replace('content', { name: 'content', type: ['null', 'wa.t.Body'], default: null });
      const found = reasons(files(V1_FIELDS), { ...renamed, 'Event.avsc': { type: 'record', name: 'Event', namespace: 'wa.t', fields } });
      assert.ok(found.some((r) => /writer's union branch record wa\.t\.Text has no matching branch .* \(if it was renamed, list the old name wa\.t\.Text in "aliases"\)/.test(r)), found.join('\n'));
    });

    it('refuses to forget a recorded writer schema', () => {
      const found = reasons(files(V1_FIELDS), { 'Other.avsc': { ...KIND, name: 'Other' } });
      assert.ok(found.some((r) => /wa\.t\.Event: has 1 recorded version\(s\) but no schema file defines it any more/.test(r)), found.join('\n'));
    });

    it('checks against every recorded version, not only the latest', () => {
      const history = join(tempDir(), 'history');
      const withoutCount = V1_FIELDS.filter((f) => f.name !== 'count');
      const stringCount = [...withoutCount, { name: 'count', type: 'string', default: '' }];
      for (const fields of [V1_FIELDS, withoutCount]) {
        assert.deepEqual(recordHistory(SchemaRegistry.load(tempDir(files(fields))), history).problems, []);
      }
      const report = checkCompatibility(SchemaRegistry.load(tempDir(files(stringCount))), history);
      assert.deepEqual(
        report.problems.filter((p) => p.version !== null).map((p) => [p.version, p.reason]),
        [[1, 'cannot read data written by version 1: wa.t.Event.count: type changed from int to string']],
      );
    });
  });

  describe('accepts compatible changes once recorded', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['a new optional field with default null', files([...V1_FIELDS, { name: 'causationId', type: ['null', 'string'], default: null }])],
      ['a new union branch at the end', files(replace('content', { name: 'content', type: ['null', 'wa.t.Text', 'wa.t.Image'], default: null }))],
      ['a removed field', files(V1_FIELDS.filter((f) => f.name !== 'tags'))],
      ['an int widened to long', files(replace('count', { name: 'count', type: 'long' }))],
      ['a string read as bytes', files(replace('id', { name: 'id', type: 'bytes' }))],
      ['a required field made optional', files(replace('id', { name: 'id', type: ['null', 'string'], default: null }))],
      ['a new enum symbol', files(V1_FIELDS, { 'Kind.avsc': { ...KIND, symbols: ['A', 'B', 'C'] } })],
      ['an enum symbol removed when the enum has a default', files(V1_FIELDS, { 'Kind.avsc': { ...KIND, symbols: ['A'], default: 'A' } })],
      ['a field renamed with an alias', files(replace('id', { name: 'eventId', type: 'string', aliases: ['id'] }))],
      [
        'a record renamed with an alias',
        {
          ...files(replace('content', { name: 'content', type: ['null', 'wa.t.Body'], default: null })),
          'Text.avsc': { ...TEXT, name: 'Body', aliases: ['Text'] },
        },
      ],
    ];
    for (const [change, v2] of cases) {
      it(`accepts ${change}`, () => {
        const { registry, history } = released(files(V1_FIELDS), v2);
        const before = checkCompatibility(registry, history);
        assert.deepEqual(
          before.problems.map((p) => p.reason.replace(/\(fingerprint .*\)/, '(...)')),
          ['changed since version 1 (...) but not recorded: run `schemas lock`'],
        );
        const locked = recordHistory(registry, history);
        assert.deepEqual(locked.problems, []);
        assert.deepEqual(locked.recorded.map((v) => [v.name, v.version, v.file]), [['wa.t.Event', 2, 'wa.t.Event/2.avsc']]);
        assert.deepEqual(checkCompatibility(registry, history).problems, []);
      });
    }

    it('warns when consumers still on the previous version could not read the new one', () => {
      const { registry, history } = released(files(V1_FIELDS), cases[1]![1]);
      const warnings = checkCompatibility(registry, history).warnings.map((w) => w.reason);
      assert.ok(warnings.some((w) => /consumers still on version 1 .*writer's union branch record wa\.t\.Image/.test(w)), warnings.join('\n'));
    });
  });

  it('reports a schema that was never recorded', () => {
    const registry = SchemaRegistry.load(tempDir(files(V1_FIELDS)));
    const report = checkCompatibility(registry, join(tempDir(), 'history'));
    assert.deepEqual(report.checked, ['wa.t.Event', 'wa.t.Image']);
    assert.deepEqual(
      report.problems.map((p) => p.reason),
      [`not recorded yet (fingerprint ${registry.fingerprintOf('wa.t.Event')}): run \`schemas lock\``, `not recorded yet (fingerprint ${registry.fingerprintOf('wa.t.Image')}): run \`schemas lock\``],
    );
  });

  it('checks and records schemas that are asked for even when other schemas use them', () => {
    const registry = SchemaRegistry.load(tempDir(files(V1_FIELDS)));
    const history = join(tempDir(), 'history');
    const result = recordHistory(registry, history, { names: ['wa.t.Text'] });
    assert.deepEqual(result.recorded.map((v) => v.name), ['wa.t.Event', 'wa.t.Image', 'wa.t.Text']);
    assert.deepEqual(checkCompatibility(registry, history).problems, [], 'recorded names are checked from then on');
  });
});

describe('recordHistory', () => {
  it('records nothing when a change is breaking', () => {
    const { registry, history } = released(files(V1_FIELDS), files([...V1_FIELDS, { name: 'added', type: 'string' }]));
    const result = recordHistory(registry, history);
    assert.deepEqual(result.recorded, []);
    assert.match(result.problems[0]!.reason, /field added without a default/);
    assert.deepEqual(readdirSync(join(history, 'wa.t.Event')), ['1.avsc']);
  });

  it('records nothing when nothing changed', () => {
    const { registry, history } = released(files(V1_FIELDS), files(V1_FIELDS));
    assert.deepEqual(recordHistory(registry, history), { recorded: [], problems: [] });
    assert.equal(existsSync(join(history, 'wa.t.Event', '2.avsc')), false);
  });
});
