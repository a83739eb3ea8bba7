import { WaError } from '../shared/index.js';
import { errorBody, readJson, statusOf, type Router } from './http.js';
import { phoneDigits } from './jids.js';
import { INBOUND_TYPES, contactVcard, isMediaType, type InboundContent } from './messages.js';
import type { InboundRequest, LinkRequest, Network } from './Network.js';
import {
  oneOf,
  optionalBase64,
  optionalInteger,
  optionalObject,
  optionalString,
  requiredNumber,
  requiredString,
} from './validate.js';

const JSON_LIMIT = 100 * 1024 * 1024;
/** Most messages one `POST /sim/inbound/batch` may carry. */
export const INBOUND_BATCH_LIMIT = 10_000;
const MIMETYPE = /^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/;

/** Registers the control API (`/sim/...`) that tests and demos use to play the phones. */
export function registerControlApi(router: Router, network: Network): void {
  router
    .add('GET', '/sim/health', () => ({ json: { ok: true, ...network.health() } }))
    .add('POST', '/sim/link', async ({ req }) => ({ json: await network.link(parseLink(await readJson(req, JSON_LIMIT))) }))
    .add('POST', '/sim/unlink', async ({ req }) => {
      const accountId = requiredString(await readJson(req, JSON_LIMIT), 'accountId', 200);
      await network.unlink(accountId);
      return { json: { accountId, linked: false } };
    })
    .add('POST', '/sim/inbound', async ({ req }) => ({ json: await network.inbound(parseInbound(await readJson(req, JSON_LIMIT))) }))
    .add('POST', '/sim/inbound/batch', async ({ req }) => {
      const outcomes = await network.inboundBatch(parseInboundBatch(await readJson(req, JSON_LIMIT)));
      // A refused message answers as its single post would have: the error body and its status.
      return { json: { messages: outcomes.map((outcome) => ('error' in outcome ? { error: { ...errorBody(outcome.error), status: statusOf(outcome.error) } } : outcome)) } };
    })
    .add('GET', '/sim/outbox', ({ url }) => {
      const accountId = queryString(url, 'accountId', true)!;
      return { json: { accountId, messages: network.outbox(accountId, queryString(url, 'to', false)) } };
    })
    .add('GET', '/sim/inbox', ({ url }) => {
      const accountId = queryString(url, 'accountId', true)!;
      return { json: { accountId, messages: network.inbox(accountId, queryString(url, 'from', false)) } };
    })
    .add('POST', '/sim/receipt', async ({ req }) => {
      const body = await readJson(req, JSON_LIMIT);
      return {
        json: await network.receipt({
          accountId: requiredString(body, 'accountId', 200),
          messageId: requiredString(body, 'messageId', 128),
          status: oneOf(body, 'status', ['delivered', 'read'] as const),
          from: optionalString(body, 'from', 64),
        }),
      };
    })
    .add('GET', '/sim/accounts/:accountId', ({ params }) => ({ json: network.account(params.accountId!) }))
    .add('GET', '/sim/groups/:groupId', ({ params }) => ({ json: network.group(params.groupId!) }))
    .add('GET', '/sim/media/:sha256', async ({ params }) => {
      const { stream, size } = await network.openMedia(params.sha256!);
      return { stream, size, contentType: 'application/octet-stream' };
    });
}

function queryString(url: URL, name: string, required: boolean): string | null {
  const value = url.searchParams.get(name);
  if (value === null || value.trim() === '') {
    if (required) throw new WaError('INVALID_ARGUMENT', `${name} is required`, { field: name });
    return null;
  }
  return value;
}

/** Validates a `POST /sim/link` body. */
export function parseLink(body: Record<string, unknown>): LinkRequest {
  return {
    accountId: requiredString(body, 'accountId', 200),
    phone: requiredString(body, 'phone', 32),
    name: optionalString(body, 'name', 100),
    code: optionalString(body, 'code', 16),
    historyMessages: optionalInteger(body, 'historyMessages', 0, 10_000_000) ?? 0,
    historyChats: optionalInteger(body, 'historyChats', 1, 1_000_000),
  };
}

/**
 * Validates a `POST /sim/inbound/batch` body, `{ messages: [...] }`: each item exactly as a
 * `POST /sim/inbound` body; a bad item refuses the whole batch, naming it (`messages[3].from`).
 */
