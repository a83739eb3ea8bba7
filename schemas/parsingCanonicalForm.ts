/**
 * Parsing Canonical Form, per the Avro specification. Implemented here instead of relying on
 * avsc's `getSchema()`: avsc refuses schemas the spec still gives a form for (e.g. `[]`, a
 * record whose default does not match its type), and a fingerprint that depends on a
 * library's serializer would change the day the library does.
 */
import { CodecError } from './CodecError.js';
import { crc64Avro } from './crc64Avro.js';
import { PRIMITIVE_TYPES, inlineSchema, normalizeSchema } from './normalizeSchema.js';
import type { JsonObject, JsonValue } from './normalizeSchema.js';

/** The Parsing Canonical Form of a schema (a JSON value or its text). */
export function parsingCanonicalForm(schema: unknown): string {
  const parsed = typeof schema === 'string' ? parseSchemaText(schema) : schema;
  const { root, definitions, rootUses } = normalizeSchema(parsed);
  const byName = new Map(definitions.map((d) => [d.fullName, d.schema]));
  for (const { path, uses } of [...definitions, { path: '<root>', uses: rootUses }]) {
    for (const used of uses) {
      if (!byName.has(used)) throw new CodecError('INVALID_SCHEMA', `${path}: unknown type ${used}`);
    }
  }
  return writeCanonicalForm(inlineSchema(root, byName));
}

/** The CRC-64-AVRO fingerprint of a schema's Parsing Canonical Form. */
export function schemaFingerprint(schema: unknown): bigint {
  return crc64Avro(Buffer.from(parsingCanonicalForm(schema), 'utf8'));
}

/** Parses schema text; a bare primitive name like `int` is accepted the way Avro parsers do. */
export function parseSchemaText(text: string): unknown {
  const trimmed = text.trim();
  if (PRIMITIVE_TYPES.has(trimmed)) return trimmed;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    throw new CodecError('INVALID_SCHEMA', `schema is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The canonical form of a schema already normalized and self-contained (full names everywhere,
 * as `normalizeSchema` + `inlineSchema` make it): keeps only the attributes that matter for
 * parsing, in the spec's order: name, type, fields, symbols, items, values, size.
 */
export function writeCanonicalForm(node: JsonValue): string {
  if (typeof node === 'string') return JSON.stringify(node);
  if (Array.isArray(node)) return `[${node.map(writeCanonicalForm).join(',')}]`;
  if (typeof node !== 'object' || node === null) throw new CodecError('INVALID_SCHEMA', `not a schema: ${JSON.stringify(node)}`);
  const type = node.type as string;
  const name = JSON.stringify(node.name);
  switch (type) {
    case 'record': {
      const fields = (node.fields as JsonObject[]).map(
        (field) => `{"name":${JSON.stringify(field.name)},"type":${writeCanonicalForm(field.type!)}}`,
      );
      return `{"name":${name},"type":"record","fields":[${fields.join(',')}]}`;
    }
    case 'enum':
      return `{"name":${name},"type":"enum","symbols":${JSON.stringify(node.symbols)}}`;
    case 'fixed':
      return `{"name":${name},"type":"fixed","size":${String(node.size)}}`;
    case 'array':
      return `{"type":"array","items":${writeCanonicalForm(node.items!)}}`;
    case 'map':
      return `{"type":"map","values":${writeCanonicalForm(node.values!)}}`;
    default:
      if (PRIMITIVE_TYPES.has(type)) return JSON.stringify(type);
      throw new CodecError('INVALID_SCHEMA', `unknown type ${type}`);
  }
}
