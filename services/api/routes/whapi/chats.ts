import { z } from 'zod';
import { MESSAGE_CHAT, isJidOf, type CommandPayload, type MessageKeyValue } from '../../../shared/commands/index.js';
import { WaError } from '../../../shared/index.js';
import type { ChatRow, MessageRow } from '../../../../projections/readModels/index.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { chatRowToWhapi, whapiChatSchema } from '../shared/index.js';
import { integerField, jidField } from './whapiFields.js';
import { whapiPagedList } from './whapiList.js';
import { commandResponses, dataAnswer, readResponses, whapiCommand } from './whapiCommand.js';

const TAGS = ['Chats'] as const;
const INT_MAX = 2_147_483_647;

/** The chat commands of `POST /chats/:id/<action>` and `DELETE /chats/:id`. */
export type ChatCommand = 'chat.archive' | 'chat.unarchive' | 'chat.pin' | 'chat.unpin' | 'chat.mute' | 'chat.unmute' | 'chat.read' | 'chat.delete';

/** WhatsApp's app-state patches for these name the chat's latest message. */
const NEEDS_LAST_MESSAGE: ReadonlySet<ChatCommand> = new Set(['chat.archive', 'chat.unarchive', 'chat.read', 'chat.delete']);

/** The latest message of a chat as WhatsApp's key, from what the read model knows (null when it knows nothing). */
export function lastMessageKey(chat: ChatRow | null, last: MessageRow | null): { key: MessageKeyValue; at: number } | null {
  if (chat === null || chat.lastMessageId === null || last === null || last.messageId !== chat.lastMessageId || last.chatJid !== chat.chatJid) return null;
  const participant = !last.fromMe && isJidOf(chat.chatJid, ['group']) ? last.senderJid : null;
  return {
    key: { remoteJid: chat.chatJid, id: last.messageId, fromMe: last.fromMe, participant, remoteJidAlt: null, participantAlt: null, addressingMode: 'UNKNOWN', serverId: null },
    at: chat.lastMessageAt ?? last.timestamp,
  };
}

/** The `ModifyChat` payload of every chat command. */
export function modifyChatPayload(chatJid: string, muteDurationSeconds: number | null, last: { key: MessageKeyValue; at: number } | null): CommandPayload {
  return { 'wa.commands.ModifyChat': { chatJid, muteDurationSeconds, lastMessageKey: last?.key ?? null, lastMessageAt: last?.at ?? null } };
}

/** What a chat command answers: the chat and the state it is now in. */
export const chatActionSchema = z.object({
  chatId: z.string(),
  archived: z.boolean().optional(),
  pinned: z.boolean().optional(),
  muted: z.boolean().optional(),
  mutedUntil: z.number().int().nullable().optional().meta({ description: 'milliseconds since the epoch; null = until unmuted' }),
  read: z.boolean().optional(),
  deleted: z.boolean().optional(),
});
export type ChatAction = z.infer<typeof chatActionSchema>;

/** The answer of a chat command (`now` in milliseconds, for the end of a mute). */
export function chatActionBody(type: ChatCommand, chatId: string, muteDurationSeconds: number | null, now: number): ChatAction {
  switch (type) {
    case 'chat.archive':
      return { chatId, archived: true };
    case 'chat.unarchive':
      return { chatId, archived: false };
    case 'chat.pin':
      return { chatId, pinned: true };
    case 'chat.unpin':
      return { chatId, pinned: false };
    case 'chat.mute':
      return { chatId, muted: true, mutedUntil: muteDurationSeconds === null ? null : now + muteDurationSeconds * 1000 };
    case 'chat.unmute':
      return { chatId, muted: false };
    case 'chat.read':
      return { chatId, read: true };
    case 'chat.delete':
      return { chatId, deleted: true };
    default: {
      const unreachable: never = type;
      throw new Error(`unknown chat command ${String(unreachable)}`);
    }
  }
}

