import { z } from 'zod';
import { MESSAGE_CHAT, type CommandPayload, type CommandType, type MessageTargetValue } from '../../../shared/commands/index.js';
import { WaError } from '../../../shared/index.js';
import type { ApiServices } from '../../ApiServices.js';
import { defineRoute, type AnyRoute, type RouteRequest, type RouteResult } from '../../http/route.js';
import {
  messageIdField,
  messageRowToWhapi,
  messageTarget,
  offsetPagingSchema,
  pageOf,
  sentMessageBody,
  sentMessageSchema,
  whapiMessageSchema,
  type MediaKind,
} from '../shared/index.js';
import {
  deleteBody,
  deletePayload,
  forwardBody,
  forwardOutcomeSchema,
  forwardPayload,
  forwardResultBody,
  messageActionSchema,
  pinBody,
  pinPayload,
  reactPayload,
  reactionBody,
  sendCaptionedBody,
  sendContactBody,
  sendContactListBody,
  sendContactListPayload,
  sendContactPayload,
  sendDocumentBody,
  sendLinkPreviewBody,
  sendLinkPreviewPayload,
  sendLiveLocationBody,
  sendLiveLocationPayload,
  sendLocationBody,
  sendLocationPayload,
  sendMediaBody,
  sendMediaPayload,
  sendPollBody,
  sendPollPayload,
  sendTextBody,
  sendTextPayload,
  starBody,
  starPayload,
  unpinBody,
  type MediaSendBody,
} from './messageRequests.js';
import { channelList, jidField } from './whapiFields.js';
import { whapiPagedList } from './whapiList.js';
import { commandResponses, dataAnswer, readResponses, whapiCommand } from './whapiCommand.js';

const TAGS = ['Messages'] as const;

const sentResponses = commandResponses(
  'Sent: the message id beside success',
  sentMessageSchema,
  { 404: 'Channel not found, or the recipient is not on WhatsApp', 413: 'Media too large' },
  'spread',
);

/** A `message.send` answered `{ success: true, messageId }`. */
async function send(request: RouteRequest<unknown, unknown, unknown>, services: ApiServices, payload: CommandPayload): Promise<RouteResult> {
  return whapiCommand(request, services, 'message.send', payload, (result) => ({ kind: 'json', body: sentMessageBody(result) }));
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
    path: `/messages/${path}`,
    surface: 'whapi',
    operationId,
    summary,
    tags: TAGS,
    access: 'account',
    account: 'channel',
    body,
    responses: sentResponses,
    handler: async (request, services) => send(request, services, await payload(request.body, services)),
  });
}

/** A media send: the `media` field is stored (base64) or checked (URL) first. */
function mediaSendRoute<B extends MediaSendBody & { media: string }>(path: string, operationId: string, summary: string, kind: MediaKind, body: z.ZodType<B>): AnyRoute {
  return sendRoute(path, operationId, summary, body, async (input, services) =>
    sendMediaPayload(kind, input, await services.media.fromField(input.media, 'media', { mimetype: input.mimetype ?? null })),
  );
}

