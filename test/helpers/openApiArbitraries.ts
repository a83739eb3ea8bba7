import fc from 'fast-check';

/** A JSON Schema (2020-12, OpenAPI 3.1's dialect) as the document serves it. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** One parameter of an operation, its schema resolved. */
export interface FuzzParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

/** One operation of an OpenAPI document, with what the fuzzer needs resolved. */
export interface FuzzOperation {
  method: string;
  /** The path template, `{name}` for parameters. */
  path: string;
  operationId: string;
  /** `x-wa-surface`: the envelope of its answers. */
  surface: string;
  /** `x-wa-access`: public, key, admin or account. */
  access: string;
  parameters: FuzzParameter[];
  /** The JSON (and urlencoded) body schema; null when the operation reads no JSON body. */
  jsonBody: JsonSchema | null;
  /** The multipart body: its text fields and file fields; null when not multipart. */
  multipart: { fields: JsonSchema; files: string[]; required: boolean } | null;
  /** Status codes the document declares. */
  statuses: ReadonlySet<number>;
  /** Whether its 202 is a command still running (`commandId`, polled at `Location`). */
  acceptsCommand: boolean;
  /** The documented JSON body of each success status (below 300), references resolved. */
  answers: ReadonlyMap<number, JsonSchema>;
}

interface RawOperation {
  operationId: string;
  parameters?: { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema?: JsonSchema }> }>;
  'x-wa-surface'?: string;
  'x-wa-access'?: string;
}

/** A served OpenAPI document, as far as the fuzzer reads it. */
export interface OpenApiLike {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Every operation of a document, references resolved. */
export function operationsOf(document: OpenApiLike): FuzzOperation[] {
  const components = document.components?.schemas ?? {};
  const operations: FuzzOperation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = op.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      const multipart = content['multipart/form-data']?.schema;
      let multipartSpec: FuzzOperation['multipart'] = null;
      if (multipart) {
        const resolved = resolveSchema(multipart, components);
        const properties = (resolved['properties'] ?? {}) as Record<string, JsonSchema>;
        const files = Object.entries(properties).filter(([, s]) => s['contentMediaType'] === 'application/octet-stream').map(([name]) => name);
        const required = ((resolved['required'] ?? []) as string[]).filter((name) => !files.includes(name));
        const fields = Object.fromEntries(Object.entries(properties).filter(([name]) => !files.includes(name)));
        multipartSpec = { fields: { type: 'object', properties: fields, required }, files, required: json === undefined };
      }
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        surface: op['x-wa-surface'] ?? 'system',
        access: op['x-wa-access'] ?? 'key',
        parameters: (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required === true, schema: resolveSchema(p.schema ?? {}, components) })),
        jsonBody: json ? resolveSchema(json, components) : null,
        multipart: multipartSpec,
        statuses: new Set(Object.keys(op.responses).map(Number)),
        acceptsCommand: op.responses['202']?.headers?.['Location'] !== undefined,
        answers: new Map(
          Object.entries(op.responses).flatMap(([status, response]) => {
            const schema = response.content?.['application/json']?.schema;
            return Number(status) < 300 && schema ? [[Number(status), resolveSchema(schema, components)] as const] : [];
          }),
        ),
      });
    }
  }
  return operations;
}