export function parseInboundBatch(body: Record<string, unknown>): InboundRequest[] {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new WaError('INVALID_ARGUMENT', 'messages must be a non-empty array of inbound messages', { field: 'messages' });
  }
  if (messages.length > INBOUND_BATCH_LIMIT) {
    throw new WaError('INVALID_ARGUMENT', `messages must hold at most ${INBOUND_BATCH_LIMIT} items`, { field: 'messages' });
  }
  return messages.map((item: unknown, index) => {
    const field = `messages[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new WaError('INVALID_ARGUMENT', `${field} must be an object`, { field });
    try {
      return parseInbound(item as Record<string, unknown>);
    } catch (error) {
      if (!(error instanceof WaError) || error.field === undefined) throw error;
      throw new WaError(error.code, `${field}: ${error.message}`, { field: `${field}.${error.field}`, ...(error.details ? { details: error.details } : {}) });
    }
  });
}

/** Validates a `POST /sim/inbound` body. */
export function parseInbound(body: Record<string, unknown>): InboundRequest {
  const accountId = requiredString(body, 'accountId', 200);
  const from = requiredString(body, 'from', 32);
  const type = oneOf(body, 'type', INBOUND_TYPES, 'text');
  const content: Omit<InboundContent, 'media' | 'quoted'> = { type };
  const media = optionalBase64(body, 'media');
  const mimetype = optionalString(body, 'mimetype', 255);
  if (mimetype !== null && !MIMETYPE.test(mimetype)) throw new WaError('INVALID_ARGUMENT', 'mimetype must look like type/subtype', { field: 'mimetype' });
  if (media !== null && !isMediaType(type)) throw new WaError('INVALID_ARGUMENT', `a ${type} message carries no media`, { field: 'media' });
  switch (type) {
    case 'text':
      content.text = requiredString(body, 'text', 65_536);
      break;
    case 'image':
    case 'video':
    case 'document': {
      const caption = optionalString(body, 'caption', 65_536) ?? optionalString(body, 'text', 65_536);
      if (caption !== null) content.caption = caption;
      if (type === 'document') content.fileName = optionalString(body, 'fileName', 255) ?? 'document.pdf';
      break;
    }
    case 'audio':
    case 'voice':
    case 'sticker':
      break;
    case 'location': {
      const location = optionalObject(body, 'location') ?? body;
      const name = optionalString(location, 'name', 1024);
      const address = optionalString(location, 'address', 1024);
      content.location = {
        latitude: requiredNumber(location, 'latitude', -90, 90, 'location.latitude'),
        longitude: requiredNumber(location, 'longitude', -180, 180, 'location.longitude'),
        ...(name === null ? {} : { name }),
        ...(address === null ? {} : { address }),
      };
      break;
    }
    case 'contact': {
      const contact = optionalObject(body, 'contact');
      if (contact === null) throw new WaError('INVALID_ARGUMENT', 'contact is required: { name, phone } or { name, vcard }', { field: 'contact' });
      const name = optionalString(contact, 'name', 256);
      if (name === null || name.trim() === '') throw new WaError('INVALID_ARGUMENT', 'contact.name is required', { field: 'contact.name' });
      const vcard = optionalString(contact, 'vcard', 65_536);
      const phone = optionalString(contact, 'phone', 32);
      const digits = phone === null ? null : phoneDigits(phone);
      if (vcard === null && digits === null) {
        throw new WaError('INVALID_ARGUMENT', 'contact.phone must be a phone number (or give contact.vcard)', { field: 'contact.phone' });
      }
      content.contact = { displayName: name, vcard: vcard ?? contactVcard(name, digits!) };
      break;
    }
    default: {
      const unknown: never = type;
      throw new WaError('INVALID_ARGUMENT', `unknown type ${String(unknown)}`, { field: 'type' });
    }
  }
  const messageId = optionalString(body, 'messageId', 64);
  if (messageId !== null && !/^[A-Za-z0-9]+$/.test(messageId)) {
    throw new WaError('INVALID_ARGUMENT', 'messageId must be letters and digits', { field: 'messageId' });
  }
  return {
    accountId,
    from,
    content,
    media,
    mimetype,
    quotedMessageId: optionalString(body, 'quotedMessageId', 128),
    group: optionalString(body, 'group', 64),
    messageId,
    pushName: optionalString(body, 'pushName', 100),
    timestamp: optionalInteger(body, 'timestamp', 0, 10 ** 14),
  };
}
