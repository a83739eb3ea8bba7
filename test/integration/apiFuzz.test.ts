import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { qrPng } from '../../services/shared/index.js';
import { readPartitionsToEnd } from '../../services/shared/kafka/index.js';
import { createSimulator, type Simulator } from '../../services/simulator/index.js';
import { ApiHarness, TEST_ADMIN_KEY, testLogger, waitFor, type ApiAnswer, type Value } from '../helpers/index.js';
import {
  anyBytes,
  anyJson,
  brokenJson,
  conforms,
  decodedSegment,
  encodedSegment,
  hostileSegments,
  hostileText,
  mutatedBody,
  operationsOf,
  someText,
  unsupportedContentType,
  validValue,
  type FuzzOperation,
  type Hints,
  type JsonSchema,
  type OpenApiLike,
} from '../helpers/openApiArbitraries.js';

/**
 * Both HTTP surfaces fuzzed from the OpenAPI document the app serves, against the real app:
 * real broker, a connector with the simulator as WhatsApp, the projector on PGlite and the
 * analytics projection on chDB. Every operation gets valid requests (from its JSON Schemas and
 * real ids), requests with one thing broken (key, path, channel, query, body field, content
 * type) and random bytes. Every answer: no 5xx, the surface's envelope, a documented status, a
 * 400 naming its field, the expected refusal where the input is certainly wrong; a refused
 * request writes nothing; the app keeps serving and projecting. A command that outlives the
 * API's wait answers 202 with its Location (documented for every command route), never 503/504.
 * The simulator's control API gets a smaller fuzz of its own: broken and random bodies, hostile
 * paths and queries.
 *
 * Reproduce: FUZZ_SEED=<printed seed> [FUZZ_RUNS=n] [FUZZ_REFUSED_RUNS=n] [FUZZ_ONLY=<operationId regex>];
 * FUZZ_VERBOSE=1 prints every answer whose outcome was open, and the operations no valid request got through.
 */

const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Date.now() % 2_147_483_647;
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
const REFUSED_RUNS = Number(process.env.FUZZ_REFUSED_RUNS ?? RUNS);
const ONLY = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;
/** The API's wait for a command result: valid sends must not stall the run. */
const COMMAND_WAIT_MS = 2_500;
const ANSWER_TIMEOUT_MS = 20_000;

const MAIN = 'fz-main';
const SPARE = 'fz-spare';
const GHOST = 'fz-ghost';
const ME = '15550100001';
const SPARE_PHONE = '15550100002';
const ALICE = '15550100011';
const BOB = '15550100012';
const NOBODY = '0001234567';

/** The real things the generated requests point at. */
interface World {
  keys: { main: string; spare: string };
  chats: string[];
  messageIds: string[];
  groupId: string;
  labelId: string;
  storyId: string;
  mediaId: string;
  newsletterId: string;
  webhookIds: string[];
  /** Deletable: not used by anything else. */
  spareWebhookIds: string[];
  spareKeyIds: string[];
  commandIds: string[];
  pngBase64: string;
  png: Buffer;
  imageUrl: string;
  pageUrl: string;
  hookUrl: string;
}

type KeyChoice = 'admin' | 'admin-bearer' | 'own' | 'foreign' | 'none' | 'wrong' | 'bad-authorization';

type Defect =
  | 'none'
  | 'key-missing'
  | 'key-wrong'
  | 'key-foreign'
  | 'idempotency-key'
  | 'path-hostile'
  | 'path-unknown'
  | 'channel-missing'
  | 'channel-bad'
  | 'channel-unknown'
  | 'query-bad'
  | 'query-odd'
  | 'content-type'
  | 'content-encoding'
  | 'json-syntax'
  | 'json-not-object'
  | 'empty-body'
  | 'mutation'
  | 'random-json'
  | 'random-bytes'
  | 'multipart-instead'
  | 'form-instead'
  | 'file-missing'
  | 'file-wrong-field';

type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; contentType: string | null; text: string }
  | { kind: 'bytes'; contentType: string | null; bytes: Uint8Array }
  | { kind: 'form'; fields: [string, string][] }
  | { kind: 'multipart'; fields: [string, string][]; files: { field: string; name: string; type: string; bytes: Uint8Array }[] };

interface Segment {
  text: string;
  raw?: boolean;
  /** The account this segment names, for choosing the key that may act for it. */
  account?: 'main' | 'spare' | 'ghost';
}

/** One generated request and what it must get when its input is certainly wrong. */
interface Plan {
  op: FuzzOperation;
  defect: Defect;
  detail: string;
  key: KeyChoice;
  segments: Record<string, Segment>;
  query: [string, string][];
  headers: Record<string, string>;
  body: Body;
  /** Whether it carries an Idempotency-Key of its own (the request id: keys never collide across requests). */
  idempotent: boolean;
  /** The answer a certainly wrong request must get; null when the outcome is open. */
  expect: { status: number; fields?: readonly string[] } | null;
}

interface Answer {
  status: number;
  headers: Headers;
  contentType: string;
  text: string;
  json: Value | undefined;
}

interface Sent {
  requestId: string;
  plan: Plan;
  answer: Answer;
}

const READS_BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Account lifecycle operations: aimed at the spare account, never at the one the others use. */
function isLifecycle(op: FuzzOperation): boolean {
  return /^(DELETE \/accounts\/\{accountId\}|POST \/accounts\/\{accountId\}\/(connect|disconnect)|DELETE \/channels\/\{id\}|POST \/channels\/\{id\}\/(connect|connect-phone|disconnect|logout))$/.test(
    `${op.method} ${op.path}`,
  );
}

function isChannelOp(op: FuzzOperation): boolean {
  return op.parameters.some((p) => p.in === 'header' && p.name === 'X-Channel-Id');
}

function readsBody(op: FuzzOperation): boolean {
  return READS_BODY_METHODS.has(op.method) && (op.jsonBody !== null || op.multipart !== null || isChannelOp(op));
}

function declaresIdempotencyKey(op: FuzzOperation): boolean {
  return op.parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
}

function pathParams(op: FuzzOperation) {
  return op.parameters.filter((p) => p.in === 'path');
}

function queryParams(op: FuzzOperation) {
  return op.parameters.filter((p) => p.in === 'query' && p.name !== 'channelId');
}

type ParamKind = 'account' | 'chat' | 'message' | 'group' | 'label' | 'story' | 'media' | 'newsletter' | 'webhook' | 'key' | 'command' | 'phone' | 'other';

function paramKind(path: string, name: string): ParamKind {
  const root = path.split('/')[1];
  if (name === 'accountId' || (name === 'id' && root === 'channels')) return 'account';
  if (name === 'chatId' || (name === 'id' && root === 'chats')) return 'chat';
  if (name === 'messageId' || (name === 'id' && root === 'messages')) return 'message';
  if (name === 'id' && (root === 'groups' || root === 'communities')) return 'group';
  if (name === 'id' && root === 'labels') return 'label';
  if (name === 'id' && root === 'stories') return 'story';
  if (name === 'id' && root === 'media') return 'media';
  if (name === 'id' && root === 'newsletters') return 'newsletter';
  if (name === 'webhookId') return 'webhook';
  if (name === 'keyId') return 'key';
  if (name === 'commandId') return 'command';
  if (name === 'phone') return 'phone';
  return 'other';
}

