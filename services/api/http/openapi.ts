import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { pathParameters } from './checkRoutes.js';
import type { Access, AnyRoute, ResponseSpec, Surface } from './route.js';
import { readsBody, takesIdempotencyKey } from './routeTraits.js';
import { layoutOf } from './envelope.js';

export type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiMediaType {
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters: OpenApiParameter[];
  requestBody?: { required: boolean; description?: string; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse>;
  'x-wa-access': Access;
  'x-wa-surface': Surface;
}

/** An OpenAPI 3.1 document. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: OpenApiInfo;
  jsonSchemaDialect: string;
  servers: { url: string }[];
  tags: { name: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    securitySchemes: Record<string, Record<string, string>>;
    schemas: Record<string, JsonSchema>;
  };
}

const KEY_SECURITY: Record<string, string[]>[] = [{ apiKey: [] }, { bearer: [] }];

const ACCESS_TEXT: Readonly<Record<Access, string>> = {
  public: 'Public: no API key needed.',
  key: 'Any valid API key (admin or account key).',
  admin: 'Admin key only.',
  account: "The admin key, or a key of the route's account.",
};

const COMPONENT_SCHEMAS: Record<string, JsonSchema> = {
  WildcatError: {
    type: 'object',
    description: 'Error answer of the WILDCAT surface; `error` is the message (a generic code from 500 on).',
    properties: {
      ok: { const: false },
      error: { type: 'string' },
      code: { type: 'string' },
      field: { type: 'string', description: 'The input field to fix, dotted (`contact.phone`).' },
      commandId: { type: 'string' },
    },
    required: ['ok', 'error', 'code'],
  },
  WhapiError: {
    type: 'object',
    description: 'Error answer of the WHAPI and system surfaces.',
    properties: {
      success: { const: false },
      error: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          message: { type: 'string' },
          field: { type: 'string', description: 'The input field to fix, dotted (`contact.phone`).' },
          commandId: { type: 'string' },
        },
        required: ['code', 'message'],
      },
    },
    required: ['success', 'error'],
  },
  WildcatAccepted: {
    type: 'object',
    description: 'The command did not finish within the wait; poll `Location` (`GET /commands/{commandId}`).',
    properties: { ok: { const: true }, commandId: { type: 'string' }, status: { const: 'pending' } },
    required: ['ok', 'commandId', 'status'],
  },
  WhapiAccepted: {
    type: 'object',
    description: 'The command did not finish within the wait; poll `Location` (`GET /commands/{commandId}`).',
    properties: { success: { const: true }, commandId: { type: 'string' }, status: { const: 'pending' } },
    required: ['success', 'commandId', 'status'],
  },
};

/** Builds the OpenAPI 3.1 document of a route list: the same definitions that validate and serve. */
export function buildOpenApi(routes: readonly AnyRoute[], info: OpenApiInfo): OpenApiDocument {
  const schemas = new SchemaConverter({ ...COMPONENT_SCHEMAS });
  const paths: OpenApiDocument['paths'] = {};
  const tags: string[] = [];
  for (const route of routes) {
    const path = route.path.replace(/[:*]([A-Za-z_$][\w$]*)/g, '{$1}');
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route, schemas);
    for (const tag of route.tags) if (!tags.includes(tag)) tags.push(tag);
  }
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: '/' }],
    tags: tags.map((name) => ({ name })),
    security: KEY_SECURITY,
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        bearer: { type: 'http', scheme: 'bearer', description: 'The same API key as `Authorization: Bearer <key>`.' },
      },
      schemas: schemas.components,
    },
  };
}

function operation(route: AnyRoute, schemas: SchemaConverter): OpenApiOperation {
  const notes = [ACCESS_TEXT[route.access]];
  if (route.surface === 'whapi' && route.body) notes.push('Body fields may also be given as query parameters; the body wins.');
  if (route.account === 'channel') notes.push('The channel is `channelId` in the query or the body, or the `X-Channel-Id` header.');
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: notes.join(' '),
    tags: [...route.tags],
    ...(route.access === 'public' ? { security: [] } : {}),
    parameters: parameters(route, schemas),
    ...(route.body || route.multipart ? { requestBody: requestBody(route, schemas) } : {}),
    responses: responses(route, schemas),
    'x-wa-access': route.access,
    'x-wa-surface': route.surface,
  };
}

