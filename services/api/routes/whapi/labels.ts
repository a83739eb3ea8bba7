import { z } from 'zod';
import { CHAT, type CommandPayload } from '../../../shared/commands/index.js';
import type { LabelRow } from '../../../../projections/readModels/index.js';
import type { CommandResultValue } from '../../ApiServices.js';
import { resultBranch } from '../../http/commandOutcome.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { channelList, integerField, jidField, labelIdField, requiredText } from './whapiFields.js';
import { commandResponses, dataAnswer, readResponses, whapiCommand } from './whapiCommand.js';

const TAGS = ['Labels'] as const;
/** WhatsApp Business has 20 label colours, numbered 0 to 19. */
const COLOR_MAX = 19;

/** A label as answered. */
export const whapiLabelSchema = z.object({
  id: z.string().meta({ example: '7' }),
  name: z.string().meta({ example: 'VIP' }),
  color: z.number().int().nullable().meta({ description: `colour index 0-${COLOR_MAX}` }),
  chats: z.array(z.string()).meta({ description: 'JIDs of the chats with this label' }),
});
export type WhapiLabel = z.infer<typeof whapiLabelSchema>;

/** A label row as answered. */
export function labelRowToWhapi(row: LabelRow): WhapiLabel {
  return { id: row.labelId, name: row.name, color: row.color, chats: [...row.chats] };
}

/** The label `label.create` answered (a new label has no chats). */
export function labelResultBody(result: CommandResultValue): WhapiLabel {
  const label = resultBranch<{ labelId: string; name: string; color: number }>(result, 'wa.account.Label');
  return { id: label.labelId, name: label.name, color: label.color, chats: [] };
}

/** `POST /labels` body. */
export const createLabelBody = z.object({ name: requiredText('name', 100), color: integerField('color', 0, COLOR_MAX).optional() });
export type CreateLabelBody = z.infer<typeof createLabelBody>;

/** The `label.create` payload (no colour: WhatsApp picks one). */
export function createLabelPayload(body: CreateLabelBody): CommandPayload {
  return { 'wa.commands.CreateLabel': { name: body.name, color: body.color ?? null } };
}

/** The `label.delete` payload. */
export function labelTargetPayload(labelId: string): CommandPayload {
  return { 'wa.commands.LabelTarget': { labelId } };
}

/** The `label.chat.add` / `label.chat.remove` payload. */
export function labelChatPayload(labelId: string, chatJid: string): CommandPayload {
  return { 'wa.commands.LabelChat': { labelId, chatJid } };
}

/** `GET /labels`. */
export const listLabels = defineRoute({
  method: 'GET',
  path: '/labels',
  surface: 'whapi',
  operationId: 'listLabels',
  summary: 'Get all labels',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  responses: readResponses('The labels', z.array(whapiLabelSchema)),
  handler: async (request, services) => dataAnswer(await channelList(services, request.accountId, (await services.reads.labels(request.accountId)).map(labelRowToWhapi))),
});

/** `POST /labels`. */
export const createLabel = defineRoute({
  method: 'POST',
  path: '/labels',
  surface: 'whapi',
  operationId: 'createLabel',
  summary: 'Create label',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  body: createLabelBody,
  responses: commandResponses('The new label', whapiLabelSchema),
  handler: async (request, services) => whapiCommand(request, services, 'label.create', createLabelPayload(request.body), (result) => dataAnswer(labelResultBody(result))),
});

/** What deleting a label answers. */
export const deletedLabelSchema = z.object({ id: z.string(), deleted: z.literal(true) });

/** `DELETE /labels/:id`. */
export const deleteLabel = defineRoute({
  method: 'DELETE',
  path: '/labels/:id',
  surface: 'whapi',
  operationId: 'deleteLabel',
  summary: 'Delete label',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: z.object({ id: labelIdField }),
  body: z.object({}),
  responses: commandResponses('Deleted', deletedLabelSchema, { 404: 'Channel or label not found' }),
  handler: async (request, services) =>
    whapiCommand(request, services, 'label.delete', labelTargetPayload(request.params.id), () => dataAnswer({ id: request.params.id, deleted: true })),
});

/** What adding or removing a chat answers. */
export const labelChatSchema = z.object({ labelId: z.string(), chatId: z.string(), labeled: z.boolean() });

/** `POST /labels/:id/chats`. */
export const addLabelChat = defineRoute({
  method: 'POST',
  path: '/labels/:id/chats',
  surface: 'whapi',
  operationId: 'addLabelChat',
  summary: 'Add chat to label',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: z.object({ id: labelIdField }),
  body: z.object({ chatId: jidField(CHAT, 'chatId') }),
  responses: commandResponses('Labelled', labelChatSchema, { 404: 'Channel or label not found' }),
  handler: async (request, services) => {
    const { id } = request.params;
    const { chatId } = request.body;
    return whapiCommand(request, services, 'label.chat.add', labelChatPayload(id, chatId), () => dataAnswer({ labelId: id, chatId, labeled: true }));
  },
});

/** `DELETE /labels/:id/chats/:chatId`. */
export const removeLabelChat = defineRoute({
  method: 'DELETE',
  path: '/labels/:id/chats/:chatId',
  surface: 'whapi',
  operationId: 'removeLabelChat',
  summary: 'Remove chat from label',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: z.object({ id: labelIdField, chatId: jidField(CHAT, 'chatId') }),
  body: z.object({}),
  responses: commandResponses('Label removed from the chat', labelChatSchema, { 404: 'Channel or label not found' }),
  handler: async (request, services) => {
    const { id, chatId } = request.params;
    return whapiCommand(request, services, 'label.chat.remove', labelChatPayload(id, chatId), () => dataAnswer({ labelId: id, chatId, labeled: false }));
  },
});

/** The `/labels` routes of the WHAPI document. */
export const labelRoutes: AnyRoute[] = [listLabels, createLabel, deleteLabel, addLabelChat, removeLabelChat];
