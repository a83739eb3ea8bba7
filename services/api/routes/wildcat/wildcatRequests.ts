import { z } from 'zod';
import type { CommandPayload, MessageTargetValue } from '../../../shared/commands/index.js';
import { WaError } from '../../../shared/index.js';
import type { UploadedFile } from '../../http/route.js';
import {
  accountIdField,
  booleanField,
  defaultCollectionName,
  jidSchema,
  mediaContent,
  messageIdField,
  optionalText,
  requireJid,
  sendMessageCommand,
  textContent,
  type MediaKind,
} from '../shared/index.js';

/** WILDCAT `POST /accounts` body. */
export const createAccountBody = z.object({
  id: accountIdField({ field: 'id', required: 'id is required' }),
  name: optionalText(200),
  collectionName: optionalText(200),
});
export type CreateAccountBody = z.infer<typeof createAccountBody>;

/** The `account.create` payload: WILDCAT accounts always connect (status "connecting", QR in the terminal). */
export function createAccountPayload(body: CreateAccountBody): CommandPayload {
  return {
    'wa.commands.CreateAccount': {
      name: body.name ?? null,
      department: null,
      autoConnect: true,
      collectionName: body.collectionName ?? defaultCollectionName(body.id),
    },
  };
}

const SEND_REQUIRED = 'to and message are required';

/** `POST /accounts/:accountId/message/send` body. */
export const sendTextBody = z.object({
  to: jidSchema(undefined, { field: 'to', required: SEND_REQUIRED }),
  message: z.string({ error: SEND_REQUIRED }).min(1, { error: SEND_REQUIRED }).max(65_536, { error: 'message is at most 65536 characters' }),
});
export type SendTextBody = z.infer<typeof sendTextBody>;

/** The `message.send` payload of a text message. */
export function sendTextPayload(body: SendTextBody): CommandPayload {
  return sendMessageCommand(requireJid(body.to, 'to'), textContent(body.message));
}

const REPLY_REQUIRED = 'to, message and quotedMessageId are required';

/** `POST /accounts/:accountId/message/reply` body. */
export const replyBody = z.object({
  to: jidSchema(undefined, { field: 'to', required: REPLY_REQUIRED }),
  message: z.string({ error: REPLY_REQUIRED }).min(1, { error: REPLY_REQUIRED }).max(65_536, { error: 'message is at most 65536 characters' }),
  quotedMessageId: messageIdField({ field: 'quotedMessageId', required: REPLY_REQUIRED }),
  chatId: jidSchema(undefined, { field: 'chatId' }).optional().meta({ description: 'Chat of the quoted message (defaults to `to`)' }),
});
export type ReplyBody = z.infer<typeof replyBody>;

/** The chat the quoted message lives in: `chatId` when given, else the recipient. */
export function replyChat(body: ReplyBody): string {
  return body.chatId === undefined ? requireJid(body.to, 'to') : requireJid(body.chatId, 'chatId');
}

/** The `message.send` payload of a reply quoting `quoted`. */
export function replyPayload(body: ReplyBody, quoted: MessageTargetValue): CommandPayload {
  return sendMessageCommand(requireJid(body.to, 'to'), textContent(body.message), { quoted });
}

const REACT_REQUIRED = 'to, messageId and emoji are required';

/** `POST /accounts/:accountId/message/react` body; an empty emoji removes the reaction. */
export const reactBody = z.object({
  to: jidSchema(undefined, { field: 'to', required: REACT_REQUIRED }),
  messageId: messageIdField({ field: 'messageId', required: REACT_REQUIRED }),
  emoji: z.string({ error: REACT_REQUIRED }).max(32, { error: 'emoji must be a single emoji' }),
});
export type ReactBody = z.infer<typeof reactBody>;

/** The `message.react` payload. */
export function reactPayload(target: MessageTargetValue, emoji: string): CommandPayload {
  return { 'wa.commands.ReactToMessage': { target, emoji } };
}

const DELETE_REQUIRED = 'to and messageId are required';

/** `POST /accounts/:accountId/message/delete` body. */
export const deleteMessageBody = z.object({
  to: jidSchema(undefined, { field: 'to', required: DELETE_REQUIRED }),
  messageId: messageIdField({ field: 'messageId', required: DELETE_REQUIRED }),
});
export type DeleteMessageBody = z.infer<typeof deleteMessageBody>;

/** The `message.delete` payload: WILDCAT deletes for everyone. */
export function deleteMessagePayload(target: MessageTargetValue): CommandPayload {
  return { 'wa.commands.DeleteMessage': { target, forEveryone: true } };
}

/** The WILDCAT media sends and their file field. */
export type WildcatMediaKind = 'image' | 'video' | 'audio' | 'document';

/** Text fields of the multipart media sends. */
export const sendMediaBody = z.object({
  to: jidSchema(undefined, { field: 'to', required: 'to is required' }),
  caption: optionalText(4_096),
  ptt: booleanField().optional().meta({ description: 'audio: send as a voice note (default: true for OGG/Opus files)' }),
});
export type SendMediaBody = z.infer<typeof sendMediaBody>;

/** The uploaded file of a media send; a 400 naming the field when it is missing. */
export function uploadedFile(files: readonly UploadedFile[], field: WildcatMediaKind): UploadedFile {
  const file = files.find((candidate) => candidate.field === field);
  if (file === undefined) throw new WaError('INVALID_ARGUMENT', `${field} is required`, { field });
  return file;
}

/** Voice notes are OGG/Opus: WhatsApp plays other audio as a music file. */
function isVoice(file: UploadedFile, ptt: boolean | undefined): boolean {
  return ptt ?? /^audio\/ogg\b/i.test(file.mimetype ?? '');
}

/** The `message.send` payload of an uploaded image, video, audio or document. */
export function sendMediaPayload(kind: WildcatMediaKind, body: SendMediaBody, file: UploadedFile): CommandPayload {
  const ref = { mediaId: file.mediaId, mimetype: file.mimetype, size: file.size };
  const contentKind: MediaKind = kind === 'audio' ? (isVoice(file, body.ptt) ? 'voice' : 'audio') : kind;
  // WhatsApp shows no caption under audio: it is dropped rather than sent into the void.
  const caption = kind === 'audio' ? null : (body.caption ?? null);
  return sendMessageCommand(requireJid(body.to, 'to'), mediaContent(contentKind, ref, { caption, fileName: file.fileName }));
}
