import { WaError } from '../shared/index.js';
import { readJson, type Router } from './http.js';
import type { Network } from './Network.js';
import type { RpcOp, RpcRequest } from './protocol.js';
import { oneOf, optionalObject, optionalString, requiredNumber, requiredString, stringArray } from './validate.js';

const JSON_LIMIT = 100 * 1024 * 1024;
const MAX_WAIT_MS = 60_000;

const RPC_OPS: readonly RpcOp[] = [
  'relay',
  'onWhatsApp',
  'appPatch',
  'readMessages',
  'updateBlockStatus',
  'fetchBlocklist',
  'profilePictureUrl',
  'fetchStatus',
  'updateProfileStatus',
  'updateProfilePicture',
  'getBusinessProfile',
  'updateBusinessProfile',
  'groupCreate',
  'groupMetadata',
  'groupUpdateSubject',
  'groupUpdateDescription',
  'groupSettingUpdate',
  'groupToggleEphemeral',
  'groupLeave',
  'groupParticipantsUpdate',
  'groupInviteCode',
  'groupRevokeInvite',
  'sendPresenceUpdate',
  'newsletterCreate',
  'pairingCode',
  'logout',
];

/** Registers the routes the simulator driver talks to (see protocol.ts). */
export function registerDriverApi(router: Router, network: Network): void {
  router
    .add('POST', '/sim/driver/sessions', async ({ req }) => {
      const body = await readJson(req, JSON_LIMIT);
      return { json: await network.openSession({ accountId: requiredString(body, 'accountId', 200), meId: optionalString(body, 'meId', 128) }) };
    })
    .add('GET', '/sim/driver/sessions/:sessionId/deliveries', async ({ params, url }) => {
      return { json: await network.poll(params.sessionId!, waitOf(url.searchParams.get('waitMs')), maxOf(url.searchParams.get('max'))) };
    })
    .add('POST', '/sim/driver/sessions/:sessionId/deliveries', async ({ params, req }) => {
      // Acknowledges the previous run and long-polls for the next in one round trip. The ack
      // settles its lease at once, so the poll can hand out the next run while the ack is
      // still being journaled; the answer waits for both (an acknowledged delivery is on disk).
      const body = await readJson(req, JSON_LIMIT);
      const ids = body.ack === undefined ? [] : stringArray(body, 'ack', 100_000);
      const acked = ids.length > 0 ? network.ack(params.sessionId!, ids) : Promise.resolve(0);
      const [, next] = await Promise.all([acked, network.poll(params.sessionId!, waitOf(body.waitMs), maxOf(body.max))]);
      return { json: next };
    })
    .add('POST', '/sim/driver/sessions/:sessionId/ack', async ({ params, req }) => {
      const ids = stringArray(await readJson(req, JSON_LIMIT), 'deliveryIds', 100_000);
      return { json: { acked: await network.ack(params.sessionId!, ids) } };
    })
    .add('POST', '/sim/driver/sessions/:sessionId/release', async ({ params, req }) => {
      const ids = stringArray(await readJson(req, JSON_LIMIT), 'deliveryIds', 100_000);
      return { json: { released: network.release(params.sessionId!, ids) } };
    })
    .add('POST', '/sim/driver/sessions/:sessionId/rpc', async ({ params, req }) => {
      const request = parseRpc(await readJson(req, JSON_LIMIT));
      return { json: { result: await network.rpc(params.sessionId!, request) } };
    })
    .add('POST', '/sim/driver/sessions/:sessionId/upload', async ({ params, req, url }) => {
      const mediaType = url.searchParams.get('mediaType');
      if (!mediaType || !/^[a-z-]{2,32}$/.test(mediaType)) throw new WaError('INVALID_ARGUMENT', 'mediaType is required', { field: 'mediaType' });
      const declared = url.searchParams.get('fileEncSha256');
      const declaredHex = declared === null ? null : Buffer.from(declared, 'base64').toString('hex');
      return { json: await network.upload(params.sessionId!, mediaType, declaredHex, req) };
    })
    .add('DELETE', '/sim/driver/sessions/:sessionId', ({ params }) => {
      network.closeSession(params.sessionId!);
      return { json: { closed: true } };
    })
    .add('GET', '/sim/driver/media', async ({ url }) => {
      const { stream, size, mimetype } = await network.downloadMedia(url.searchParams.get('directPath'), url.searchParams.get('fileSha256'));
      return { stream, size, contentType: mimetype ?? 'application/octet-stream' };
    });
}

