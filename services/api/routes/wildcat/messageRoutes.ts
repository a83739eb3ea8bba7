import { z } from 'zod';
import type { CommandPayload, CommandType } from '../../../shared/commands/index.js';
import type { ApiServices } from '../../ApiServices.js';
import { defineRoute, type AnyRoute, type RouteRequest, type RouteResult } from '../../http/route.js';
import { ACCEPTED, accountIdSchema, commandRequest, documentedOutcome, messageTarget, requireJid, responses, sentMessageBody, sentMessageSchema } from '../shared/index.js';
import { SEND_ERRORS } from './wildcatErrors.js';
import {
  deleteMessageBody,
  deleteMessagePayload,
  reactBody,
  reactPayload,
  replyBody,
  replyChat,
  replyPayload,
  sendMediaBody,
  sendMediaPayload,
  sendTextBody,
  sendTextPayload,
  uploadedFile,
  type WildcatMediaKind,
} from './wildcatRequests.js';

const TAGS = ['Messaging'] as const;
const accountParams = z.object({ accountId: accountIdSchema });
const messageBody = z.object({ message: z.string() });

/** Sends a command and answers the WILDCAT way: the success body, or the document's errors. */
async function send(
  request: RouteRequest<unknown, unknown, unknown>,
  services: ApiServices,
  type: CommandType,
  payload: CommandPayload,
  onSuccess: Parameters<typeof documentedOutcome>[1],
): Promise<RouteResult> {
  return documentedOutcome(await services.commands.send(commandRequest(request, type, payload)), onSuccess, SEND_ERRORS);
}

const sentResponses = responses(
  { 200: { description: 'Sent', schema: sentMessageSchema }, ...ACCEPTED },
  { 400: 'Missing or invalid fields (e.g. "to and message are required")', 404: 'Account not found', 500: 'internal_error: failed to send (account disconnected, rate limited, etc.)' },
);

/** `POST /accounts/:accountId/message/send`. */
export const sendText = defineRoute({
  method: 'POST',
  path: '/accounts/:accountId/message/send',
  surface: 'wildcat',
  operationId: 'wildcatSendText',
  summary: 'Send a text message',
  tags: TAGS,
  access: 'account',
  account: 'path:accountId',
  params: accountParams,
  body: sendTextBody,
  responses: sentResponses,
  handler: async (request, services) =>
    send(request, services, 'message.send', sendTextPayload(request.body), (result) => ({ kind: 'json', body: sentMessageBody(result) })),
});

function mediaRoute(kind: WildcatMediaKind, operationId: string, summary: string): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: `/accounts/:accountId/message/send/${kind}`,
    surface: 'wildcat',
    operationId,
    summary,
    tags: TAGS,
    access: 'account',
    account: 'path:accountId',
    params: accountParams,
    body: sendMediaBody,
    multipart: { files: [kind], required: true },
    responses: { ...sentResponses, 413: { description: 'File larger than 50 MB' } },
    handler: async (request, services) =>
      send(request, services, 'message.send', sendMediaPayload(kind, request.body, uploadedFile(request.files, kind)), (result) => ({
        kind: 'json',
        body: sentMessageBody(result),
      })),
  });
}

/** `POST /accounts/:accountId/message/send/image` (multipart `image`, `to`, `caption`). */
export const sendImage = mediaRoute('image', 'wildcatSendImage', 'Send an image (multipart/form-data: image, to, caption)');
/** `POST /accounts/:accountId/message/send/video` (multipart `video`, `to`, `caption`). */
export const sendVideo = mediaRoute('video', 'wildcatSendVideo', 'Send a video (multipart/form-data: video, to, caption)');
/** `POST /accounts/:accountId/message/send/audio` (multipart `audio`, `to`; OGG/Opus goes as a voice note). */
export const sendAudio = mediaRoute('audio', 'wildcatSendAudio', 'Send audio or a voice message (multipart/form-data: audio, to)');
/** `POST /accounts/:accountId/message/send/document` (multipart `document`, `to`, `caption`). */
export const sendDocument = mediaRoute('document', 'wildcatSendDocument', 'Send a document (multipart/form-data: document, to, caption)');

/** `POST /accounts/:accountId/message/reply`. */
export const reply = defineRoute({
  method: 'POST',
  path: '/accounts/:accountId/message/reply',
  surface: 'wildcat',
  operationId: 'wildcatReply',
  summary: 'Reply to a message (quoted reply)',
  tags: TAGS,
  access: 'account',
  account: 'path:accountId',
  params: accountParams,
  body: replyBody,
  responses: sentResponses,
  handler: async (request, services) => {
    const quoted = await messageTarget(services.reads, request.accountId, replyChat(request.body), request.body.quotedMessageId);
    return send(request, services, 'message.send', replyPayload(request.body, quoted), (result) => ({ kind: 'json', body: sentMessageBody(result) }));
  },
});

/** `POST /accounts/:accountId/message/react`. */
export const react = defineRoute({
  method: 'POST',
  path: '/accounts/:accountId/message/react',
  surface: 'wildcat',
  operationId: 'wildcatReact',
  summary: 'React to a message with an emoji (empty emoji removes the reaction)',
  tags: TAGS,
  access: 'account',
  account: 'path:accountId',
  params: accountParams,
  body: reactBody,
  responses: responses(
    { 200: { description: 'Reaction sent', schema: messageBody }, ...ACCEPTED },
    { 400: 'to, messageId and emoji are required', 404: 'Account not found', 500: 'internal_error' },
  ),
  handler: async (request, services) => {
    const target = await messageTarget(services.reads, request.accountId, requireJid(request.body.to, 'to'), request.body.messageId);
    return send(request, services, 'message.react', reactPayload(target, request.body.emoji), () => ({ kind: 'json', body: { message: 'Reaction sent' } }));
  },
});

/** `POST /accounts/:accountId/message/delete`: deletes for everyone. */
export const deleteMessage = defineRoute({
  method: 'POST',
  path: '/accounts/:accountId/message/delete',
  surface: 'wildcat',
  operationId: 'wildcatDeleteMessage',
  summary: 'Delete a message for everyone',
  tags: TAGS,
  access: 'account',
  account: 'path:accountId',
  params: accountParams,
  body: deleteMessageBody,
  responses: responses(
    { 200: { description: 'Message deleted', schema: messageBody }, ...ACCEPTED },
    { 400: 'to and messageId are required', 404: 'Account not found', 500: 'internal_error' },
  ),
  handler: async (request, services) => {
    const target = await messageTarget(services.reads, request.accountId, requireJid(request.body.to, 'to'), request.body.messageId);
    return send(request, services, 'message.delete', deleteMessagePayload(target), () => ({ kind: 'json', body: { message: 'Message deleted' } }));
  },
});

/** The messaging routes of the WILDCAT document. */
export const messageRoutes: AnyRoute[] = [sendText, sendImage, sendVideo, sendAudio, sendDocument, reply, react, deleteMessage];