/** Real values of a path parameter (destructive operations get only the deletable ones). */
function realSegments(op: FuzzOperation, kind: ParamKind, world: World): Segment[] {
  switch (kind) {
    case 'account':
      return isLifecycle(op) ? [{ text: SPARE, account: 'spare' }] : [{ text: MAIN, account: 'main' }];
    case 'chat':
      return world.chats.map((text) => ({ text }));
    case 'message':
      return world.messageIds.map((text) => ({ text }));
    case 'group':
      return [{ text: world.groupId }];
    case 'label':
      return [{ text: world.labelId }];
    case 'story':
      return [{ text: world.storyId }];
    case 'media':
      return [{ text: world.mediaId }];
    case 'newsletter':
      return [{ text: world.newsletterId }];
    case 'webhook':
      return (op.method === 'DELETE' ? world.spareWebhookIds : world.webhookIds).map((text) => ({ text }));
    case 'key':
      return world.spareKeyIds.map((text) => ({ text }));
    case 'command':
      return world.commandIds.map((text) => ({ text }));
    case 'phone':
      return [ALICE, BOB, `+${ALICE}`].map((text) => ({ text }));
    case 'other':
      return [{ text: 'fuzz' }];
    default: {
      const unknown: never = kind;
      throw new Error(`unknown parameter kind ${String(unknown)}`);
    }
  }
}

/** Well-formed values that name nothing. */
function unknownSegments(kind: ParamKind): Segment[] {
  switch (kind) {
    case 'account':
      return [{ text: GHOST, account: 'ghost' }];
    case 'chat':
      return [{ text: '15559990000@s.whatsapp.net' }, { text: '120363999999999999@g.us' }, { text: '15559990000' }];
    case 'message':
      return [{ text: 'FZ0000UNKNOWN' }, { text: '3EB0AAAAAAAAAAAA' }];
    case 'group':
      return [{ text: '120363999999999999@g.us' }];
    case 'label':
      return [{ text: '999' }];
    case 'story':
      return [{ text: 'ABCD1234' }];
    case 'media':
      return [{ text: '0'.repeat(64) }];
    case 'newsletter':
      return [{ text: '120363999999999999@newsletter' }];
    case 'webhook':
      return [{ text: 'wh_unknown' }];
    case 'key':
      return [{ text: 'key_unknown' }];
    case 'command':
      return [{ text: 'cmd-unknown' }];
    case 'phone':
      return [{ text: '15559990000' }, { text: NOBODY }];
    case 'other':
      return [{ text: 'other' }];
    default: {
      const unknown: never = kind;
      throw new Error(`unknown parameter kind ${String(unknown)}`);
    }
  }
}

const phone = fc.oneof(
  { arbitrary: fc.constantFrom(ALICE, BOB, `+${ALICE}`, `${BOB}@s.whatsapp.net`, '+1 555 010-0011'), weight: 4 },
  { arbitrary: fc.constant(NOBODY), weight: 1 },
  { arbitrary: fc.stringMatching(/^[1-9]\d{9,12}$/), weight: 1 },
);

/** Values of fields whose schema alone does not make them valid: recipients, real ids, media, URLs. */
function hintsFor(op: FuzzOperation, world: World): Hints {
  const recipients = fc.oneof({ arbitrary: phone, weight: 5 }, { arbitrary: fc.constant(world.groupId), weight: 1 });
  const media = fc.oneof(
    fc.constant(world.pngBase64),
    fc.constant(`data:image/png;base64,${world.pngBase64}`),
    fc.constant(world.imageUrl),
  );
  const messageId = fc.oneof({ arbitrary: fc.constantFrom(...world.messageIds), weight: 3 }, { arbitrary: fc.stringMatching(/^[0-9A-F]{16}$/), weight: 1 });
  return (path, schema) => {
    const name = [...path].reverse().find((segment) => !/^\d+$/.test(segment)) ?? '';
    const isArray = schema['type'] === 'array';
    const inArray = /^\d+$/.test(path.at(-1) ?? '');
    switch (name) {
      case 'to':
        return isArray ? fc.uniqueArray(phone, { minLength: 1, maxLength: 3 }) : inArray ? phone : recipients;
      case 'phone':
      case 'phoneNumber':
        return phone;
      case 'phones':
      case 'participants':
        return isArray ? fc.uniqueArray(phone, { minLength: 1, maxLength: 3 }) : phone;
      case 'chatId':
        return fc.constantFrom(...world.chats);
      case 'messageId':
      case 'quotedMessageId':
        return messageId;
      case 'media':
      case 'image':
        return schema['contentMediaType'] === undefined ? media : undefined;
      case 'url':
        return op.path.includes('webhook') ? fc.constant(world.hookUrl) : fc.constantFrom(world.pageUrl, 'https://example.com/page');
      case 'secret':
        return fc.constant(`whsec_${randomBytes(24).toString('base64')}`);
      case 'events':
        return isArray ? fc.subarray(['message.received', 'message.sent', 'message.*', 'chat.updated'], { minLength: 1 }) : undefined;
      case 'since':
        return fc.constantFrom(Date.now() - 3_600_000, new Date(Date.now() - 86_400_000).toISOString());
      case 'until':
        return fc.constantFrom(Date.now() + 60_000, new Date(Date.now() + 3_600_000).toISOString());
      case 'emoji':
        return fc.constantFrom('👍', '❤️', '😂', '🙏🏽');
      case 'email':
        return fc.constantFrom('team@example.com', 'a.b+c@example.org');
      case 'website':
        return fc.constantFrom('https://example.com', 'http://shop.example.org/path?q=1');
      case 'backgroundColor':
        return fc.stringMatching(/^#[0-9A-F]{6}$/);
      case 'mimetype':
        return fc.constantFrom('application/pdf', 'image/png', 'text/plain');
      case 'filename':
        return fc.constantFrom('report.pdf', 'photo.png', 'notes 1.txt');
      case 'options':
        return isArray ? fc.uniqueArray(someText(1, 20), { minLength: 2, maxLength: 5, selector: (text) => text.trim().toLowerCase() }) : undefined;
      case 'id':
        return op.path === '/accounts' ? fc.oneof({ arbitrary: fc.stringMatching(/^fzn-[a-z0-9]{8}$/), weight: 5 }, { arbitrary: fc.constant(MAIN), weight: 1 }) : undefined;
      case 'accountId':
        return fc.constantFrom(MAIN, SPARE);
      case 'types':
        return fc.constantFrom('message.*', 'message.received,chat.updated', '*');
      case 'text':
        return op.path.startsWith('/newsletters') ? someText(1, 200) : undefined;
      default:
        return undefined;
    }
  };
}

/** Whether every field of an object body fits a form (no nested objects or arrays). */
function flatBody(value: unknown): value is Record<string, string | number | boolean> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((item) => ['string', 'number', 'boolean'].includes(typeof item));
}

function formFields(value: Record<string, unknown>): [string, string][] {
  return Object.entries(value).map(([name, item]) => [name, typeof item === 'string' ? item : JSON.stringify(item)]);
}

