import { z } from 'zod';
import { WaError } from '../../../shared/index.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { groupRowToWhapi, whapiGroupSchema } from './groups.js';
import { channelList, groupIdField } from './whapiFields.js';
import { dataAnswer, readResponses } from './whapiCommand.js';

const TAGS = ['Communities'] as const;

/** `GET /communities`. */
export const listCommunities = defineRoute({
  method: 'GET',
  path: '/communities',
  surface: 'whapi',
  operationId: 'listCommunities',
  summary: 'Get all communities',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  responses: readResponses('The communities (groups with isCommunity)', z.array(whapiGroupSchema)),
  handler: async (request, services) =>
    dataAnswer(await channelList(services, request.accountId, (await services.reads.communities(request.accountId)).map(groupRowToWhapi))),
});

/** `GET /communities/:id`: a community, not any group. */
export const getCommunity = defineRoute({
  method: 'GET',
  path: '/communities/:id',
  surface: 'whapi',
  operationId: 'getCommunity',
  summary: 'Get community details',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: z.object({ id: groupIdField('id') }),
  responses: readResponses('The community and its members', whapiGroupSchema, { 404: 'Community not found' }),
  handler: async (request, services) => {
    const row = await services.reads.group(request.accountId, request.params.id);
    if (row === null || !row.isCommunity) throw new WaError('NOT_FOUND', 'Community not found', { field: 'id' });
    return dataAnswer(groupRowToWhapi(row));
  },
});

/** The `/communities` routes of the WHAPI document. */
export const communityRoutes: AnyRoute[] = [listCommunities, getCommunity];