/** `POST /messages/text` (`to`, `body`). */
export const sendText = sendRoute('text', 'sendText', 'Send text message (whapi.cloud compatible)', sendTextBody, sendTextPayload);
/** `POST /messages/image` (`to`, `media` URL or base64, `caption`). */
export const sendImage = mediaSendRoute('image', 'sendImage', 'Send image', 'image', sendCaptionedBody);
/** `POST /messages/video` (`to`, `media`, `caption`). */
export const sendVideo = mediaSendRoute('video', 'sendVideo', 'Send video', 'video', sendCaptionedBody);
/** `POST /messages/audio` (`to`, `media`). */
export const sendAudio = mediaSendRoute('audio', 'sendAudio', 'Send audio file', 'audio', sendMediaBody);
/** `POST /messages/voice`: a push-to-talk note (`to`, `media`, OGG/Opus). */
export const sendVoice = mediaSendRoute('voice', 'sendVoice', 'Send voice message (PTT)', 'voice', sendMediaBody);
/** `POST /messages/document` (`to`, `media`, `filename`, `mimetype`). */
export const sendDocument = mediaSendRoute('document', 'sendDocument', 'Send document/file', 'document', sendDocumentBody);
/** `POST /messages/sticker` (`to`, `media`, WebP). */
export const sendSticker = mediaSendRoute('sticker', 'sendSticker', 'Send sticker', 'sticker', sendMediaBody);
/** `POST /messages/gif`: a video played as a GIF (`to`, `media`, `caption`). */
export const sendGif = mediaSendRoute('gif', 'sendGif', 'Send animated GIF', 'gif', sendCaptionedBody);
/** `POST /messages/short`: a PTV video note (`to`, `media`). */
export const sendShort = mediaSendRoute('short', 'sendShort', 'Send PTV (video note/circle)', 'ptv', sendMediaBody);
/** `POST /messages/location` (`to`, `latitude`, `longitude`, `name`, `address`). */
export const sendLocation = sendRoute('location', 'sendLocation', 'Send location', sendLocationBody, sendLocationPayload);
/** `POST /messages/contact` (`to`, `contact: { fullName, phone }`). */
export const sendContact = sendRoute('contact', 'sendContact', 'Send vCard contact', sendContactBody, sendContactPayload);
/** `POST /messages/poll` (`to`, `question`, `options`, `multiSelect`). */
export const sendPoll = sendRoute('poll', 'sendPoll', 'Send poll', sendPollBody, sendPollPayload);
/** `POST /messages/link-preview` (`to`, `url`, `title`, `description`). */
export const sendLinkPreview = sendRoute('link-preview', 'sendLinkPreview', 'Send URL with link preview', sendLinkPreviewBody, sendLinkPreviewPayload);
/** `POST /messages/live-location` (`to`, `latitude`, `longitude`, `duration` in seconds). */
export const sendLiveLocation = sendRoute('live-location', 'sendLiveLocation', 'Send live location', sendLiveLocationBody, sendLiveLocationPayload);
/** `POST /messages/contact-list` (`to`, `contacts: [{ fullName, phone }]`). */
export const sendContactList = sendRoute('contact-list', 'sendContactList', 'Send multiple contacts', sendContactListBody, sendContactListPayload);

/** `POST /messages/forward`: one copy per recipient. */
export const forwardMessage = defineRoute({
  method: 'POST',
  path: '/messages/forward',
  surface: 'whapi',
  operationId: 'forwardMessage',
  summary: 'Forward message to recipients',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  body: forwardBody,
  responses: commandResponses('Forwarded to at least one recipient: the outcome per recipient', z.array(forwardOutcomeSchema), {
    404: 'Channel or message not found',
  }),
  handler: async (request, services) => {
    const source = await messageTarget(services.reads, request.accountId, request.body.chatId, request.body.messageId);
    return whapiCommand(request, services, 'message.forward', forwardPayload(source, request.body.to), (result) => dataAnswer(forwardResultBody(result)));
  },
});

/** `GET /messages/list`: every message of the channel, newest first. */
export const listMessages = whapiPagedList({ path: '/messages/list', operationId: 'listMessages', summary: 'Get all messages', tags: TAGS, description: 'The messages, newest first', item: whapiMessageSchema, fetch: (reads, accountId, page) => reads.messagesOfAccount(accountId, page), toItem: messageRowToWhapi });

/** `GET /messages/list/:chatId`: one chat's messages, newest first. */
export const listChatMessages = defineRoute({
  method: 'GET',
  path: '/messages/list/:chatId',
  surface: 'whapi',
  operationId: 'listChatMessages',
  summary: 'Get messages from specific chat',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: z.object({ chatId: jidField(MESSAGE_CHAT, 'chatId') }),
  query: offsetPagingSchema,
  responses: readResponses('The chat’s messages, newest first', z.array(whapiMessageSchema), { 404: 'Channel or chat not found' }),
  handler: async (request, services) => {
    const { chatId } = request.params;
    const page = await services.reads.messagesOfChat(request.accountId, chatId, pageOf(request.query));
    if (page.items.length === 0 && request.query.offset === 0 && (await services.reads.chat(request.accountId, chatId)) === null) {
      await channelList(services, request.accountId, []);
      throw new WaError('NOT_FOUND', 'Chat not found', { field: 'chatId' });
    }
    return dataAnswer(page.items.map(messageRowToWhapi));
  },
});

