import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsingCanonicalForm, schemaFingerprint } from './parsingCanonicalForm.js';
import { fingerprintHex } from './crc64Avro.js';

// Copied verbatim from the Avro specification's test data: apache/avro,
// share/test/data/schema-tests.txt (cases 000-033). Fingerprints are CRC-64-AVRO of the
// canonical form, printed there as signed 64-bit integers; null where the file gives none.
const SPEC_VECTORS: ReadonlyArray<{ id: string; input: string; canonical: string; fingerprint: string | null }> = [
  { id: '000', input: "\"null\"", canonical: "\"null\"", fingerprint: '7195948357588979594' },
  { id: '001', input: "{\"type\":\"null\"}", canonical: "\"null\"", fingerprint: null },
  { id: '002', input: "\"boolean\"", canonical: "\"boolean\"", fingerprint: '-6970731678124411036' },
  { id: '003', input: "{\"type\":\"boolean\"}", canonical: "\"boolean\"", fingerprint: null },
  { id: '004', input: "\"int\"", canonical: "\"int\"", fingerprint: '8247732601305521295' },
  { id: '005', input: "{\"type\":\"int\"}", canonical: "\"int\"", fingerprint: null },
  { id: '006', input: "\"long\"", canonical: "\"long\"", fingerprint: '-3434872931120570953' },
  { id: '007', input: "{\"type\":\"long\"}", canonical: "\"long\"", fingerprint: null },
  { id: '008', input: "\"float\"", canonical: "\"float\"", fingerprint: '5583340709985441680' },
  { id: '009', input: "{\"type\":\"float\"}", canonical: "\"float\"", fingerprint: null },
  { id: '010', input: "\"double\"", canonical: "\"double\"", fingerprint: '-8181574048448539266' },
  { id: '011', input: "{\"type\":\"double\"}", canonical: "\"double\"", fingerprint: null },
  { id: '012', input: "\"bytes\"", canonical: "\"bytes\"", fingerprint: '5746618253357095269' },
  { id: '013', input: "{\"type\":\"bytes\"}", canonical: "\"bytes\"", fingerprint: null },
  { id: '014', input: "\"string\"", canonical: "\"string\"", fingerprint: '-8142146995180207161' },
  { id: '015', input: "{\"type\":\"string\"}", canonical: "\"string\"", fingerprint: null },
  { id: '016', input: "[  ]", canonical: "[]", fingerprint: '-1241056759729112623' },
  { id: '017', input: "[ \"int\"  ]", canonical: "[\"int\"]", fingerprint: '-5232228896498058493' },
  { id: '018', input: "[ \"int\" , {\"type\":\"boolean\"} ]", canonical: "[\"int\",\"boolean\"]", fingerprint: '5392556393470105090' },
  { id: '019', input: "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\"}", canonical: "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", fingerprint: '-4824392279771201922' },
  { id: '020', input: "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"namespace\":\"x.y\"}", canonical: "{\"name\":\"x.y.foo\",\"type\":\"record\",\"fields\":[]}", fingerprint: '5916914534497305771' },
  { id: '021', input: "{\"fields\":[], \"type\":\"record\", \"name\":\"a.b.foo\", \"namespace\":\"x.y\"}", canonical: "{\"name\":\"a.b.foo\",\"type\":\"record\",\"fields\":[]}", fingerprint: '-4616218487480524110' },
  { id: '022', input: "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"doc\":\"Useful info\"}", canonical: "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", fingerprint: '-4824392279771201922' },
  { id: '023', input: "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"aliases\":[\"foo\",\"bar\"]}", canonical: "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", fingerprint: '-4824392279771201922' },
  { id: '024', input: "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"doc\":\"foo\", \"aliases\":[\"foo\",\"bar\"]}", canonical: "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", fingerprint: '-4824392279771201922' },
  { id: '025', input: "{\"fields\":[{\"type\":{\"type\":\"boolean\"}, \"name\":\"f1\"}], \"type\":\"record\", \"name\":\"foo\"}", canonical: "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[{\"name\":\"f1\",\"type\":\"boolean\"}]}", fingerprint: '7843277075252814651' },
  { id: '026', input: "{ \"fields\":[{\"type\":\"boolean\", \"aliases\":[], \"name\":\"f1\", \"default\":\"true\"},\n            {\"order\":\"descending\",\"name\":\"f2\",\"doc\":\"Hello\",\"type\":\"int\"}],\n  \"type\":\"record\", \"name\":\"foo\"\n}", canonical: "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[{\"name\":\"f1\",\"type\":\"boolean\"},{\"name\":\"f2\",\"type\":\"int\"}]}", fingerprint: '-4860222112080293046' },
  { id: '027', input: "{\"type\":\"enum\", \"name\":\"foo\", \"symbols\":[\"A1\"]}", canonical: "{\"name\":\"foo\",\"type\":\"enum\",\"symbols\":[\"A1\"]}", fingerprint: '-6342190197741309591' },
  { id: '028', input: "{\"namespace\":\"x.y.z\", \"type\":\"enum\", \"name\":\"foo\", \"doc\":\"foo bar\", \"symbols\":[\"A1\", \"A2\"]}", canonical: "{\"name\":\"x.y.z.foo\",\"type\":\"enum\",\"symbols\":[\"A1\",\"A2\"]}", fingerprint: '-4448647247586288245' },
  { id: '029', input: "{\"name\":\"foo\",\"type\":\"fixed\",\"size\":15}", canonical: "{\"name\":\"foo\",\"type\":\"fixed\",\"size\":15}", fingerprint: '1756455273707447556' },
  { id: '030', input: "{\"namespace\":\"x.y.z\", \"type\":\"fixed\", \"name\":\"foo\", \"doc\":\"foo bar\", \"size\":32}", canonical: "{\"name\":\"x.y.z.foo\",\"type\":\"fixed\",\"size\":32}", fingerprint: '-3064184465700546786' },
  { id: '031', input: "{ \"items\":{\"type\":\"null\"}, \"type\":\"array\"}", canonical: "{\"type\":\"array\",\"items\":\"null\"}", fingerprint: '-589620603366471059' },
  { id: '032', input: "{ \"values\":\"string\", \"type\":\"map\"}", canonical: "{\"type\":\"map\",\"values\":\"string\"}", fingerprint: '-8732877298790414990' },
  { id: '033', input: "  {\"name\":\"PigValue\",\"type\":\"record\",\n   \"fields\":[{\"name\":\"value\", \"type\":[\"null\", \"int\", \"long\", \"PigValue\"]}]}", canonical: "{\"name\":\"PigValue\",\"type\":\"record\",\"fields\":[{\"name\":\"value\",\"type\":[\"null\",\"int\",\"long\",\"PigValue\"]}]}", fingerprint: '-1759257747318642341' },
];

