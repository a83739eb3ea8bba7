import avsc from 'avsc';
import type { Type } from 'avsc';
import { CodecError } from './CodecError.js';

/**
 * An avsc Type for a self-contained schema, configured the same way everywhere so that a
 * resolver between two of them never meets surprising options:
 * - a union of `null` and one other type is unwrapped (`null` or the value); every other union
 *   is wrapped, `{ "full.Name": value }` (or `null`), even with a single branch or branches
 *   avsc could tell apart, so a value keeps its shape when a branch is added later;
 * - no logical types: timestamp-millis longs stay numbers;
 * - decoded records are plain objects (see `usePlainObjects`).
 */
export function createAvroType(schema: unknown, context: string): Type {
  let type: Type;
  try {
    type = avsc.Type.forSchema(schema as avsc.Schema, { typeHook: unionShape, omitRecordMethods: true, registry: {} });
  } catch (error) {
    throw new CodecError('INVALID_SCHEMA', `${context}: ${(error as Error).message}`, { cause: error });
  }
  usePlainObjects(type);
  return type;
}

function unionShape(schema: avsc.Schema, options: object): Type | undefined {
  if (!Array.isArray(schema)) return undefined;
  const branches = (schema as unknown[]).map((branch) => avsc.Type.forSchema(branch as avsc.Schema, options));
  const optional = branches.length <= 2 && branches.filter((branch) => branch.typeName === 'null').length === 1;
  const Union = optional ? avsc.types.UnwrappedUnionType : avsc.types.WrappedUnionType;
  return new Union(branches as unknown as avsc.Schema, options);
}

// avsc decodes records (and wrapped union branches) into instances of generated classes.
// Pure functions, tests with deepStrictEqual and structuredClone expect plain data, and
// converting every decoded value would cost a copy, so the generated constructors get
// Object.prototype as their prototype: `new Record(...)` then builds a plain object.
function usePlainObjects(root: Type): void {
  const seen = new Set<Type>();
  const visit = (type: Type): void => {
    if (seen.has(type)) return;
    seen.add(type);
    const internals = type as unknown as {
      typeName: string;
      _branchConstructor?: unknown;
      recordConstructor?: { prototype: object };
      fields?: ReadonlyArray<{ type: Type }>;
      itemsType?: Type;
      valuesType?: Type;
      types?: readonly Type[];
    };
    if (internals.typeName.startsWith('union')) {
      internals.types!.forEach(visit);
      return;
    }
    if (typeof internals._branchConstructor === 'function') internals._branchConstructor.prototype = Object.prototype;
    if (internals.recordConstructor) internals.recordConstructor.prototype = Object.prototype;
    internals.fields?.forEach((field) => visit(field.type));
    if (internals.itemsType) visit(internals.itemsType);
    if (internals.valuesType) visit(internals.valuesType);
  };
  visit(root);
}