/** A schema with every `#/components/schemas/...` reference replaced by its target. */
export function resolveSchema(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>, depth = 0): JsonSchema {
  if (depth > 20) return {};
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const target = components[ref.replace('#/components/schemas/', '')];
    return target ? resolveSchema(target, components, depth + 1) : {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (Array.isArray(value)) out[key] = value.map((item) => (isSchema(item) ? resolveSchema(item, components, depth + 1) : item));
    else if (key === 'properties' && isSchema(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, resolveSchema(s as JsonSchema, components, depth + 1)]));
    } else if (isSchema(value) && key !== 'example' && key !== 'const' && key !== 'default') out[key] = resolveSchema(value, components, depth + 1);
    else out[key] = value;
  }
  return out;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typesOf(schema: JsonSchema): string[] {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type as string[];
  if ('const' in schema) return [jsonType(schema['const'])];
  if (Array.isArray(schema['enum'])) return [...new Set((schema['enum'] as unknown[]).map(jsonType))];
  return [];
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

/**
 * Whether `value` satisfies `schema`, for the keywords the API's documents use (type, const,
 * enum, string / number / array bounds, pattern, properties, required, additionalProperties,
 * items, anyOf / oneOf / allOf). Unknown keywords pass.
 */
export function conforms(schema: JsonSchema, value: unknown): boolean {
  if ('const' in schema && JSON.stringify(schema['const']) !== JSON.stringify(value)) return false;
  if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).some((option) => JSON.stringify(option) === JSON.stringify(value))) return false;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && !(options as JsonSchema[]).some((option) => conforms(option, value))) return false;
  }
  const all = schema['allOf'];
  if (Array.isArray(all) && !(all as JsonSchema[]).every((part) => conforms(part, value))) return false;
  const types = typeof schema['type'] === 'string' ? [schema['type'] as string] : Array.isArray(schema['type']) ? (schema['type'] as string[]) : null;
  if (types !== null) {
    const actual = jsonType(value);
    if (!types.some((type) => type === actual || (type === 'number' && actual === 'integer'))) return false;
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema['minLength'] === 'number' && length < schema['minLength']) return false;
    if (typeof schema['maxLength'] === 'number' && length > schema['maxLength']) return false;
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) return false;
  }
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) return false;
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) return false;
    if (typeof schema['exclusiveMinimum'] === 'number' && value <= schema['exclusiveMinimum']) return false;
    if (typeof schema['exclusiveMaximum'] === 'number' && value >= schema['exclusiveMaximum']) return false;
  }
  if (Array.isArray(value)) {
    if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) return false;
    if (typeof schema['maxItems'] === 'number' && value.length > schema['maxItems']) return false;
    if (isSchema(schema['items']) && !value.every((item) => conforms(schema['items'] as JsonSchema, item))) return false;
  }
  if (isSchema(value) && !Array.isArray(value)) {
    const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
    for (const name of (schema['required'] ?? []) as string[]) if (!Object.hasOwn(value, name)) return false;
    for (const [name, item] of Object.entries(value)) {
      const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
      if (property !== undefined) {
        if (!conforms(property, item)) return false;
      } else if (schema['additionalProperties'] === false) return false;
      else if (isSchema(schema['additionalProperties']) && !conforms(schema['additionalProperties'], item)) return false;
    }
  }
  return true;
}

/**
 * Values for fields the schema cannot describe well enough (a phone number, a real message
 * id, base64 media): by dotted path (`contact.phone`) or by the last name (`phone`).
 * Returning undefined falls back to the schema.
 */
export type Hints = (path: readonly string[], schema: JsonSchema) => fc.Arbitrary<unknown> | undefined;

/** Text as clients send it: plain words, unicode, emoji, newlines, quotes, markup. */
export function someText(minLength = 1, maxLength = 64): fc.Arbitrary<string> {
  const cap = Math.max(minLength, Math.min(maxLength, 64));
  return fc
    .oneof(
      { arbitrary: fc.string({ minLength, maxLength: cap }), weight: 3 },
      { arbitrary: fc.string({ minLength, maxLength: cap, unit: 'grapheme' }), weight: 2 },
      { arbitrary: fc.constantFrom('Hello!', 'Привет, мир', 'مرحبا', '你好 👋🏽', 'line 1\nline 2', '"quoted" \'single\'', '<b>bold</b> & more', 'a\tb', '🇧🇷🇯🇵'), weight: 2 },
    )
    .filter((text) => {
      const length = [...text].length;
      return length >= minLength && length <= maxLength && (minLength === 0 || text.trim() !== '');
    });
}

/** A value valid for `schema` (hints first, then the schema's type, bounds, enum and pattern). */
export function validValue(schema: JsonSchema, path: readonly string[], hints: Hints): fc.Arbitrary<unknown> {
  const hinted = hints(path, schema);
  if (hinted) return hinted;
  if ('const' in schema) return fc.constant(schema['const']);
  if (Array.isArray(schema['enum'])) return fc.constantFrom(...(schema['enum'] as unknown[]));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) return fc.oneof(...(options as JsonSchema[]).map((option) => validValue(option, path, hints)));
  }
  const types = typesOf(schema).filter((type) => type !== 'null');
  if (types.length > 1) return fc.oneof(...types.map((type) => validValue({ ...schema, type }, path, hints)));
  switch (types[0]) {
    case 'string':
      return validString(schema);
    case 'integer': {
      const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : -1_000_000;
      const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : 1_000_000;
      return fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
    }
    case 'number': {
      const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : -1e9;
      const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : 1e9;
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = isSchema(schema['items']) ? schema['items'] : {};
      const minLength = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
      const maxLength = Math.min(typeof schema['maxItems'] === 'number' ? schema['maxItems'] : 8, minLength + 3);
      return fc.array(validValue(items, [...path, '0'], hints), { minLength, maxLength });
    }
    case 'object':
      return validObject(schema, path, hints);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  const maxLength = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : 200;
  const pattern = schema['pattern'];
  if (typeof pattern === 'string') {
    return fc.stringMatching(new RegExp(pattern)).filter((text) => text.length >= minLength && text.length <= maxLength);
  }
  return someText(minLength, maxLength);
}