describe('Parsing Canonical Form and CRC-64-AVRO against the Avro specification', () => {
  for (const vector of SPEC_VECTORS) {
    it(`case ${vector.id}: ${vector.canonical}`, () => {
      assert.equal(parsingCanonicalForm(vector.input), vector.canonical);
      const expected = vector.fingerprint ?? null;
      const actual = BigInt.asIntN(64, schemaFingerprint(vector.input));
      if (expected !== null) assert.equal(actual.toString(), expected);
      // Cases without a published number must fingerprint like their canonical form.
      assert.equal(actual, BigInt.asIntN(64, schemaFingerprint(vector.canonical)));
    });
  }

  it('writes the fingerprint of "null" as the little-endian bytes of 0x63dd24e7cc258f8a', () => {
    assert.equal(fingerprintHex(schemaFingerprint('"null"')), '8a8f25cce724dd63');
  });
});

describe('parsingCanonicalForm', () => {
  it('qualifies names of nested types with the enclosing namespace and refers to them by full name after first use', () => {
    const schema = {
      type: 'record',
      name: 'Outer',
      namespace: 'a.b',
      fields: [
        { name: 'inner', type: { type: 'enum', name: 'Kind', symbols: ['X', 'Y'], default: 'X', doc: 'kind' } },
        { name: 'again', type: 'Kind' },
        { name: 'other', type: { type: 'fixed', name: 'c.Hash', size: 16 } },
        { name: 'ref', type: ['null', 'c.Hash', { type: 'map', values: { type: 'array', items: 'Outer' } }], default: null },
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
      ],
    };
    assert.equal(
      parsingCanonicalForm(schema),
      '{"name":"a.b.Outer","type":"record","fields":[' +
        '{"name":"inner","type":{"name":"a.b.Kind","type":"enum","symbols":["X","Y"]}},' +
        '{"name":"again","type":"a.b.Kind"},' +
        '{"name":"other","type":{"name":"c.Hash","type":"fixed","size":16}},' +
        '{"name":"ref","type":["null","c.Hash",{"type":"map","values":{"type":"array","items":"a.b.Outer"}}]},' +
        '{"name":"at","type":"long"}]}',
    );
  });

  it('refuses a reference to a type that is never defined', () => {
    assert.throws(
      () => parsingCanonicalForm({ type: 'record', name: 'a.R', fields: [{ name: 'x', type: 'Missing' }] }),
      { name: 'CodecError', reason: 'INVALID_SCHEMA', message: /a\.Missing/ },
    );
  });
});