/** The defects an operation can carry; `refused` keeps those whose answer is certain. */
function defectsOf(op: FuzzOperation, refused: boolean): Defect[] {
  const defects: Defect[] = [];
  const keyed = op.access !== 'public';
  const body = readsBody(op);
  if (!refused) defects.push('none', 'none', 'none', 'none');
  if (keyed) defects.push('key-missing', 'key-wrong');
  if (op.access === 'admin' || (op.access === 'account' && !isLifecycle(op))) defects.push('key-foreign');
  if (declaresIdempotencyKey(op) || !refused) defects.push('idempotency-key');
  if (pathParams(op).length > 0) defects.push('path-hostile', ...(refused ? [] : (['path-unknown'] as const)));
  if (isChannelOp(op)) defects.push('channel-missing', 'channel-bad', ...(refused ? [] : (['channel-unknown'] as const)));
  if (queryParams(op).length > 0) defects.push('query-bad', ...(refused ? [] : (['query-odd'] as const)));
  if (!refused && !keyed) defects.push('query-odd');
  if (body) {
    defects.push('content-type', 'content-encoding', 'json-syntax');
    if (op.jsonBody !== null || op.multipart?.required) defects.push('json-not-object');
    if (hasRequiredInput(op)) defects.push('empty-body');
    if (op.jsonBody !== null || op.multipart !== null) defects.push('mutation', 'mutation', 'mutation');
    if (!refused) defects.push('random-json', 'random-bytes', 'form-instead');
    if (op.multipart === null) defects.push('multipart-instead');
    if (op.multipart !== null) defects.push('file-wrong-field', ...(op.multipart.required ? (['file-missing'] as const) : []));
  }
  return defects;
}

function hasRequiredInput(op: FuzzOperation): boolean {
  if (op.multipart?.required) return true;
  return ((op.jsonBody?.['required'] ?? []) as string[]).length > 0;
}

function requiredOf(schema: JsonSchema | null | undefined): string[] {
  return (schema?.['required'] ?? []) as string[];
}

/** A valid request of `op` with `defect` applied, and the answer the defect makes certain. */
function planArbitrary(op: FuzzOperation, world: World, refused: boolean): fc.Arbitrary<Plan> | null {
  const hints = hintsFor(op, world);
  const defects = defectsOf(op, refused);
  if (defects.length === 0) return null;
  const plans = fc.constantFrom(...defects).chain((defect) => defectPlan(op, world, hints, defect));
  return refused ? plans.filter((plan) => plan.expect !== null) : plans;
}