function parameters(route: AnyRoute, schemas: SchemaConverter): OpenApiParameter[] {
  const list: OpenApiParameter[] = [];
  const pathFields = route.params ? objectFields(schemas.convert(route.params)) : null;
  for (const name of pathParameters(route.path)) {
    list.push({ name, in: 'path', required: true, schema: pathFields?.properties[name] ?? { type: 'string' } });
  }
  const queryFields = route.query ? objectFields(schemas.convert(route.query)) : null;
  for (const [name, schema] of Object.entries(queryFields?.properties ?? {})) {
    list.push({ name, in: 'query', required: queryFields!.required.includes(name), schema });
  }
  if (route.account === 'channel') {
    if (!list.some((p) => p.in === 'query' && p.name === 'channelId')) {
      list.push({ name: 'channelId', in: 'query', required: false, description: 'The channel (account) id, unless given in the body or X-Channel-Id.', schema: { type: 'string' } });
    }
    list.push({ name: 'X-Channel-Id', in: 'header', required: false, description: 'The channel (account) id, unless given as channelId.', schema: { type: 'string' } });
  }
  if (takesIdempotencyKey(route)) {
    list.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'The same key gives the same command: a retried request never acts twice. A retry after an answer that did not start the command (504 expired, 409 not connected) runs it.',
      schema: { type: 'string', minLength: 1, maxLength: 128 },
    });
  }
  return list;
}

function requestBody(route: AnyRoute, schemas: SchemaConverter): NonNullable<OpenApiOperation['requestBody']> {
  const body = route.body ? schemas.convert(route.body) : { type: 'object', properties: {} };
  const fields = objectFields(body);
  const content: Record<string, OpenApiMediaType> = {};
  const multipart = route.multipart;
  if (!multipart?.required) {
    content['application/json'] = { schema: body };
    content['application/x-www-form-urlencoded'] = { schema: body };
  }
  if (multipart) {
    const files = Object.fromEntries(multipart.files.map((name) => [name, { type: 'string', contentMediaType: 'application/octet-stream' }]));
    const required = [...(fields?.required ?? []), ...(multipart.required && multipart.files.length === 1 ? multipart.files : [])];
    content['multipart/form-data'] = {
      schema: { type: 'object', properties: { ...(fields?.properties ?? {}), ...files }, ...(required.length > 0 ? { required } : {}) },
    };
  }
  return {
    required: Boolean(multipart?.required) || (fields?.required.length ?? 0) > 0,
    ...(multipart && multipart.files.length > 1 && multipart.required ? { description: `At least one of ${multipart.files.join(', ')}.` } : {}),
    content,
  };
}

const STANDARD_ERRORS: readonly [number, string, (route: AnyRoute) => boolean][] = [
  [400, 'Invalid input; `field` names the field to fix.', (r) => Boolean(r.params || r.query || r.body || r.multipart || r.account || r.method !== 'GET')],
  [401, 'Missing or unknown API key.', (r) => r.access !== 'public'],
  [403, 'The key may not use this route or account.', (r) => r.access === 'admin' || r.access === 'account'],
  [413, 'Body or file too large.', readsBody],
  [415, 'Body of a content type or encoding the route does not read (JSON, urlencoded and multipart/form-data are read, unencoded).', readsBody],
  [429, 'Too many requests for this key; see Retry-After.', (r) => r.access !== 'public'],
  [500, 'Unexpected failure; the message is generic.', () => true],
];

function responses(route: AnyRoute, schemas: SchemaConverter): Record<string, OpenApiResponse> {
  const out: Record<string, OpenApiResponse> = {};
  for (const [status, spec] of Object.entries(route.responses)) out[status] = response(route, Number(status), spec, schemas);
  for (const [status, description, applies] of STANDARD_ERRORS) {
    if (out[status] === undefined && applies(route)) out[status] = response(route, status, { description }, schemas);
  }
  return out;
}

function response(route: AnyRoute, status: number, spec: ResponseSpec, schemas: SchemaConverter): OpenApiResponse {
  const wildcat = route.surface === 'wildcat';
  if (status >= 400) {
    return {
      description: spec.description,
      ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds until the key may call again.', schema: { type: 'integer' } } } } : {}),
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${wildcat ? 'WildcatError' : 'WhapiError'}` } } },
    };
  }
  if (spec.contentType) {
    const schema = spec.contentType.startsWith('text/') ? { type: 'string' } : { type: 'string', contentMediaType: spec.contentType };
    return { description: spec.description, content: { [spec.contentType]: { schema } } };
  }
  if (status === 202 && !spec.schema) {
    return {
      description: spec.description,
      headers: { Location: { description: 'Where to poll the command: /commands/{commandId}.', schema: { type: 'string' } } },
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${wildcat ? 'WildcatAccepted' : 'WhapiAccepted'}` } } },
    };
  }
  if (!spec.schema) return { description: spec.description };
  const body = schemas.convert(spec.schema);
  const layout = layoutOf(route.surface, spec);
  const schema = layout === 'raw' ? body : layout === 'spread' ? spread(wildcat ? 'ok' : 'success', body) : dataEnvelope(body);
  return { description: spec.description, content: { 'application/json': { schema } } };
}

