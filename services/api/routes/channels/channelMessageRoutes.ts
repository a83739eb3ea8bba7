import { z } from 'zod';
import { MESSAGE_CHAT, type CommandPayload } from '../../../shared/commands/index.js';
import type { ApiServices } from '../../ApiServices.js';
import { defineRoute, type AnyRoute, type RouteRequest, type RouteResult } from '../../http/route.js';
import {
  ACCEPTED,
  accountIdSchema,
  chatRowToWhapi,
  commandRequest,
  documentedOutcome,
  jidSchema,
  messageRowToWhapi,
  offsetPagingSchema,
  pageOf,
  requireJid,
  responses,
  sentMessageBody,
  sentMessageSchema,
  whapiChatSchema,
  whapiMessageSchema,
} from '../shared/index.js';
import { CHANNEL_ERRORS, channelNotFound } from './channelErrors.js';
import {
  sendCaptionedMediaBody,
  sendCaptionedMediaPayload,
  sendContactBody,
  sendContactPayload,
  sendDocumentBody,
  sendDocumentPayload,
  sendImmediateBody,
  sendImmediatePayload,
  sendLocationBody,
  sendLocationPayload,
} from './channelRequests.js';

const channelParams = z.object({ id: accountIdSchema });

/** `GET /channels/:id/chats`: newest activity first. */
export const listChannelChats = defineRoute({
  method: 'GET',
  path: '/channels/:id/chats',
  surface: 'whapi',
  operationId: 'listChannelChats',
  summary: 'Get all chats for channel',
  tags: ['Channels', 'Chats'],
  access: 'account',
  account: 'path:id',
  params: channelParams,
  query: offsetPagingSchema,
  responses: responses({ 200: { description: 'The chats, most recent first', schema: z.array(whapiChatSchema) } }, { 400: 'Invalid limit or offset', 404: 'Channel not found' }),
  handler: async (request, services) => {
    const page = await services.reads.chats(request.accountId, pageOf(request.query));
    if (page.items.length === 0) await requireChannel(services, request.accountId);
    return { kind: 'json', body: page.items.map(chatRowToWhapi) };
  },
});

/** `GET /channels/:id/chats/:chatId/messages`: newest first. */
export const listChannelChatMessages = defineRoute({
  method: 'GET',
  path: '/channels/:id/chats/:chatId/messages',
  surface: 'whapi',
  operationId: 'listChannelChatMessages',
  summary: 'Get messages from chat',
  tags: ['Channels', 'Chats'],
  access: 'account',
  account: 'path:id',
  params: z.object({ id: accountIdSchema, chatId: jidSchema(MESSAGE_CHAT, { field: 'chatId' }) }),
  query: offsetPagingSchema,
  responses: responses({ 200: { description: 'The messages, newest first', schema: z.array(whapiMessageSchema) } }, { 400: 'Invalid chatId, limit or offset', 404: 'Channel not found' }),
  handler: async (request, services) => {
    const chatJid = requireJid(request.params.chatId, 'chatId', MESSAGE_CHAT);
    const page = await services.reads.messagesOfChat(request.accountId, chatJid, pageOf(request.query));
    if (page.items.length === 0) await requireChannel(services, request.accountId);
    return { kind: 'json', body: page.items.map(messageRowToWhapi) };
  },
});

/** An empty page of a channel the read model does not know is a 404, not an empty list. */
async function requireChannel(services: ApiServices, accountId: string): Promise<void> {
  if ((await services.reads.account(accountId)) === null) throw channelNotFound();
}

const sentResponses = responses(
  { 200: { description: 'Sent: the message id beside success', schema: sentMessageSchema, layout: 'spread' }, ...ACCEPTED },
  { 400: 'Missing or invalid field', 404: 'Channel not found, or the recipient is not on WhatsApp', 409: 'Channel not connected', 413: 'Media too large', 502: 'WhatsApp refused the message' },
);

/** Sends a `message.send` and answers `{ success, messageId }`. */
async function send(request: RouteRequest<unknown, unknown, unknown>, services: ApiServices, payload: CommandPayload): Promise<RouteResult> {
  const answer = await services.commands.send(commandRequest(request, 'message.send', payload));
  return documentedOutcome(answer, (result) => ({ kind: 'json', body: sentMessageBody(result) }), CHANNEL_ERRORS);
}

function sendRoute<B>(
  path: string,
  operationId: string,
  summary: string,
  body: z.ZodType<B>,
  payload: (body: B, services: ApiServices) => Promise<CommandPayload> | CommandPayload,
): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: `/channels/:id/messages/${path}`,
    surface: 'whapi',
    operationId,
    summary,
    tags: ['Channels', 'Messages'],
    access: 'account',
    account: 'path:id',
    params: channelParams,
    body,
    responses: sentResponses,
    handler: async (request, services) => send(request, services, await payload(request.body, services)),
  });
}

/** `POST /channels/:id/messages/send-immediate` (`phone`, `message`). */
export const sendImmediate = sendRoute('send-immediate', 'channelSendImmediate', 'Send message immediately (bypasses queue)', sendImmediateBody, sendImmediatePayload);

/** `POST /channels/:id/messages/image` (`to`, `media` URL or base64, `caption`). */
export const sendChannelImage = sendRoute('image', 'channelSendImage', 'Send image message', sendCaptionedMediaBody, async (body, services) =>
  sendCaptionedMediaPayload('image', body, await services.media.fromField(body.media, 'media')),
);

/** `POST /channels/:id/messages/video` (`to`, `media`, `caption`). */
export const sendChannelVideo = sendRoute('video', 'channelSendVideo', 'Send video message', sendCaptionedMediaBody, async (body, services) =>
  sendCaptionedMediaPayload('video', body, await services.media.fromField(body.media, 'media')),
);

/** `POST /channels/:id/messages/document` (`to`, `media`, `filename`, `mimetype`). */
export const sendChannelDocument = sendRoute('document', 'channelSendDocument', 'Send document/file', sendDocumentBody, async (body, services) =>
  sendDocumentPayload(body, await services.media.fromField(body.media, 'media', { mimetype: body.mimetype ?? null })),
);

/** `POST /channels/:id/messages/location` (`to`, `latitude`, `longitude`, `name`, `address`). */
export const sendChannelLocation = sendRoute('location', 'channelSendLocation', 'Send location', sendLocationBody, sendLocationPayload);

/** `POST /channels/:id/messages/contact` (`to`, `contact: { fullName, phone }`). */
export const sendChannelContact = sendRoute('contact', 'channelSendContact', 'Send vCard contact', sendContactBody, sendContactPayload);

/** Chat reads and sends under `/channels/:id`. */
export const channelMessageRoutes: AnyRoute[] = [
  listChannelChats,
  listChannelChatMessages,
  sendImmediate,
  sendChannelImage,
  sendChannelVideo,
  sendChannelDocument,
  sendChannelLocation,
  sendChannelContact,
];