function defectPlan(op: FuzzOperation, world: World, hints: Hints, defect: Defect): fc.Arbitrary<Plan> {
  const segmentArbs: Record<string, fc.Arbitrary<Segment>> = {};
  for (const param of pathParams(op)) segmentArbs[param.name] = fc.constantFrom(...realSegments(op, paramKind(op.path, param.name), world));
  const queryArb = fc.tuple(
    ...queryParams(op).map((param) => {
      const value = validValue(param.schema, [param.name], hints);
      return (param.required ? value : fc.option(value, { nil: undefined, freq: 2 })).map((item) => [param.name, item] as const);
    }),
  );
  const jsonBodyArb = op.jsonBody ? validValue(op.jsonBody, [], hints) : fc.constant(undefined);
  const multipartFieldsArb = op.multipart ? validValue(op.multipart.fields, [], hints) : fc.constant(undefined);
  return fc
    .record({
      segments: fc.record(segmentArbs),
      query: queryArb,
      body: jsonBodyArb,
      multipartFields: multipartFieldsArb,
      keyStyle: fc.constantFrom<KeyChoice>('admin', 'admin-bearer', 'own', 'own'),
      channelPlace: fc.constantFrom('query', 'query', 'header', 'body'),
      idempotent: fc.boolean(),
      asForm: fc.boolean(),
      mutation: op.jsonBody ? mutatedBody(op.jsonBody, hints) : op.multipart ? mutatedBody(op.multipart.fields, hints) : fc.constant(null),
      hostile: fc.constantFrom(...hostileSegments),
      unknown: fc.nat(),
      pick: fc.nat(),
      text: hostileText,
      json: anyJson,
      bytes: anyBytes,
      contentType: unsupportedContentType,
      encoding: fc.constantFrom('gzip', 'br', 'deflate', 'x-unknown'),
      bytesType: fc.constantFrom<string | null>('application/json', 'text/plain', 'application/x-www-form-urlencoded', null),
      badChannel: fc.constantFrom<unknown>('bad channel', '-x', '_x', 'a'.repeat(65), '../x', 'x/y', 42, ['a', 'b'], { id: 'x' }),
      badIdempotency: fc.constantFrom('has space', 'x'.repeat(129), '', 'caf\u00e9'),
      oddQuery: fc.constantFrom<[string, string][]>([['__proto__', 'x']], [['constructor', 'y']], [['x[y]', 'z']], [['limit', '5'], ['limit', '6']], [['channelId', MAIN], ['channelId', SPARE]], [['', '']]),
      strayFile: fc.boolean(),
    })
    .map((r) => {
      const plan: Plan = { op, defect, detail: '', key: 'admin', segments: { ...r.segments }, query: [], headers: {}, body: { kind: 'none' }, idempotent: r.idempotent && declaresIdempotencyKey(op), expect: null };
      for (const [name, value] of r.query) if (value !== undefined) plan.query.push([name, typeof value === 'string' ? value : JSON.stringify(value)]);
      // The account the request acts for: from the path or the channel.
      let account: Segment['account'] = Object.values(plan.segments).find((s) => s.account)?.account;
      const channel = isChannelOp(op) ? { place: r.channelPlace as 'query' | 'header' | 'body' | 'none', value: MAIN as unknown } : null;
      if (channel) account = 'main';
      if (channel && channel.place === 'body' && !(readsBody(op) && op.multipart === null)) channel.place = 'query';
      plan.key = op.access === 'admin' && r.keyStyle === 'own' ? 'admin' : r.keyStyle;
      if (account === 'ghost' && plan.key === 'own') plan.key = 'admin';
      // The body, valid: JSON (a form now and then), or multipart with its file.
      if (readsBody(op)) {
        if (op.multipart?.required) {
          plan.body = { kind: 'multipart', fields: formFields((r.multipartFields ?? {}) as Record<string, unknown>), files: [{ field: op.multipart.files[0]!, name: 'photo.png', type: 'image/png', bytes: world.png }] };
        } else if (r.body !== undefined) {
          plan.body = r.asForm && flatBody(r.body) && r.pick % 4 === 0 ? { kind: 'form', fields: formFields(r.body) } : { kind: 'json', value: r.body };
        } else if (isChannelOp(op)) {
          plan.body = { kind: 'json', value: {} };
        }
      }
      const fieldsOf = (path: readonly string[]) => [path.join('.')];
      switch (defect) {
        case 'none':
          break;
        case 'key-missing':
          plan.key = 'none';
          plan.expect = { status: 401 };
          break;
        case 'key-wrong':
          plan.key = r.pick % 2 === 0 ? 'wrong' : 'bad-authorization';
          plan.expect = { status: 401 };
          break;
        case 'key-foreign':
          if (op.access === 'admin') {
            plan.key = 'own';
            account = 'main';
            plan.expect = { status: 403 };
          } else if (account === 'main') {
            plan.key = 'foreign';
            plan.expect = { status: 403 };
          }
          break;
        case 'idempotency-key':
          plan.headers['idempotency-key'] = r.badIdempotency;
          if (declaresIdempotencyKey(op)) plan.expect = { status: 400, fields: ['Idempotency-Key'] };
          break;
        case 'path-hostile': {
          const params = pathParams(op);
          const param = params[r.pick % params.length]!;
          const segment: Segment = { ...r.hostile, account: 'ghost' };
          plan.segments[param.name] = segment;
          if (paramKind(op.path, param.name) === 'account') account = 'ghost';
          if (plan.key === 'own' && account === 'ghost') plan.key = 'admin';
          const decoded = decodedSegment(segment);
          const routable = decoded !== null && !['.', '..', ''].includes(segment.text) && !segment.raw;
          if (routable && !conforms(param.schema, decoded)) plan.expect = { status: 400, fields: [param.name] };
          plan.detail = `${param.name}=${JSON.stringify(segment.text.slice(0, 40))}`;
          break;
        }
        case 'path-unknown': {
          const params = pathParams(op);
          const param = params[r.pick % params.length]!;
          const options = unknownSegments(paramKind(op.path, param.name));
          const segment = options[r.unknown % options.length]!;
          plan.segments[param.name] = segment;
          if (segment.account === 'ghost') {
            account = 'ghost';
            if (plan.key === 'own') plan.key = 'admin';
          }
          plan.detail = `${param.name}=${segment.text}`;
          break;
        }
        case 'channel-missing':
          channel!.place = 'none';
          plan.expect = { status: 400, fields: ['channelId'] };
          break;
        case 'channel-bad': {
          // Not a string: only a JSON body can carry it.
          const jsonBody = readsBody(op) && op.multipart === null;
          const value = typeof r.badChannel !== 'string' && !(jsonBody && plan.body.kind === 'json') ? 'bad channel' : r.badChannel;
          const headerSafe = typeof value === 'string' && /^[\x20-\x7e]*$/.test(value);
          channel!.value = value;
          if (typeof value !== 'string') channel!.place = 'body';
          if (channel!.place === 'header' && !headerSafe) channel!.place = 'query';
          if (plan.key === 'own') plan.key = 'admin';
          plan.expect = { status: 400, fields: ['channelId'] };
          plan.detail = `channelId=${JSON.stringify(value)} in ${channel!.place}`;
          break;
        }
        case 'channel-unknown':
          channel!.value = GHOST;
          if (plan.key === 'own') plan.key = 'admin';
          break;
        case 'query-bad': {
          const params = queryParams(op);
          const param = params[r.pick % params.length]!;
          const value = badQueryValue(param.schema, r.unknown);
          plan.query = plan.query.filter(([name]) => name !== param.name);
          plan.query.push([param.name, value]);
          plan.expect = { status: 400, fields: [param.name] };
          plan.detail = `${param.name}=${value}`;
          break;
        }
        case 'query-odd':
          plan.query.push(...r.oddQuery);
          plan.detail = new URLSearchParams(r.oddQuery).toString();
          break;
        case 'content-type':
          plan.body = { kind: 'text', contentType: r.contentType, text: JSON.stringify(r.body ?? {}) };
          plan.expect = { status: 415, fields: ['body'] };
          plan.detail = r.contentType;
          break;
        case 'content-encoding':
          plan.body = { kind: 'json', value: r.body ?? {} };
          plan.headers['content-encoding'] = r.encoding;
          plan.expect = { status: 415, fields: ['body'] };
          plan.detail = r.encoding;
          break;
        case 'json-syntax': {
          const text = invalidJson(r.pick);
          plan.body = { kind: 'text', contentType: 'application/json', text };
          plan.expect = { status: 400, fields: ['body'] };
          plan.detail = JSON.stringify(text.slice(0, 30));
          break;
        }
        case 'json-not-object': {
          const text = ['null', 'true', '42', '"a string"', '[]', '[{}]'][r.pick % 6]!;
          plan.body = { kind: 'text', contentType: 'application/json', text };
          plan.expect = { status: 400, fields: op.multipart?.required ? [op.multipart.files[0]!] : ['body'] };
          plan.detail = text;
          break;
        }
        case 'empty-body':
          plan.body = { kind: 'none' };
          if (channel?.place === 'body') channel.place = 'query';
          plan.expect = { status: 400, fields: op.multipart?.required ? [op.multipart.files[0]!] : requiredOf(op.jsonBody) };
          break;
        case 'mutation': {
          const { body, mutation } = r.mutation!;
          plan.detail = `${mutation.kind} ${mutation.path.join('.') || '(root)'}`;
          if (op.multipart?.required) {
            const fields = typeof body === 'object' && body !== null ? formFields(body as Record<string, unknown>) : [];
            plan.body = { kind: 'multipart', fields, files: [{ field: op.multipart.files[0]!, name: 'photo.png', type: 'image/png', bytes: world.png }] };
            const textual = ['missing', 'too-long', 'too-short', 'bad-pattern', 'not-in-enum'].includes(mutation.kind);
            const fieldSchema = ((op.multipart.fields['properties'] ?? {}) as Record<string, JsonSchema>)[mutation.path[0] ?? ''];
            if (mutation.certain && textual && mutation.path.length === 1 && fieldSchema?.['type'] === 'string') plan.expect = { status: 400, fields: fieldsOf(mutation.path) };
          } else {
            plan.body = { kind: 'json', value: body };
            if (mutation.certain && !conforms(op.jsonBody!, body)) plan.expect = { status: 400, fields: fieldsOf(mutation.path) };
          }
          break;
        }
        case 'random-json':
          plan.body = { kind: 'json', value: r.json };
          plan.detail = JSON.stringify(r.json).slice(0, 60);
          break;
        case 'random-bytes':
          plan.body = r.pick % 3 === 0 ? { kind: 'text', contentType: r.bytesType, text: r.text } : { kind: 'bytes', contentType: r.bytesType, bytes: r.bytes };
          plan.detail = `${r.bytesType ?? 'no type'}`;
          break;
        case 'multipart-instead': {
          const fields = typeof r.body === 'object' && r.body !== null ? formFields(r.body as Record<string, unknown>) : [];
          plan.body = { kind: 'multipart', fields, files: r.strayFile ? [{ field: 'attachment', name: 'a.bin', type: 'application/octet-stream', bytes: new Uint8Array([1, 2, 3]) }] : [] };
          if (channel?.place === 'body') channel.place = 'query';
          if (r.strayFile) plan.expect = { status: 400, fields: ['attachment'] };
          break;
        }
        case 'form-instead':
          plan.body = { kind: 'form', fields: formFields((typeof r.body === 'object' && r.body !== null ? r.body : {}) as Record<string, unknown>) };
          if (channel?.place === 'body') channel.place = 'query';
          break;
        case 'file-missing':
          plan.body = { kind: 'multipart', fields: formFields((r.multipartFields ?? {}) as Record<string, unknown>), files: [] };
          plan.expect = { status: 400, fields: [op.multipart!.files[0]!] };
          break;
        case 'file-wrong-field':
          plan.body = { kind: 'multipart', fields: formFields((r.multipartFields ?? {}) as Record<string, unknown>), files: [{ field: 'notAFileField', name: 'x.png', type: 'image/png', bytes: world.png }] };
          plan.expect = { status: 400, fields: ['notAFileField'] };
          break;
        default: {
          const unknown: never = defect;
          throw new Error(`unknown defect ${String(unknown)}`);
        }
      }
      if (plan.key === 'own' && account === undefined) plan.key = op.access === 'key' ? 'own' : 'admin';
      if (plan.key === 'own' || plan.key === 'foreign') plan.headers['x-fuzz-account'] = account === 'spare' ? (plan.key === 'own' ? 'spare' : 'main') : plan.key === 'own' ? 'main' : 'spare';
      if (channel && channel.place !== 'none') placeChannel(plan, channel.place, channel.value);
      return plan;
    });
}