function spread(flag: 'ok' | 'success', body: JsonSchema): JsonSchema {
  const fields = objectFields(body);
  if (!fields) return { allOf: [{ type: 'object', properties: { [flag]: { const: true } }, required: [flag] }, body] };
  return { ...body, properties: { [flag]: { const: true }, ...fields.properties }, required: [flag, ...fields.required] };
}

function dataEnvelope(body: JsonSchema): JsonSchema {
  return { type: 'object', properties: { success: { const: true }, data: body }, required: ['success', 'data'] };
}

function objectFields(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: string[] } | null {
  if (schema['type'] !== 'object' || typeof schema['properties'] !== 'object' || schema['properties'] === null) return null;
  const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
  return { properties: schema['properties'] as Record<string, JsonSchema>, required };
}

/**
 * zod schemas as JSON Schema 2020-12 (OpenAPI 3.1's dialect), input side (what clients send).
 * Named definitions (`.meta({ id })`) move to components.schemas, their references with them.
 */
class SchemaConverter {
  constructor(readonly components: Record<string, JsonSchema>) {}

  convert(schema: z.ZodType): JsonSchema {
    let json: JsonSchema;
    try {
      json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
    } catch {
      return { description: 'not representable as JSON Schema' };
    }
    const { $schema: _dialect, $defs, ...rest } = json;
    const renames = new Map<string, string>();
    const definitions = Object.entries(($defs ?? {}) as Record<string, JsonSchema>);
    for (const [name] of definitions) renames.set(name, name);
    for (const [name, definition] of definitions) {
      const rewritten = rewriteRefs(definition, renames) as JsonSchema;
      let target = name;
      for (let n = 2; this.components[target] !== undefined && !isDeepStrictEqual(this.components[target], rewritten); n += 1) target = `${name}${n}`;
      renames.set(name, target);
      this.components[target] = rewritten;
    }
    return rewriteRefs(rest, renames) as JsonSchema;
  }
}

function rewriteRefs(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, renames));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && item.startsWith('#/$defs/')) {
      const name = item.slice('#/$defs/'.length);
      out[key] = `#/components/schemas/${renames.get(name) ?? name}`;
    } else out[key] = rewriteRefs(item, renames);
  }
  return out;
}

/**
 * What is wrong with a document as the description of `routes` (empty when nothing): a route
 * missing or documented twice, an operationId used twice, a path parameter not declared, a
 * reference that resolves nowhere, a response without a status code or description.
 */
export function openApiProblems(document: OpenApiDocument, routes: readonly AnyRoute[]): string[] {
  const problems: string[] = [];
  if (document.openapi !== '3.1.0') problems.push(`openapi is ${String(document.openapi)}, not 3.1.0`);
  const seen = new Map<string, string>();
  let operations = 0;
  for (const [path, methods] of Object.entries(document.paths)) {
    const templateParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const [method, op] of Object.entries(methods)) {
      operations += 1;
      const where = `${method.toUpperCase()} ${path}`;
      const other = seen.get(op.operationId);
      if (other) problems.push(`operationId ${op.operationId} is used by ${other} and ${where}`);
      seen.set(op.operationId, where);
      const declared = op.parameters.filter((p) => p.in === 'path');
      for (const name of templateParams) {
        if (!declared.some((p) => p.name === name && p.required)) problems.push(`${where} does not declare path parameter ${name}`);
      }
      for (const p of declared) if (!templateParams.includes(p.name)) problems.push(`${where} declares path parameter ${p.name} that is not in the path`);
      const keys = new Set<string>();
      for (const p of op.parameters) {
        const key = `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
        if (keys.has(key)) problems.push(`${where} declares ${key} twice`);
        keys.add(key);
      }
      if (Object.keys(op.responses).length === 0) problems.push(`${where} documents no response`);
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[1-5]\d\d$/.test(status) && status !== 'default') problems.push(`${where} has response ${status}, not a status code`);
        if (!response.description) problems.push(`${where} response ${status} has no description`);
      }
    }
  }
  for (const route of routes) {
    const path = route.path.replace(/[:*]([A-Za-z_$][\w$]*)/g, '{$1}');
    const op = document.paths[path]?.[route.method.toLowerCase()];
    if (!op) problems.push(`${route.method} ${route.path} is not documented`);
    else if (op.operationId !== route.operationId) problems.push(`${route.method} ${route.path} is documented as ${op.operationId}, not ${route.operationId}`);
  }
  if (operations !== routes.length) problems.push(`${operations} operations documented for ${routes.length} routes`);
  for (const ref of JSON.stringify(document).matchAll(/"\$ref":"([^"]*)"/g)) {
    const target = ref[1]!;
    const name = target.startsWith('#/components/schemas/') ? target.slice('#/components/schemas/'.length) : null;
    if (name === null || document.components.schemas[name] === undefined) problems.push(`reference ${target} resolves nowhere`);
  }
  return problems;
}