const chatParams = z.object({ id: jidField(MESSAGE_CHAT, 'id') });

/** `GET /chats`: newest activity first. */
export const listChats = whapiPagedList({ path: '/chats', operationId: 'listChats', summary: 'Get all chats', tags: TAGS, description: 'The chats, most recent first', item: whapiChatSchema, fetch: (reads, accountId, page) => reads.chats(accountId, page), toItem: chatRowToWhapi });

/** `GET /chats/:id`. */
export const getChat = defineRoute({
  method: 'GET',
  path: '/chats/:id',
  surface: 'whapi',
  operationId: 'getChat',
  summary: 'Get chat info',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: chatParams,
  responses: readResponses('The chat', whapiChatSchema, { 404: 'Chat not found' }),
  handler: async (request, services) => {
    const row = await services.reads.chat(request.accountId, request.params.id);
    if (row === null) throw new WaError('NOT_FOUND', 'Chat not found', { field: 'id' });
    return dataAnswer(chatRowToWhapi(row));
  },
});

// Every write declares a body, even an empty one: the channel may be named in it.
const noBody = z.object({});
const muteBody = z.object({ duration: integerField('duration', 1, INT_MAX).optional() });

function chatRoute<B>(
  method: 'POST' | 'DELETE',
  action: string | null,
  type: ChatCommand,
  operationId: string,
  summary: string,
  body: z.ZodType<B>,
  muteSeconds: (body: B) => number | null = () => null,
): AnyRoute {
  return defineRoute({
    method,
    path: action === null ? '/chats/:id' : `/chats/:id/${action}`,
    surface: 'whapi',
    operationId,
    summary,
    tags: TAGS,
    access: 'account',
    account: 'channel',
    params: chatParams,
    body,
    responses: commandResponses('Done: the chat’s new state', chatActionSchema),
    handler: async (request, services) => {
      const chatJid = request.params.id;
      const duration = muteSeconds(request.body);
      let last: ReturnType<typeof lastMessageKey> = null;
      if (NEEDS_LAST_MESSAGE.has(type)) {
        const chat = await services.reads.chat(request.accountId, chatJid);
        const lastId = chat?.lastMessageId ?? null;
        last = lastMessageKey(chat, lastId === null ? null : await services.reads.message(request.accountId, lastId));
      }
      return whapiCommand(request, services, type, modifyChatPayload(chatJid, duration, last), () => dataAnswer(chatActionBody(type, chatJid, duration, services.now())));
    },
  });
}

/** `POST /chats/:id/archive` ... `DELETE /chats/:id`: one ModifyChat command each. */
export const archiveChat = chatRoute('POST', 'archive', 'chat.archive', 'archiveChat', 'Archive chat', noBody);
export const unarchiveChat = chatRoute('POST', 'unarchive', 'chat.unarchive', 'unarchiveChat', 'Unarchive chat', noBody);
export const pinChat = chatRoute('POST', 'pin', 'chat.pin', 'pinChat', 'Pin chat', noBody);
export const unpinChat = chatRoute('POST', 'unpin', 'chat.unpin', 'unpinChat', 'Unpin chat', noBody);
export const muteChat = chatRoute('POST', 'mute', 'chat.mute', 'muteChat', 'Mute chat notifications (duration in seconds; none = until unmuted)', muteBody, (body) => body.duration ?? null);
export const unmuteChat = chatRoute('POST', 'unmute', 'chat.unmute', 'unmuteChat', 'Unmute chat', noBody);
export const readChat = chatRoute('POST', 'read', 'chat.read', 'readChat', 'Mark chat as read', noBody);
export const deleteChat = chatRoute('DELETE', null, 'chat.delete', 'deleteChat', 'Delete chat', noBody);

/** The `/chats` routes of the WHAPI document. */
export const chatRoutes: AnyRoute[] = [listChats, getChat, archiveChat, unarchiveChat, pinChat, unpinChat, muteChat, unmuteChat, readChat, deleteChat];
