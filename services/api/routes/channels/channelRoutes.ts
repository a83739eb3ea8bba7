import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { resultBranch } from '../../http/commandOutcome.js';
import {
  ACCEPTED,
  accountIdSchema,
  accountResultToRow,
  accountRowToChannel,
  channelSchema,
  commandRequest,
  deleteAccountPayload,
  documentedOutcome,
  requestedBy,
  responses,
  type AccountResultValue,
} from '../shared/index.js';
import { CHANNEL_ERRORS, channelNotFound } from './channelErrors.js';
import { createChannelBody, createChannelPayload, newChannelId, updateChannelBody, updateChannelPayload } from './channelRequests.js';

const TAGS = ['Channels'] as const;
const channelParams = z.object({ id: accountIdSchema });
const deletedSchema = z.object({ id: z.string(), deleted: z.literal(true) });

function channelOf(result: Parameters<typeof resultBranch>[0]): z.infer<typeof channelSchema> {
  return accountRowToChannel(accountResultToRow(resultBranch<AccountResultValue>(result, 'wa.commands.AccountResult')));
}

/** `GET /channels`. */
export const listChannels = defineRoute({
  method: 'GET',
  path: '/channels',
  surface: 'whapi',
  operationId: 'listChannels',
  summary: 'Get list of all channels',
  tags: TAGS,
  access: 'admin',
  responses: responses({ 200: { description: 'The channels', schema: z.array(channelSchema) } }),
  handler: async (_request, services) => ({ kind: 'json', body: (await services.reads.accounts()).map(accountRowToChannel) }),
});

/** `POST /channels`: the API generates the channel id. */
export const createChannel = defineRoute({
  method: 'POST',
  path: '/channels',
  surface: 'whapi',
  operationId: 'createChannel',
  summary: 'Create a new channel',
  tags: TAGS,
  access: 'admin',
  body: createChannelBody,
  responses: responses({ 201: { description: 'Created', schema: channelSchema }, ...ACCEPTED }, { 400: 'name is required', 409: 'Channel already exists' }),
  handler: async (request, services) => {
    const accountId = newChannelId(request.idempotencyKey, requestedBy(request.principal));
    const answer = await services.commands.send(commandRequest(request, 'account.create', createChannelPayload(request.body), { accountId }));
    return documentedOutcome(answer, (result) => ({ kind: 'json', status: 201, body: channelOf(result) }), CHANNEL_ERRORS);
  },
});

/** `GET /channels/:id`. */
export const getChannel = defineRoute({
  method: 'GET',
  path: '/channels/:id',
  surface: 'whapi',
  operationId: 'getChannel',
  summary: 'Get channel details',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  responses: responses({ 200: { description: 'The channel', schema: channelSchema } }, { 404: 'Channel not found' }),
  handler: async (request, services) => {
    const row = await services.reads.account(request.accountId);
    if (row === null) throw channelNotFound();
    return { kind: 'json', body: accountRowToChannel(row) };
  },
});

/** `PUT /channels/:id`. */
export const updateChannel = defineRoute({
  method: 'PUT',
  path: '/channels/:id',
  surface: 'whapi',
  operationId: 'updateChannel',
  summary: 'Update channel',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  body: updateChannelBody,
  responses: responses({ 200: { description: 'The updated channel', schema: channelSchema }, ...ACCEPTED }, { 400: 'Invalid field', 404: 'Channel not found' }),
  handler: async (request, services) => {
    const answer = await services.commands.send(commandRequest(request, 'account.update', updateChannelPayload(request.body)));
    return documentedOutcome(answer, (result) => ({ kind: 'json', body: channelOf(result) }), CHANNEL_ERRORS);
  },
});

/** `DELETE /channels/:id`: disconnects and removes the channel with its data. */
export const deleteChannel = defineRoute({
  method: 'DELETE',
  path: '/channels/:id',
  surface: 'whapi',
  operationId: 'deleteChannel',
  summary: 'Delete channel and disconnect session',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  responses: responses({ 200: { description: 'Deleted', schema: deletedSchema }, ...ACCEPTED }, { 404: 'Channel not found' }),
  handler: async (request, services) => {
    const answer = await services.commands.send(commandRequest(request, 'account.delete', deleteAccountPayload()));
    return documentedOutcome(answer, () => ({ kind: 'json', body: { id: request.accountId, deleted: true } }), CHANNEL_ERRORS);
  },
});

/** Channel CRUD of the WHAPI document. */
export const channelCrudRoutes: AnyRoute[] = [listChannels, createChannel, getChannel, updateChannel, deleteChannel];
