/**
 * Name resolution of Avro schema JSON, shared by the file loader and the canonical form.
 *
 * A schema is "normalized" when every named type is written with its full name (no
 * `namespace` attribute) and every reference is a full name, so a definition means the same
 * thing wherever it is moved to. Normalizing also "flattens": each named type definition is
 * taken out and replaced by its full name, so definitions from different files can be inlined
 * again in whatever order a self-contained schema needs.
 */
import { CodecError } from './CodecError.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export const PRIMITIVE_TYPES: ReadonlySet<string> = new Set([
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
]);

const NAMED_TYPES: ReadonlySet<string> = new Set(['record', 'enum', 'fixed']);
const NAME_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One named type taken out of a schema, with the named types it uses directly. */
export interface NamedDefinition {
  readonly fullName: string;
  /** The definition with nested named types replaced by their full names. */
  readonly schema: JsonObject;
  /** Full names this definition refers to or defines inline, in order of first use. */
  readonly uses: readonly string[];
  /** Where in the source the definition sits, e.g. `fields[2].type`. */
  readonly path: string;
}

export interface NormalizedSchema {
  /** The schema itself; if it is a named type, just its full name. */
  readonly root: JsonValue;
  readonly definitions: readonly NamedDefinition[];
  /** Full names used by the root itself when it is not a named type (e.g. a union). */
  readonly rootUses: readonly string[];
}