function validObject(schema: JsonSchema, path: readonly string[], hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema['required'] ?? []) as string[]);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) model[name] = validValue(property, [...path, name], hints);
  return fc.record(model, { requiredKeys: [...required].filter((name) => name in model) });
}

/** What a mutation did to a valid body. */
export type MutationKind =
  | 'missing'
  | 'wrong-type'
  | 'null'
  | 'too-long'
  | 'too-short'
  | 'huge-string'
  | 'above-maximum'
  | 'below-minimum'
  | 'not-integer'
  | 'bad-pattern'
  | 'not-in-enum'
  | 'too-many-items'
  | 'too-few-items'
  | 'extra-field'
  | 'proto-key';

/** One field of a valid body changed. `certain`: the schema says the result is invalid, so the answer must be a 400 naming `path`. */
export interface Mutation {
  kind: MutationKind;
  path: string[];
  certain: boolean;
}

interface MutationSite {
  kind: MutationKind;
  path: string[];
  certain: boolean;
  /** The new value; `undefined` removes the field. */
  value: fc.Arbitrary<unknown>;
}

const PATTERN_BREAKERS = ['!', ' ', 'a b', '../..', '\u0000', '@@', '😀', '-', '#', '%'];

/** The places a schema can be broken, one field at a time (nested objects and first array items included). */
function mutationSites(schema: JsonSchema, path: string[], required: boolean): MutationSite[] {
  const sites: MutationSite[] = [];
  const types = typesOf(schema);
  const nullable = types.includes('null') || ['anyOf', 'oneOf'].some((key) => Array.isArray(schema[key]) && (schema[key] as JsonSchema[]).some((s) => typesOf(s).includes('null')));
  const plainTyped = types.length > 0 && !Array.isArray(schema['anyOf']) && !Array.isArray(schema['oneOf']);
  if (path.length > 0) {
    sites.push({ kind: 'missing', path, certain: required, value: fc.constant(undefined) });
    if (!nullable) sites.push({ kind: 'null', path, certain: plainTyped, value: fc.constant(null) });
    const wrong = wrongTypeValues(types);
    if (wrong.length > 0) sites.push({ kind: 'wrong-type', path, certain: plainTyped, value: fc.constantFrom(...wrong) });
  }
  if (types.includes('string') && plainTyped) {
    const max = schema['maxLength'];
    const min = schema['minLength'];
    if (typeof max === 'number') sites.push({ kind: 'too-long', path, certain: true, value: fc.integer({ min: max + 1, max: max + 64 }).map((n) => 'x'.repeat(n)) });
    else sites.push({ kind: 'huge-string', path, certain: false, value: fc.constantFrom(200_000, 1_000_000).map((n) => 'y'.repeat(n)) });
    if (typeof min === 'number' && min > 0) sites.push({ kind: 'too-short', path, certain: true, value: fc.constant('x'.repeat(min - 1)) });
    const pattern = schema['pattern'];
    if (typeof pattern === 'string') {
      const re = new RegExp(pattern, 'u');
      const breakers = PATTERN_BREAKERS.filter((text) => !re.test(text) && conformsLength(schema, text));
      if (breakers.length > 0) sites.push({ kind: 'bad-pattern', path, certain: true, value: fc.constantFrom(...breakers) });
    }
    if (Array.isArray(schema['enum'])) sites.push({ kind: 'not-in-enum', path, certain: true, value: fc.constant('not-a-listed-value') });
  }
  if ((types.includes('integer') || types.includes('number')) && plainTyped) {
    if (typeof schema['maximum'] === 'number' && schema['maximum'] < Number.MAX_SAFE_INTEGER) {
      sites.push({ kind: 'above-maximum', path, certain: true, value: fc.constantFrom(schema['maximum'] + 1, schema['maximum'] * 10 + 1, 1e300) });
    }
    if (typeof schema['minimum'] === 'number' && schema['minimum'] > Number.MIN_SAFE_INTEGER) {
      sites.push({ kind: 'below-minimum', path, certain: true, value: fc.constantFrom(schema['minimum'] - 1, -1e300) });
    }
    if (types.includes('integer')) {
      const low = typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
      sites.push({ kind: 'not-integer', path, certain: true, value: fc.constant(low + 0.5) });
    }
  }
  if (types.includes('array') && plainTyped) {
    const items = isSchema(schema['items']) ? schema['items'] : {};
    if (typeof schema['maxItems'] === 'number') sites.push({ kind: 'too-many-items', path, certain: true, value: fc.constant(schema['maxItems'] + 1) });
    if (typeof schema['minItems'] === 'number' && schema['minItems'] > 0) sites.push({ kind: 'too-few-items', path, certain: true, value: fc.constant(schema['minItems'] - 1) });
    sites.push(...mutationSites(items, [...path, '0'], false).filter((site) => site.kind !== 'missing'));
  }
  if (types.includes('object') && plainTyped) {
    const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
    const requiredNames = new Set((schema['required'] ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) sites.push(...mutationSites(property, [...path, name], requiredNames.has(name)));
    const closed = schema['additionalProperties'] === false;
    sites.push({ kind: 'extra-field', path: [...path, 'fuzzExtraField'], certain: closed, value: fc.jsonValue({ maxDepth: 1 }) });
    sites.push({ kind: 'proto-key', path: [...path, '__proto__'], certain: closed, value: fc.constantFrom({ polluted: 'yes' }, { isAdmin: true }, 'x') });
    sites.push({ kind: 'proto-key', path: [...path, 'constructor'], certain: closed, value: fc.constant({ prototype: { polluted: 'yes' } }) });
  }
  return sites;
}

function conformsLength(schema: JsonSchema, text: string): boolean {
  const length = [...text].length;
  return (typeof schema['minLength'] !== 'number' || length >= schema['minLength']) && (typeof schema['maxLength'] !== 'number' || length <= schema['maxLength']);
}

/** Values of another JSON type than all of `types`, none of which the API's lenient parsing turns into a valid one. */
function wrongTypeValues(types: readonly string[]): unknown[] {
  const candidates: [string, unknown][] = [
    ['object', { nested: 'object' }],
    ['array', ['an', 'array']],
    ['boolean', true],
    ['number', 12_345],
    ['string', 'not-a-number-or-boolean'],
  ];
  return candidates
    .filter(([type]) => !types.includes(type) && !(type === 'number' && types.includes('integer')))
    // A number or boolean becomes a string field's text in no schema of the API, but a
    // query-style string ('1', 'true') may be parsed into a number or boolean, so never those.
    .map(([, value]) => value);
}

/** Sets (or, with undefined, removes) the value at `path`, creating objects on the way; `__proto__` becomes an own key. */
function setAt(target: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (/^\d+$/.test(head)) {
    const copy = Array.isArray(target) ? [...target] : [];
    const index = Number(head);
    copy[index] = setAt(copy[index] ?? {}, rest, value);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  if (isSchema(target)) for (const [key, item] of Object.entries(target)) defineOwn(copy, key, item);
  if (rest.length === 0 && value === undefined) {
    delete copy[head];
    return copy;
  }
  defineOwn(copy, head, setAt(Object.hasOwn(copy, head) ? copy[head] : {}, rest, value));
  return copy;
}

function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function valueAt(target: unknown, path: readonly string[]): unknown {
  let current = target;
  for (const key of path) current = isSchema(current) || Array.isArray(current) ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

/** A valid body with exactly one field broken, and what was broken. */
export function mutatedBody(schema: JsonSchema, hints: Hints): fc.Arbitrary<{ body: unknown; mutation: Mutation }> {
  const sites = mutationSites(schema, [], true);
  if (sites.length === 0) return validValue(schema, [], hints).map((body) => ({ body, mutation: { kind: 'extra-field' as const, path: [], certain: false } }));
  return fc.tuple(validValue(schema, [], hints), fc.constantFrom(...sites)).chain(([body, site]) =>
    site.value.map((value) => {
      let next = value;
      if (site.kind === 'too-many-items' || site.kind === 'too-few-items') {
        // The count of items, each a copy of a valid one (or of a plain string when there is none).
        const existing = valueAt(body, site.path);
        const sample = Array.isArray(existing) && existing.length > 0 ? existing[0] : 'x';
        next = Array.from({ length: value as number }, () => sample);
      }
      return { body: setAt(body, site.path, next), mutation: { kind: site.kind, path: site.path, certain: site.certain } };
    }),
  );
}

/** Bytes and texts no body schema accepts as they are (half of them not JSON at all). */
export const hostileText: fc.Arbitrary<string> = fc.constantFrom(
  '{"to":',
  '{',
  '}{',
  '{"a":1}{"b":2}',
  '[1,2',
  '\uFEFF{"x":1',
  'null',
  'true',
  '42',
  '"a string"',
  '[]',
  '[{}]',
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"a":' + '['.repeat(5_000) + ']'.repeat(5_000) + '}',
  'a=1&a=2&__proto__=3&to[]=x&contact[phone]=1',
  '<?xml version="1.0"?><to>1</to>',
  '--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc\r\n--x--\r\n',
  '\u0000\u0001\u0002',
);

/** A random JSON document of any shape. */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/** Random bytes (often not UTF-8). */
export const anyBytes: fc.Arbitrary<Uint8Array> = fc.uint8Array({ minLength: 1, maxLength: 512 });

/** Content types the API does not read a body as. */
export const unsupportedContentType: fc.Arbitrary<string> = fc.constantFrom('image/png', 'application/xml', 'text/html', 'application/octet-stream', 'application/x-protobuf', 'video/mp4');

/** Path segments that are not what a parameter expects, percent-encoded unless `raw`. */
export const hostileSegments: readonly { text: string; raw?: boolean }[] = [
  { text: '__proto__' },
  { text: 'constructor' },
  { text: 'toString' },
  { text: 'hasOwnProperty' },
  { text: '\u0000' },
  { text: 'a'.repeat(300) },
  { text: 'x'.repeat(4_000) },
  { text: '😀' },
  { text: "' OR '1'='1" },
  { text: '"; DROP TABLE chats; --' },
  { text: '<script>alert(1)</script>' },
  { text: '../../etc/passwd' },
  { text: '-1' },
  { text: '0' },
  { text: 'NaN' },
  { text: 'null' },
  { text: ' ' },
  { text: '\u202e\u0635' },
  { text: '1e309' },
  { text: '{}' },
  { text: '%' },
  { text: '.' },
  { text: '..' },
  { text: '%zz', raw: true },
  { text: '%E0%A4%A', raw: true },
  { text: '%C0%AF', raw: true },
  { text: 'a;b=c', raw: true },
];

/** The text a hostile segment stands for once the router decoded it (null when it cannot be decoded). */
export function decodedSegment(segment: { text: string; raw?: boolean }): string | null {
  if (!segment.raw) return segment.text;
  try {
    return decodeURIComponent(segment.text);
  } catch {
    return null;
  }
}

/** A segment as it goes into a URL. */
export function encodedSegment(segment: { text: string; raw?: boolean }): string {
  return segment.raw ? segment.text : encodeURIComponent(segment.text);
}

/** Values no field of a small API should take as they are; no mid-sized number (a valid count may mean real work). */
export const hostileValue: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 53,
  1e308,
  -1e308,
  '',
  ' ',
  '💥',
  'NaN',
  '__proto__',
  '../../etc/passwd',
  'x'.repeat(70_000),
  [],
  ['a', 1],
  {},
  { nested: { deeper: null } },
);

/** The paths (keys and array indexes) of every value inside `value`, outermost first. */
function pathsOf(value: unknown, path: string[] = []): string[][] {
  if (!isSchema(value) && !Array.isArray(value)) return [];
  const paths: string[][] = [];
  for (const [key, item] of Object.entries(value)) paths.push([...path, key], ...pathsOf(item, [...path, key]));
  return paths;
}

/** A JSON body for a schemaless API: `valid` with one field removed, replaced by a hostile value, or one added (`__proto__` among them). */
export function brokenJson(valid: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid);
  const parents = [[], ...paths.filter((path) => isSchema(valueAt(valid, path)))];
  const options: fc.Arbitrary<unknown>[] = [
    fc.tuple(fc.constantFrom(...parents), fc.constantFrom('fuzzExtraField', '__proto__', 'constructor'), hostileValue).map(([parent, key, value]) => setAt(valid, [...parent, key], value)),
  ];
  if (paths.length > 0) {
    options.push(fc.constantFrom(...paths).map((path) => setAt(valid, path, undefined)));
    options.push(fc.tuple(fc.constantFrom(...paths), hostileValue).map(([path, value]) => setAt(valid, path, value)));
  }
  return fc.oneof(...options);
}