/** A poll's wait (ms) as asked, within 0..MAX_WAIT_MS; 0 when absent or not a number. */
function waitOf(value: unknown): number {
  return Math.min(MAX_WAIT_MS, Math.max(0, Number(value ?? 0) || 0));
}

/** Most deliveries a poll takes as asked; 100 when absent or not a number. */
function maxOf(value: unknown): number {
  return Math.max(1, Number(value ?? 100) || 100);
}

/** Validates one socket operation. */
export function parseRpc(body: Record<string, unknown>): RpcRequest {
  const op = oneOf(body, 'op', RPC_OPS);
  const jid = (): string => requiredString(body, 'jid', 128);
  switch (op) {
    case 'relay':
      return { op, jid: jid(), message: requiredString(body, 'message', JSON_LIMIT) };
    case 'onWhatsApp':
      return { op, phones: stringArray(body, 'phones') };
    case 'appPatch':
      return {
        op,
        index: stringArray(body, 'index', 16),
        value: requiredString(body, 'value', 1024 * 1024),
        operation: oneOf(body, 'operation', ['set', 'remove'] as const, 'set'),
      };
    case 'readMessages': {
      const keys = body.keys;
      if (!Array.isArray(keys)) throw new WaError('INVALID_ARGUMENT', 'keys must be an array', { field: 'keys' });
      return {
        op,
        keys: keys.map((key: unknown) => {
          const record = (typeof key === 'object' && key !== null ? key : {}) as Record<string, unknown>;
          return { remoteJid: requiredString(record, 'remoteJid', 128), id: requiredString(record, 'id', 128), participant: optionalString(record, 'participant', 128) };
        }),
      };
    }
    case 'updateBlockStatus':
      return { op, jid: jid(), action: oneOf(body, 'action', ['block', 'unblock'] as const) };
    case 'fetchBlocklist':
    case 'logout':
      return { op };
    case 'profilePictureUrl':
    case 'getBusinessProfile':
    case 'groupMetadata':
    case 'groupLeave':
    case 'groupInviteCode':
    case 'groupRevokeInvite':
      return { op, jid: jid() };
    case 'fetchStatus':
      return { op, jids: stringArray(body, 'jids') };
    case 'updateProfileStatus':
      return { op, status: optionalString(body, 'status', 139) ?? '' };
    case 'updateProfilePicture':
      return { op, jid: jid(), image: requiredString(body, 'image', JSON_LIMIT) };
    case 'updateBusinessProfile':
      return { op, profile: optionalObject(body, 'profile') ?? {} };
    case 'groupCreate':
      return { op, subject: requiredString(body, 'subject', 100), participants: stringArray(body, 'participants') };
    case 'groupUpdateSubject':
      return { op, jid: jid(), subject: requiredString(body, 'subject', 100) };
    case 'groupUpdateDescription':
      return { op, jid: jid(), description: optionalString(body, 'description', 2048) };
    case 'groupSettingUpdate':
      return { op, jid: jid(), setting: oneOf(body, 'setting', ['announcement', 'not_announcement', 'locked', 'unlocked'] as const) };
    case 'groupToggleEphemeral':
      return { op, jid: jid(), expiration: requiredNumber(body, 'expiration', 0, 365 * 24 * 3600) };
    case 'groupParticipantsUpdate':
      return {
        op,
        jid: jid(),
        participants: stringArray(body, 'participants'),
        action: oneOf(body, 'action', ['add', 'remove', 'promote', 'demote'] as const),
      };
    case 'sendPresenceUpdate':
      return {
        op,
        presence: oneOf(body, 'presence', ['unavailable', 'available', 'composing', 'recording', 'paused'] as const),
        toJid: optionalString(body, 'toJid', 128),
      };
    case 'newsletterCreate':
      return { op, name: requiredString(body, 'name', 100), description: optionalString(body, 'description', 2048) };
    case 'pairingCode':
      return { op, phone: requiredString(body, 'phone', 32) };
    default: {
      const unknown: never = op;
      throw new WaError('INVALID_ARGUMENT', `unknown op ${String(unknown)}`, { field: 'op' });
    }
  }
}