/** Flattens a schema: resolves every name to its full name and takes out named definitions. */
export function normalizeSchema(schema: unknown, enclosingNamespace = ''): NormalizedSchema {
  const definitions: NamedDefinition[] = [];
  const usesStack: string[][] = [[]];
  const use = (fullName: string): void => {
    const uses = usesStack[usesStack.length - 1]!;
    if (!uses.includes(fullName)) uses.push(fullName);
  };

  const invalid = (path: string, message: string): never => {
    throw new CodecError('INVALID_SCHEMA', `${path.replace(/^\./, '') || '<root>'}: ${message}`);
  };

  const qualify = (name: string, namespace: string, path: string): string => {
    if (name.split('.').some((segment) => !NAME_SEGMENT.test(segment))) {
      invalid(path, `invalid name ${JSON.stringify(name)}`);
    }
    return name.includes('.') || namespace === '' ? name : `${namespace}.${name}`;
  };

  const walk = (node: unknown, namespace: string, path: string): JsonValue => {
    if (typeof node === 'string') {
      if (PRIMITIVE_TYPES.has(node)) return node;
      const fullName = qualify(node, namespace, path);
      use(fullName);
      return fullName;
    }
    if (Array.isArray(node)) {
      return node.map((branch, i) => {
        if (Array.isArray(branch)) invalid(`${path}[${i}]`, 'unions cannot be directly nested');
        return walk(branch, namespace, `${path}[${i}]`);
      });
    }
    if (typeof node !== 'object' || node === null) {
      return invalid(path, `expected a type name, an object or a union, got ${JSON.stringify(node)}`);
    }
    const object = node as Record<string, unknown>;
    const type = object.type;
    if (typeof type !== 'string') {
      if (type === undefined) invalid(path, 'missing "type"');
      return walk(type, namespace, `${path}.type`);
    }
    if (NAMED_TYPES.has(type)) return walkNamed(object, type, namespace, path);
    if (type === 'array' || type === 'map') {
      const key = type === 'array' ? 'items' : 'values';
      if (object[key] === undefined) invalid(path, `${type} without "${key}"`);
      const result = copyAttributes(object, ['type', key]);
      return { type, [key]: walk(object[key], namespace, `${path}.${key}`), ...result };
    }
    if (PRIMITIVE_TYPES.has(type)) {
      const attributes = copyAttributes(object, ['type']);
      // Extra attributes (logicalType, connect.name, ...) must survive publishing, but a
      // bare {"type": "int"} is just "int".
      return Object.keys(attributes).length === 0 ? type : { type, ...attributes };
    }
    if (type === 'error') return invalid(path, '"error" types only exist in protocols');
    // {"type": "some.Name"} is a reference written the long way.
    return walk(type, namespace, `${path}.type`);
  };

  const walkNamed = (object: Record<string, unknown>, type: string, namespace: string, path: string): string => {
    const name = object.name;
    if (typeof name !== 'string') return invalid(path, `${type} without a "name"`);
    let ownNamespace = namespace;
    if (name.includes('.')) ownNamespace = name.slice(0, name.lastIndexOf('.'));
    else if (typeof object.namespace === 'string') ownNamespace = object.namespace;
    else if (object.namespace !== undefined && object.namespace !== null) invalid(path, '"namespace" must be a string');
    const fullName = qualify(name, ownNamespace, `${path}.name`);
    if (PRIMITIVE_TYPES.has(fullName)) invalid(path, `a ${type} cannot be named ${JSON.stringify(fullName)}`);
    use(fullName);

    const schema: JsonObject = {
      type,
      name: fullName,
      ...copyAttributes(object, ['type', 'name', 'namespace', 'aliases', 'fields', 'symbols', 'size']),
    };
    if (Array.isArray(object.aliases)) {
      schema.aliases = object.aliases.map((alias, i) =>
        typeof alias === 'string' ? qualify(alias, ownNamespace, `${path}.aliases[${i}]`) : invalid(path, 'aliases must be strings'),
      );
    }
    const uses: string[] = [];
    usesStack.push(uses);
    if (type === 'record') {
      if (!Array.isArray(object.fields)) invalid(path, 'record without a "fields" array');
      const seen = new Set<string>();
      schema.fields = (object.fields as unknown[]).map((field, i) => {
        const fieldPath = `${path}.fields[${i}]`;
        if (typeof field !== 'object' || field === null || Array.isArray(field)) return invalid(fieldPath, 'field must be an object');
        const f = field as Record<string, unknown>;
        if (typeof f.name !== 'string' || !NAME_SEGMENT.test(f.name)) return invalid(fieldPath, `invalid field name ${JSON.stringify(f.name)}`);
        if (seen.has(f.name)) invalid(fieldPath, `duplicate field ${f.name}`);
        seen.add(f.name);
        if (f.type === undefined) invalid(fieldPath, `field ${f.name} without a "type"`);
        const rest = copyAttributes(f, ['name', 'type']);
        return { name: f.name, type: walk(f.type, ownNamespace, `${fieldPath}.type`), ...rest };
      });
    } else if (type === 'enum') {
      const symbols = object.symbols;
      if (!Array.isArray(symbols) || symbols.some((s) => typeof s !== 'string' || !NAME_SEGMENT.test(s))) {
        invalid(path, 'enum "symbols" must be an array of names');
      }
      if (new Set(symbols as string[]).size !== (symbols as string[]).length) invalid(path, 'duplicate enum symbol');
      schema.symbols = [...(symbols as string[])];
    } else {
      const size = object.size;
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) invalid(path, 'fixed "size" must be a non-negative integer');
      schema.size = size as number;
    }
    usesStack.pop();
    definitions.push({ fullName, schema, uses, path: path.replace(/^\./, '') || '<root>' });
    return fullName;
  };

  const root = walk(schema, enclosingNamespace, '');
  const seen = new Map<string, string>();
  for (const definition of definitions) {
    const earlier = seen.get(definition.fullName);
    if (earlier !== undefined) {
      invalid(definition.path, `${definition.fullName} is defined twice (also at ${earlier})`);
    }
    seen.set(definition.fullName, definition.path);
  }
  return { root, definitions, rootUses: typeof root === 'string' ? [] : usesStack[0]! };
}

/** Copies the attributes not in `skip`, as JSON, keeping their order. */
function copyAttributes(object: Record<string, unknown>, skip: readonly string[]): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    if (!skip.includes(key) && value !== undefined) result[key] = structuredClone(value) as JsonValue;
  }
  return result;
}

/**
 * Builds a self-contained schema from flattened definitions: each named type is written out
 * in full at its first use and by name afterwards, as Avro requires.
 */
export function inlineSchema(root: JsonValue, definitions: ReadonlyMap<string, JsonObject>): JsonValue {
  const written = new Set<string>();
  const inline = (node: JsonValue): JsonValue => {
    if (typeof node === 'string') {
      const definition = definitions.get(node);
      if (definition === undefined || written.has(node)) return node;
      written.add(node);
      return inline(definition);
    }
    if (Array.isArray(node)) return node.map(inline);
    if (typeof node !== 'object' || node === null) return node;
    const copy: JsonObject = { ...node };
    switch (node.type) {
      case 'record':
        copy.fields = (node.fields as JsonObject[]).map((field) => ({ ...field, type: inline(field.type!) }));
        break;
      case 'array':
        copy.items = inline(node.items!);
        break;
      case 'map':
        copy.values = inline(node.values!);
        break;
    }
    return copy;
  };
  return inline(root);
}
