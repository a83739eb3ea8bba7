import type { Type } from 'avsc';
import { CodecError } from './CodecError.js';
import { crc64Avro, fingerprintHex } from './crc64Avro.js';
import { createAvroType } from './createAvroType.js';
import { inlineSchema, normalizeSchema } from './normalizeSchema.js';
import type { JsonValue } from './normalizeSchema.js';
import { parseSchemaText, writeCanonicalForm } from './parsingCanonicalForm.js';

/** A self-contained named schema with everything derived from it. */
export interface CompiledSchema {
  /** Full name of the named type. */
  readonly name: string;
  /** Normalized (full names everywhere) and frozen; the form that is published and recorded. */
  readonly schema: JsonValue;
  /** `schema` as compact JSON text. */
  readonly json: string;
  readonly canonicalForm: string;
  readonly fingerprint: bigint;
  /** Hex of the 8 little-endian fingerprint bytes. */
  readonly fingerprintHex: string;
  readonly type: Type;
}

/** Compiles a self-contained schema of a named type (JSON value or text); `context` prefixes errors. */
export function compileSchema(input: unknown, context: string): CompiledSchema {
  try {
    const parsed = typeof input === 'string' ? parseSchemaText(input) : input;
    const { root, definitions } = normalizeSchema(parsed);
    if (typeof root !== 'string' || definitions.length === 0) {
      throw new CodecError('INVALID_SCHEMA', 'a writer schema must be a named type (record, enum or fixed)');
    }
    const byName = new Map(definitions.map((d) => [d.fullName, d.schema]));
    for (const { path, uses } of definitions) {
      for (const used of uses) {
        if (!byName.has(used)) throw new CodecError('INVALID_SCHEMA', `${path}: unknown type ${used}`);
      }
    }
    const compiled = compileNormalizedSchema(root, inlineSchema(root, byName), root);
    void compiled.type; // a schema avsc refuses is refused here, not at first use
    return compiled;
  } catch (error) {
    if (error instanceof CodecError) throw new CodecError(error.reason, `${context}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * Compiles a schema that is already normalized and self-contained (as the registry builds
 * them). The avsc Type is only built on first use: most named types are never written alone.
 */
export function compileNormalizedSchema(name: string, normalized: JsonValue, context: string): CompiledSchema {
  const schema = deepFreeze(normalized);
  const canonicalForm = writeCanonicalForm(schema);
  const fingerprint = crc64Avro(Buffer.from(canonicalForm, 'utf8'));
  let type: Type | undefined;
  return {
    name,
    schema,
    json: JSON.stringify(schema),
    canonicalForm,
    fingerprint,
    fingerprintHex: fingerprintHex(fingerprint),
    get type(): Type {
      return (type ??= createAvroType(schema, context));
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