function placeChannel(plan: Plan, place: 'query' | 'header' | 'body', value: unknown): void {
  switch (place) {
    case 'query':
      plan.query.push(['channelId', String(value)]);
      return;
    case 'header':
      plan.headers['x-channel-id'] = String(value);
      return;
    case 'body':
      if (plan.body.kind === 'json' && typeof plan.body.value === 'object' && plan.body.value !== null && !Array.isArray(plan.body.value)) {
        plan.body = { kind: 'json', value: { ...(plan.body.value as Record<string, unknown>), channelId: value } };
      } else if (plan.body.kind === 'form') plan.body.fields.push(['channelId', String(value)]);
      else plan.query.push(['channelId', String(value)]);
      return;
    default: {
      const unknown: never = place;
      throw new Error(`unknown place ${String(unknown)}`);
    }
  }
}

/** A query value no schema of its kind accepts. */
function badQueryValue(schema: JsonSchema, pick: number): string {
  const type = schema['type'];
  if (Array.isArray(schema['enum'])) return 'not-a-listed-value';
  if (type === 'integer' || type === 'number') {
    const options = ['abc', 'NaN', '1e999', '0x'];
    if (type === 'integer') options.push('1.5');
    if (typeof schema['maximum'] === 'number' && schema['maximum'] < Number.MAX_SAFE_INTEGER) options.push(String(schema['maximum'] + 1));
    if (typeof schema['minimum'] === 'number') options.push(String(schema['minimum'] - 1));
    return options[pick % options.length]!;
  }
  if (typeof schema['pattern'] === 'string') return ['!!', 'a b', '💥'].find((text) => !new RegExp(schema['pattern'] as string, 'u').test(text)) ?? '!!';
  if (typeof schema['maxLength'] === 'number') return 'x'.repeat(schema['maxLength'] + 1);
  return 'x'.repeat(100_000);
}

const INVALID_JSON = ['{"to":', '{', '}{', '{"a":1}{"b":2}', '[1,2', '\uFEFF{"x":1', '<?xml version="1.0"?><to>1</to>', 'a=1&b=2', '\u0000\u0001', "{'single':'quotes'}", '{"a":1,}', 'NaN'];

function invalidJson(pick: number): string {
  return INVALID_JSON[pick % INVALID_JSON.length]!;
}