const messageParams = z.object({ id: messageIdField({ field: 'id', required: 'id is required' }) });

/** An action on one message (star, pin, react, delete): the target is looked up to fill what WhatsApp's key needs. */
function messageAction<B extends { chatId: string }>(spec: {
  method: 'PUT' | 'POST' | 'DELETE';
  path: string;
  operationId: string;
  summary: string;
  body: z.ZodType<B>;
  done: string;
  command: (body: B) => { type: CommandType; payload: (target: MessageTargetValue) => CommandPayload; answer: Record<string, unknown> };
}): AnyRoute {
  return defineRoute({
    method: spec.method,
    path: spec.path,
    surface: 'whapi',
    operationId: spec.operationId,
    summary: spec.summary,
    tags: TAGS,
    access: 'account',
    account: 'channel',
    params: messageParams,
    body: spec.body,
    responses: commandResponses(spec.done, messageActionSchema, { 404: 'Channel or message not found' }),
    handler: async (request, services) => {
      const { chatId } = request.body;
      const messageId = request.params.id;
      const target = await messageTarget(services.reads, request.accountId, chatId, messageId);
      const { type, payload, answer } = spec.command(request.body);
      return whapiCommand(request, services, type, payload(target), () => dataAnswer({ messageId, chatId, ...answer }));
    },
  });
}

/** `PUT /messages/:id/star` (`star` true / false). */
export const starMessage = messageAction({
  method: 'PUT',
  path: '/messages/:id/star',
  operationId: 'starMessage',
  summary: 'Star/unstar message',
  body: starBody,
  done: 'Starred or unstarred',
  command: (body) => ({ type: body.star ? 'message.star' : 'message.unstar', payload: starPayload, answer: { starred: body.star } }),
});

/** `POST /messages/:id/pin`. */
export const pinMessage = messageAction({
  method: 'POST',
  path: '/messages/:id/pin',
  operationId: 'pinMessage',
  summary: 'Pin message',
  body: pinBody,
  done: 'Pinned',
  command: (body) => ({
    type: 'message.pin',
    payload: (target) => pinPayload(target, body.duration ?? null),
    answer: { pinned: true, durationSeconds: body.duration ?? null },
  }),
});

/** `DELETE /messages/:id/pin`. */
export const unpinMessage = messageAction({
  method: 'DELETE',
  path: '/messages/:id/pin',
  operationId: 'unpinMessage',
  summary: 'Unpin message',
  body: unpinBody,
  done: 'Unpinned',
  command: () => ({ type: 'message.unpin', payload: (target) => pinPayload(target, null), answer: { pinned: false } }),
});

/** `PUT /messages/:id/reaction`. */
export const reactToMessage = messageAction({
  method: 'PUT',
  path: '/messages/:id/reaction',
  operationId: 'reactToMessage',
  summary: 'React to message with emoji (an empty emoji removes the reaction)',
  body: reactionBody,
  done: 'Reaction sent',
  command: (body) => ({ type: 'message.react', payload: (target) => reactPayload(target, body.emoji), answer: { emoji: body.emoji } }),
});

/** `DELETE /messages/:id`: for everyone unless `forEveryone` is false. */
export const deleteMessage = messageAction({
  method: 'DELETE',
  path: '/messages/:id',
  operationId: 'deleteMessage',
  summary: 'Delete message',
  body: deleteBody,
  done: 'Deleted',
  command: (body) => ({
    type: 'message.delete',
    payload: (target) => deletePayload(target, body.forEveryone),
    answer: { deleted: true, forEveryone: body.forEveryone ?? true },
  }),
});

/** The `/messages` routes of the WHAPI document. */
export const messageRoutes: AnyRoute[] = [
  sendText,
  sendImage,
  sendVideo,
  sendAudio,
  sendVoice,
  sendDocument,
  sendSticker,
  sendGif,
  sendShort,
  sendLocation,
  sendContact,
  sendPoll,
  sendLinkPreview,
  sendLiveLocation,
  sendContactList,
  forwardMessage,
  listMessages,
  listChatMessages,
  starMessage,
  pinMessage,
  unpinMessage,
  reactToMessage,
  deleteMessage,
];
