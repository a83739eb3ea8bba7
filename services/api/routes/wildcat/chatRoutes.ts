import { z } from 'zod';
import { MESSAGE_CHAT } from '../../../shared/commands/index.js';
import { WaError } from '../../../shared/index.js';
import type { ApiServices } from '../../ApiServices.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import {
  accountIdSchema,
  chatRowToWildcat,
  jidSchema,
  messageIdSchema,
  messageRowToWildcat,
  pageOf,
  requireJid,
  responses,
  skipPagingSchema,
  wildcatChatSchema,
  wildcatMessageSchema,
} from '../shared/index.js';

const TAGS = ['Chats'] as const;
const accountParams = z.object({ accountId: accountIdSchema });

/** `GET /accounts/:accountId/chats`: newest activity first. */
export const listChats = defineRoute({
  method: 'GET',
  path: '/accounts/:accountId/chats',
  surface: 'wildcat',
  operationId: 'wildcatListChats',
  summary: 'List the chats of an account, most recent first',
  tags: TAGS,
  access: 'account',
  account: 'path:accountId',
  params: accountParams,
  query: skipPagingSchema,
  responses: responses({ 200: { description: 'The chats', schema: z.object({ chats: z.array(wildcatChatSchema) }) } }, { 400: 'Invalid limit or skip', 404: 'Account not found' }),
  handler: async (request, services) => {
    const page = await services.reads.chats(request.accountId, pageOf(request.query));
    if (page.items.length === 0) await requireAccount(services, request.accountId);
    return { kind: 'json', body: { chats: page.items.map(chatRowToWildcat) } };
  },
});

/** `GET /accounts/:accountId/chats/:chatId/messages`: newest first. */
export const listChatMessages = defineRoute({
  method: 'GET',
  path: '/accounts/:accountId/chats/:chatId/messages',
  surface: 'wildcat',
  operationId: 'wildcatListChatMessages',
  summary: 'List the messages of a chat, newest first',
  tags: TAGS,
  access: 'account',
  account: 'path:accountId',
  params: z.object({ accountId: accountIdSchema, chatId: jidSchema(MESSAGE_CHAT, { field: 'chatId' }) }),
  query: skipPagingSchema,
  responses: responses(
    { 200: { description: 'The messages', schema: z.object({ messages: z.array(wildcatMessageSchema) }) } },
    { 400: 'Invalid chatId, limit or skip', 404: 'Account not found' },
  ),
  handler: async (request, services) => {
    const chatJid = requireJid(request.params.chatId, 'chatId', MESSAGE_CHAT);
    const page = await services.reads.messagesOfChat(request.accountId, chatJid, pageOf(request.query));
    if (page.items.length === 0) await requireAccount(services, request.accountId);
    return { kind: 'json', body: { messages: page.items.map(messageRowToWildcat) } };
  },
});

/** An empty page of an account the read model does not know is a 404, not an empty list. */
async function requireAccount(services: ApiServices, accountId: string): Promise<void> {
  if ((await services.reads.account(accountId)) === null) throw new WaError('NOT_FOUND', 'Account not found', { field: 'accountId' });
}

const messageParams = z.object({ accountId: accountIdSchema, messageId: messageIdSchema });

/** `GET /accounts/:accountId/messages/:messageId`. */
export const getMessage = defineRoute({
  method: 'GET',
  path: '/accounts/:accountId/messages/:messageId',
  surface: 'wildcat',
  operationId: 'wildcatGetMessage',
  summary: 'Get one message',
  tags: TAGS,
  access: 'account',
  account: 'path:accountId',
  params: messageParams,
  responses: responses({ 200: { description: 'The message', schema: z.object({ message: wildcatMessageSchema }) } }, { 404: 'Message not found' }),
  handler: async (request, services) => {
    const row = await services.reads.message(request.accountId, request.params.messageId);
    if (row === null) throw new WaError('NOT_FOUND', 'Message not found', { field: 'messageId' });
    return { kind: 'json', body: { message: messageRowToWildcat(row) } };
  },
});

/** `GET /accounts/:accountId/messages/:messageId/media`: the stored file, streamed. */
export const getMessageMedia = defineRoute({
  method: 'GET',
  path: '/accounts/:accountId/messages/:messageId/media',
  surface: 'wildcat',
  operationId: 'wildcatGetMessageMedia',
  summary: 'Download the media of a message',
  tags: TAGS,
  access: 'account',
  account: 'path:accountId',
  params: messageParams,
  responses: responses(
    { 200: { description: 'The file, with its Content-Type and Content-Length', contentType: 'application/octet-stream' } },
    { 404: 'Message not found or No media in message', 500: 'internal_error: failed to retrieve media' },
  ),
  handler: async (request, services) => {
    const row = await services.reads.message(request.accountId, request.params.messageId);
    if (row === null) throw new WaError('NOT_FOUND', 'Message not found', { field: 'messageId' });
    const mediaId = row.media?.mediaId ?? null;
    if (mediaId === null) throw new WaError('NOT_FOUND', 'No media in message', { field: 'messageId' });
    const { media, stream } = await services.media.open(mediaId);
    const fileName = row.media?.fileName ?? null;
    const headers: Record<string, string> = fileName === null ? {} : { 'Content-Disposition': contentDisposition(fileName) };
    return {
      kind: 'stream',
      stream,
      contentType: media.mimetype ?? row.media?.mimetype ?? 'application/octet-stream',
      contentLength: media.size,
      headers,
    };
  },
});

/** An attachment header that survives any file name (RFC 6266: ASCII fallback + UTF-8 name). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** The chat and message reads of the WILDCAT document. */
export const chatRoutes: AnyRoute[] = [listChats, listChatMessages, getMessage, getMessageMedia];