/** A 32-bit seed of its own for each operation, from the run's seed. */
function seedOf(operationId: string): number {
  let hash = SEED | 0;
  for (const char of operationId) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

/** Destructive operations last, so the ones before them find the group, keys and accounts still there. */
function runOrder(op: FuzzOperation): number {
  if (isLifecycle(op)) return op.method === 'DELETE' ? 3 : 2;
  return op.method === 'DELETE' ? 1 : 0;
}

/** Problems found, by operation and kind: how often, and the first request that showed each. */
class Problems {
  private readonly found = new Map<string, { count: number; example: string }>();

  add(problem: string, example: string): void {
    const entry = this.found.get(problem);
    if (entry) entry.count += 1;
    else this.found.set(problem, { count: 1, example });
  }

  assertNone(): void {
    if (this.found.size === 0) return;
    const lines = [...this.found].map(([problem, { count, example }]) => `${problem} (${count}x)\n    e.g. ${example}`);
    assert.fail(`${this.found.size} kinds of problem (reproduce with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} FUZZ_REFUSED_RUNS=${REFUSED_RUNS}):\n${lines.join('\n')}`);
  }
}

describe('both HTTP surfaces fuzzed from the OpenAPI document (real app, broker, connector, projector, analytics)', () => {
  let api: ApiHarness;
  let assets: Server;
  let world: World;
  let operations: FuzzOperation[];
  let counter = 0;
  const sent: Sent[] = [];

  /**
   * A call the test needs answered: a 202 (the command outlived the API's short wait on a busy
   * machine) is asked again with the same Idempotency-Key, which answers the same command's result.
   */
  async function completed(method: string, path: string, body: unknown, what: string): Promise<ApiAnswer> {
    const headers = { 'idempotency-key': `fz-test-${(counter += 1)}` };
    const answer = await waitFor(
      async () => {
        const reply = await api.call(method, path, body, { headers });
        return reply.status === 202 ? null : reply;
      },
      `${what} completed`,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    assert.ok(answer.status < 300, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  }

  before(async () => {
    const png = await qrPng('fuzz');
    assets = createServer((req, res) => {
      if (req.url === '/image.png') return void res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
      if (req.url === '/page') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>Fuzz</title><meta property="og:title" content="Fuzz"></head></html>');
      req.resume();
      res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => assets.listen(0, '127.0.0.1', resolve));
    const assetsBase = `http://127.0.0.1:${(assets.address() as AddressInfo).port}`;

    api = await ApiHarness.start({ projector: true, analytics: true, commandWaitMs: COMMAND_WAIT_MS });
    const h = api.h;
    await h.linkedAccount(MAIN, ME);
    await h.linkedAccount(SPARE, SPARE_PHONE);
    const mainKey = await api.services.keys.create(MAIN, 'fuzz');
    const spareKey = await api.services.keys.create(SPARE, 'fuzz');
    const spareKeyIds = [(await api.services.keys.create(MAIN, 'deletable')).view.keyId, (await api.services.keys.create(SPARE, 'deletable')).view.keyId];

    const ok = async (method: string, path: string, body: unknown, what: string): Promise<Value> => (await completed(method, path, body, what)).body;
    const channel = `channelId=${MAIN}`;
    const inbound = [];
    for (const text of ['Hello there', 'Second message']) inbound.push(((await h.sim('/sim/inbound', { accountId: MAIN, from: ALICE, text })) as Value).messageId as string);
    const picture = ((await h.sim('/sim/inbound', { accountId: MAIN, from: BOB, type: 'image', media: png.toString('base64'), mimetype: 'image/png', caption: 'pic' })) as Value).messageId as string;
    const sentText = (await ok('POST', `/accounts/${MAIN}/message/send`, { to: `${ALICE}@s.whatsapp.net`, message: 'Hi Alice' }, 'send')).messageId as string;
    const group = (await ok('POST', `/groups?${channel}`, { name: 'Fuzz group', participants: [ALICE, BOB] }, 'group')).data.id as string;
    const label = (await ok('POST', `/labels?${channel}`, { name: 'Fuzz' }, 'label')).data.id as string;
    const story = (await ok('POST', `/stories/text?${channel}`, { text: 'Fuzz story' }, 'story')).messageId as string;
    const form = new FormData();
    form.append('file', new Blob([png], { type: 'image/png' }), 'photo.png');
    const media = (await ok('POST', `/media/upload?${channel}`, form, 'upload')).mediaId as string;
    const newsletter = (await ok('POST', `/newsletters?${channel}`, { name: 'Fuzz news' }, 'newsletter')).data.id as string;
    await ok('POST', '/webhooks', { url: `${assetsBase}/hook` }, 'webhook');
    await ok('POST', '/webhooks', { url: `${assetsBase}/hook-deletable` }, 'deletable webhook');
    await ok('PUT', `/channels/${MAIN}/webhook`, { url: `${assetsBase}/hook-channel`, events: ['message.received'] }, 'channel webhook');
    const hooks = (await ok('GET', '/webhooks', undefined, 'webhooks')).webhooks as Value[];
    await api.eventually(`/accounts/${MAIN}/messages/${picture}`, (answer) => answer.status === 200, 'the inbound picture projected');
    world = {
      keys: { main: mainKey.key, spare: spareKey.key },
      chats: [`${ALICE}@s.whatsapp.net`, ALICE, `${BOB}@s.whatsapp.net`, group],
      messageIds: [...inbound, picture, sentText],
      groupId: group,
      labelId: label,
      storyId: story,
      mediaId: media,
      newsletterId: newsletter,
      webhookIds: hooks.filter((hook) => !String(hook.url).endsWith('-deletable')).map((hook) => String(hook.id)),
      spareWebhookIds: hooks.filter((hook) => String(hook.url).endsWith('-deletable')).map((hook) => String(hook.id)),
      spareKeyIds,
      commandIds: h.decoded(h.results.records).slice(0, 3).map((result) => String(result.commandId)),
      pngBase64: png.toString('base64'),
      png,
      imageUrl: `${assetsBase}/image.png`,
      pageUrl: `${assetsBase}/page`,
      hookUrl: `${assetsBase}/hook`,
    };
    assert.ok(world.webhookIds.length > 0 && world.spareWebhookIds.length > 0 && world.commandIds.length > 0, JSON.stringify(hooks));

    const document = await fetch(`${api.base}/openapi.json`);
    assert.equal(document.status, 200);
    operations = operationsOf((await document.json()) as OpenApiLike)
      .filter((op) => ONLY === null || ONLY.test(op.operationId))
      .sort((a, b) => runOrder(a) - runOrder(b));
    assert.ok(operations.length > 0, 'operations to fuzz');
    console.log(`apiFuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} FUZZ_REFUSED_RUNS=${REFUSED_RUNS}${ONLY ? ` FUZZ_ONLY=${ONLY.source}` : ''}; ${operations.length} operations`);
  });

  after(async () => {
    await api?.stop();
    await new Promise<void>((resolve) => (assets ? assets.close(() => resolve()) : resolve()));
    assert.deepEqual(api?.h.fatal ?? [], []);
  });

  /** Sends one plan over real HTTP; an event stream is cut after its head. */
  async function send(plan: Plan): Promise<{ requestId: string; answer: Answer }> {
    const requestId = `fz-${SEED}-${(counter += 1)}`;
    const path = plan.op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodedSegment(plan.segments[name] ?? { text: 'x' }));
    const search = plan.query.length > 0 ? `?${plan.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : '';
    const headers: Record<string, string> = { 'x-request-id': requestId };
    for (const [name, value] of Object.entries(plan.headers)) if (name !== 'x-fuzz-account') headers[name] = value;
    if (plan.idempotent) headers['idempotency-key'] ??= requestId;
    const keyOf = (who: string | undefined): string => (who === 'spare' ? world.keys.spare : world.keys.main);
    switch (plan.key) {
      case 'admin':
        headers['x-api-key'] = TEST_ADMIN_KEY;
        break;
      case 'admin-bearer':
        headers['authorization'] = `Bearer ${TEST_ADMIN_KEY}`;
        break;
      case 'own':
      case 'foreign':
        headers['x-api-key'] = keyOf(plan.headers['x-fuzz-account']);
        break;
      case 'none':
        break;
      case 'wrong':
        headers['x-api-key'] = `wrong-${'k'.repeat(40)}`;
        break;
      case 'bad-authorization':
        headers['authorization'] = 'Basic dXNlcjpwYXNz';
        break;
      default: {
        const unknown: never = plan.key;
        throw new Error(`unknown key choice ${String(unknown)}`);
      }
    }
    let payload: string | Uint8Array | FormData | undefined;
    const body = plan.body;
    switch (body.kind) {
      case 'none':
        break;
      case 'json':
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body.value);
        break;
      case 'text':
        if (body.contentType) headers['content-type'] = body.contentType;
        payload = body.text;
        break;
      case 'bytes':
        if (body.contentType) headers['content-type'] = body.contentType;
        payload = body.bytes;
        break;
      case 'form':
        headers['content-type'] = 'application/x-www-form-urlencoded';
        payload = new URLSearchParams(body.fields).toString();
        break;
      case 'multipart': {
        const form = new FormData();
        for (const [name, value] of body.fields) form.append(name, value);
        for (const file of body.files) form.append(file.field, new Blob([file.bytes], { type: file.type }), file.name);
        payload = form;
        break;
      }
      default: {
        const unknown: never = body;
        throw new Error(`unknown body ${JSON.stringify(unknown)}`);
      }
    }
    if (plan.op.method === 'GET') payload = undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ANSWER_TIMEOUT_MS);
    try {
      const response = await fetch(`${api.base}${path}${search}`, { method: plan.op.method, headers, signal: controller.signal, ...(payload === undefined ? {} : { body: payload }) });
      const contentType = response.headers.get('content-type') ?? '';
      if (contentType.startsWith('text/event-stream')) {
        controller.abort();
        return { requestId, answer: { status: response.status, headers: response.headers, contentType, text: '', json: undefined } };
      }
      const text = await response.text();
      let json: Value | undefined;
      if (contentType.startsWith('application/json')) {
        try {
          json = JSON.parse(text) as Value;
        } catch {
          json = undefined;
        }
      }
      return { requestId, answer: { status: response.status, headers: response.headers, contentType, text, json } };
    } catch (error) {
      if (controller.signal.aborted) return { requestId, answer: { status: 0, headers: new Headers(), contentType: '', text: `no answer within ${ANSWER_TIMEOUT_MS} ms`, json: undefined } };
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** What is wrong with an answer, as short lines (empty: nothing). */
  function problemsOf(plan: Plan, answer: Answer): string[] {
    const problems: string[] = [];
    const { op } = plan;
    const { status, json } = answer;
    if (status === 0) return [answer.text];
    const rerouted = Object.values(plan.segments).some((s) => s.raw || ['.', '..', ''].includes(s.text));
    if (status >= 500 && !((status === 503 || status === 504) && op.statuses.has(status))) problems.push(`answered ${status}`);
    if (!op.statuses.has(status) && !(rerouted && (status === 404 || status === 405))) problems.push(`status ${status} is not documented for the operation`);
    if (status >= 400) {
      if (json === undefined) problems.push(`error answer is not JSON (${answer.contentType})`);
      else {
        const wildcat = json.ok === false && typeof json.error === 'string' && typeof json.code === 'string';
        const whapi = json.success === false && typeof json.error?.code === 'string' && typeof json.error?.message === 'string';
        const expected = op.surface === 'wildcat' ? wildcat : whapi;
        if (!expected && !(rerouted && (wildcat || whapi))) problems.push(`error answer is not in the ${op.surface} envelope`);
        const field = wildcat ? json.field : json.error?.field;
        if (status === 400 && (typeof field !== 'string' || field === '')) problems.push('400 names no field');
      }
    } else if (answer.contentType.startsWith('application/json')) {
      if (json === undefined) problems.push('JSON answer does not parse');
      else if (status === 202 && op.acceptsCommand && !(typeof json.commandId === 'string' && answer.headers.get('location') === `/commands/${encodeURIComponent(json.commandId)}`)) problems.push('202 without commandId and Location');
      // A rerouted path (`.`, `..`, an empty segment) may have reached another operation, which answers its own way.
      else if (!rerouted && op.answers.has(status) && !conforms(op.answers.get(status)!, json)) problems.push(`${status} answer is not what the document says it is`);
    }
    if (plan.expect !== null) {
      const field = json?.ok === false ? json.field : json?.error?.field;
      if (status !== plan.expect.status) problems.push(`expected ${plan.expect.status}${plan.expect.fields ? ` naming ${plan.expect.fields.join(' or ')}` : ''}, got ${status}`);
      // A field inside the broken one is named as well: a lenient parse made a string a list of one.
      else if (plan.expect.fields && plan.expect.fields.length > 0 && !plan.expect.fields.some((f) => field === f || String(field).startsWith(`${f}.`))) problems.push(`expected ${status} naming ${plan.expect.fields.join(' or ')}, named ${String(field)}`);
    }
    return problems;
  }

  function describePlan(plan: Plan, requestId: string, answer: Answer): string {
    const path = plan.op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodedSegment(plan.segments[name] ?? { text: 'x' }).slice(0, 60));
    const query = plan.query.length > 0 ? `?${new URLSearchParams(plan.query.map(([k, v]): [string, string] => [k, v.slice(0, 40)])).toString()}` : '';
    const body = plan.body.kind === 'json' ? JSON.stringify(plan.body.value)?.slice(0, 200) : plan.body.kind === 'text' ? `${plan.body.contentType}: ${JSON.stringify(plan.body.text.slice(0, 60))}` : plan.body.kind;
    return `${plan.op.method} ${path}${query} [${plan.defect}${plan.detail ? `: ${plan.detail}` : ''}; key ${plan.key}; ${requestId}] body ${body} -> ${answer.status} ${answer.text.slice(0, 300)}`;
  }

  /** Runs `runs` plans of every operation; returns the problems found. */
  async function fuzz(refused: boolean, runs: number): Promise<Problems> {
    const problems = new Problems();
    const started = Date.now();
    let count = 0;
    const statuses = new Map<string, Map<number, number>>();
    for (const op of operations) {
      const arbitrary = planArbitrary(op, world, refused);
      if (arbitrary === null) continue;
      const plans = fc.sample(arbitrary, { seed: seedOf(`${refused ? 'refused' : 'mixed'}:${op.operationId}`), numRuns: runs });
      for (const plan of plans) {
        const { requestId, answer } = await send(plan);
        count += 1;
        sent.push({ requestId, plan, answer });
        const byStatus = statuses.get(op.operationId) ?? new Map<number, number>();
        byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
        statuses.set(op.operationId, byStatus);
        const found = problemsOf(plan, answer);
        if (process.env.FUZZ_VERBOSE && (plan.defect === 'none' ? answer.status >= 300 : plan.expect === null)) console.log(`apiFuzz ${describePlan(plan, requestId, answer)}`);
        if (refused && plan.expect === null) found.push('refused run without a certain refusal');
        for (const problem of found) problems.add(`${op.operationId}: ${problem}`, describePlan(plan, requestId, answer));
      }
    }
    const histogram = new Map<number, number>();
    for (const byStatus of statuses.values()) for (const [status, count] of byStatus) histogram.set(status, (histogram.get(status) ?? 0) + count);
    const byStatus = JSON.stringify(Object.fromEntries([...histogram].sort(([a], [b]) => a - b)));
    console.log(`apiFuzz ${refused ? 'refused' : 'mixed'}: ${count} requests (${operations.length} operations) in ${Date.now() - started} ms; statuses ${byStatus}`);
    return problems;
  }

  /** Everything a refused request could change: accounts, subscriptions, keys, the simulated network's outbox, every topic's end, stored media. */
  async function snapshot(): Promise<string> {
    const admin = api.h.kafka.admin();
    await admin.connect();
    try {
      const topics = [api.h.topics.commands, api.h.topics.commandResults, api.h.topics.conversation, api.h.topics.account, api.webhookSubscriptions, api.webhookRetry];
      const ends: Record<string, string> = {};
      for (const topic of topics) ends[topic.name] = (await admin.fetchTopicOffsets(topic.name)).map((o) => o.high).join(',');
      const accounts = ((await api.call('GET', '/accounts')).body.accounts as Value[]).map((a) => a._id).sort();
      const webhooks = ((await api.call('GET', '/webhooks')).body.webhooks as Value[]).map((w) => `${w.id}:${w.url}`).sort();
      const keys = ((await api.call('GET', '/api-keys')).body.data as Value[]).map((k) => k.keyId).sort();
      const outbox = [];
      for (const to of [ALICE, BOB, NOBODY]) outbox.push((await api.outbox(MAIN, to)).length);
      const media = (await readdir(`${api.h.dir}/media`, { recursive: true }).catch(() => [])).length;
      return JSON.stringify({ ends, accounts, webhooks, keys, outbox, media });
    } finally {
      await admin.disconnect();
    }
  }

  it('refuses every certainly wrong request with the documented 4xx naming the field, and changes nothing', async () => {
    // Settle first: nothing may still be on its way from the setup.
    let previous = '';
    const before = await waitFor(
      async () => {
        const now = await snapshot();
        const settled = now === previous;
        previous = now;
        return settled ? now : null;
      },
      'the state settled',
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const problems = await fuzz(true, REFUSED_RUNS);
    problems.assertNone();
    assert.equal(await snapshot(), before, 'the refused requests changed nothing');
    assert.equal((Object.prototype as Record<string, unknown>)['polluted'], undefined, 'no prototype was polluted');
  });

  it('answers every generated request (valid, one field broken, random) without a 5xx, in its envelope, with a documented status', async () => {
    const from = sent.length;
    const problems = await fuzz(false, RUNS);
    const mine = sent.slice(from);

    // A refused request wrote no command; one the connector refused (its commandId in the answer) caused no event.
    const commands = new Map<string, string>();
    const causes = new Set<string>();
    const codec = api.h.codec;
    await readPartitionsToEnd({
      kafka: api.h.kafka,
      partitions: new Map([
        [api.h.topics.commands.name, [...Array(api.h.topics.commands.partitions).keys()]],
        [api.h.topics.conversation.name, [...Array(api.h.topics.conversation.partitions).keys()]],
        [api.h.topics.account.name, [...Array(api.h.topics.account.partitions).keys()]],
      ]),
      logger: testLogger('fuzz'),
      onRecord: (record) => {
        if (record.value === null) return;
        const value = codec.decode<Value>(record.value).value;
        if (record.topic === api.h.topics.commands.name) commands.set(String(value.correlationId), String(value.commandId));
        else if (value.causationId) causes.add(String(value.causationId));
      },
    });
    for (const { requestId, plan, answer } of mine) {
      if (answer.status < 400 || answer.status >= 500) continue;
      const commandId = answer.json?.commandId ?? answer.json?.error?.commandId;
      if (typeof commandId === 'string') {
        if (causes.has(commandId)) problems.add(`${plan.op.operationId}: a refused command caused events`, describePlan(plan, requestId, answer));
      } else if (commands.has(requestId)) problems.add(`${plan.op.operationId}: a refused request wrote a command`, describePlan(plan, requestId, answer));
    }
    // Operations whose valid requests never got through point at a generator that misses what the API wants.
    const neverAccepted = operations
      .filter((op) => mine.some((s) => s.plan.op === op && s.plan.defect === 'none') && !mine.some((s) => s.plan.op === op && s.plan.defect === 'none' && s.answer.status < 300))
      .map((op) => op.operationId);
    if (process.env.FUZZ_VERBOSE && neverAccepted.length > 0) console.log(`apiFuzz: valid requests never accepted by ${neverAccepted.join(', ')}`);
    problems.assertNone();
  });

  it('still answers, executes and projects after the run', async () => {
    const ping = await api.call('GET', '/ping', undefined, { key: null });
    assert.equal(ping.status, 200);
    const text = `after the fuzz ${Date.now()}`;
    const sentAfter = await completed('POST', `/accounts/${MAIN}/message/send`, { to: ALICE, message: text }, 'a send after the fuzz');
    assert.equal(sentAfter.status, 200, JSON.stringify(sentAfter.body));
    await api.eventually(
      `/accounts/${MAIN}/chats/${ALICE}@s.whatsapp.net/messages?limit=100`,
      (answer) => answer.status === 200 && (answer.body.messages as Value[]).some((m) => m.text === text),
      'the message sent after the fuzz projected',
    );
    assert.equal((Object.prototype as Record<string, unknown>)['polluted'], undefined, 'no prototype was polluted');
  });
});

/** One request to the simulator's control API. */
interface SimRequest {
  method: 'GET' | 'POST';
  path: string;
  body: { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array };
}

/** Valid bodies of the control API's POST routes (`shop` is linked, `15550000001` its phone). */
function simBodies(pngBase64: string): Record<string, unknown[]> {
  const text = { accountId: 'shop', from: '15550000002', text: 'Hello' };
  const location = { accountId: 'shop', from: '15550000003', type: 'location', location: { latitude: 52.5, longitude: 13.4, name: 'Here' } };
  return {
    '/sim/link': [{ accountId: 'shop', phone: '15550000001', name: 'Shop', historyMessages: 2 }, { accountId: 'temp', phone: '15550000009' }],
    '/sim/unlink': [{ accountId: 'temp' }],
    '/sim/inbound': [
      text,
      location,
      { accountId: 'shop', from: '15550000004', type: 'image', media: pngBase64, mimetype: 'image/png', caption: 'pic' },
      { accountId: 'shop', from: '15550000005', type: 'contact', contact: { name: 'Ann', phone: '+1 555 000 0006' } },
      { accountId: 'shop', from: '15550000002', group: '120363000000000042', text: 'in a group', messageId: 'SIMFUZZ01', quotedMessageId: 'SIMFUZZ00' },
    ],
    '/sim/inbound/batch': [{ messages: [text, location] }],
    '/sim/receipt': [{ accountId: 'shop', messageId: 'SIMFUZZ01', status: 'read', from: '15550000002' }],
  };
}

/** Requests of every control route: broken valid bodies, random JSON and bytes, hostile query values and path segments. */
function simRequest(pngBase64: string): fc.Arbitrary<SimRequest> {
  const posts = Object.entries(simBodies(pngBase64)).map(([path, valids]) =>
    fc.oneof(
      { arbitrary: fc.constantFrom(...valids).chain(brokenJson).map((value) => ({ kind: 'json' as const, value })), weight: 6 },
      { arbitrary: fc.constantFrom(...valids).map((value) => ({ kind: 'json' as const, value })), weight: 1 },
      { arbitrary: anyJson.map((value) => ({ kind: 'json' as const, value })), weight: 1 },
      { arbitrary: hostileText.map((text) => ({ kind: 'text' as const, text })), weight: 1 },
      { arbitrary: anyBytes.map((bytes) => ({ kind: 'bytes' as const, bytes })), weight: 1 },
    ).map((body): SimRequest => ({ method: 'POST', path, body })),
  );
  const segment = fc.oneof(fc.constantFrom(...hostileSegments), fc.constantFrom({ text: 'shop' }, { text: '120363000000000042@g.us' }, { text: 'a'.repeat(64) }));
  // Short enough for a URL: Node refuses longer heads (431) before the simulator sees them.
  const queryValue = fc.oneof(fc.constantFrom('shop', '15550000002', '', ' ', '%', '__proto__'), hostileText.filter((text) => text.length < 1_000));
  const gets = [
    fc.tuple(fc.constantFrom('/sim/outbox', '/sim/inbox'), fc.option(queryValue), fc.option(queryValue), fc.constantFrom('to', 'from', 'accountId')).map(
      ([path, account, other, name]) => {
        const query = new URLSearchParams();
        if (account !== null) query.append('accountId', account);
        if (other !== null) query.append(name, other);
        return `${path}?${query.toString()}`;
      },
    ),
    fc.tuple(fc.constantFrom('/sim/accounts/', '/sim/groups/', '/sim/media/'), segment).map(([path, s]) => `${path}${encodedSegment(s)}`),
    fc.constant('/sim/health'),
  ].map((path) => path.map((p): SimRequest => ({ method: 'GET', path: p, body: { kind: 'none' } })));
  return fc.oneof(...posts, ...gets);
}

describe('the simulator control API under random bodies', () => {
  let dir: string;
  let simulator: Simulator;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wa-sim-fuzz-'));
    simulator = await createSimulator({ dataDir: dir, port: 0, host: '127.0.0.1', logger: testLogger('sim-fuzz') });
    const link = await fetch(`${simulator.url}/sim/link`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: 'shop', phone: '15550000001' }) });
    assert.equal(link.status, 200);
  });

  after(async () => {
    await simulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers every request below 500, errors as { error: { code, message, field } }, a 400 naming its field', async () => {
    const pngBase64 = (await qrPng('sim-fuzz')).toString('base64');
    const requests = fc.sample(simRequest(pngBase64), { seed: seedOf('simulator'), numRuns: RUNS * 40 });
    const problems = new Problems();
    const statuses = new Map<number, number>();
    for (const request of requests) {
      const { body } = request;
      const payload = body.kind === 'json' ? JSON.stringify(body.value) : body.kind === 'text' ? body.text : body.kind === 'bytes' ? body.bytes : undefined;
      const response = await fetch(`${simulator.url}${request.path}`, {
        method: request.method,
        ...(payload === undefined ? {} : { body: payload, headers: { 'content-type': body.kind === 'bytes' ? 'application/octet-stream' : 'application/json' } }),
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const text = await response.text();
      const example = `${request.method} ${request.path.slice(0, 100)} ${(payload === undefined ? '' : typeof payload === 'string' ? payload : `${payload.length} bytes`).slice(0, 200)} -> ${response.status} ${text.slice(0, 200)}`;
      const route = request.path.split('?')[0]!.split('/').slice(0, 3).join('/');
      if (response.status >= 500) problems.add(`${route}: answered ${response.status}`, example);
      if (response.status < 400) continue;
      let error: Value | undefined;
      try {
        error = (JSON.parse(text) as Value).error;
      } catch {
        problems.add(`${route}: error answer is not JSON`, example);
        continue;
      }
      if (typeof error?.code !== 'string' || typeof error.message !== 'string' || !(error.field === null || typeof error.field === 'string')) problems.add(`${route}: error answer is not { error: { code, message, field } }`, example);
      else if (response.status === 400 && !error.field) problems.add(`${route}: 400 names no field`, example);
    }
    console.log(`apiFuzz simulator: ${requests.length} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    problems.assertNone();
    const health = await fetch(`${simulator.url}/sim/health`);
    assert.equal(health.status, 200, 'the simulator still answers');
    assert.equal((Object.prototype as Record<string, unknown>)['polluted'], undefined, 'no prototype was polluted');
  });
});
