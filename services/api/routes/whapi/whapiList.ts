import type { z } from 'zod';
import type { Paged, Page } from '../../../../projections/readModels/index.js';
import type { ApiServices } from '../../ApiServices.js';
import { defineRoute } from '../../http/route.js';
import { offsetPagingSchema, pageOf } from '../shared/index.js';
import { channelList } from './whapiFields.js';
import { dataAnswer, readResponses } from './whapiCommand.js';

/** A WHAPI `GET` list of one channel, paged with `limit` / `offset` by the read models. */
export function whapiPagedList<Row>(spec: {
  path: string;
  operationId: string;
  summary: string;
  tags: readonly string[];
  description: string;
  item: z.ZodType;
  fetch: (reads: ApiServices['reads'], accountId: string, page: Page) => Promise<Paged<Row>>;
  toItem: (row: Row) => unknown;
}) {
  return defineRoute({
    method: 'GET',
    path: spec.path,
    surface: 'whapi',
    operationId: spec.operationId,
    summary: spec.summary,
    tags: spec.tags,
    access: 'account',
    account: 'channel',
    query: offsetPagingSchema,
    responses: readResponses(spec.description, spec.item.array()),
    handler: async (request, services) => {
      const page = await spec.fetch(services.reads, request.accountId, pageOf(request.query));
      return dataAnswer(await channelList(services, request.accountId, page.items.map(spec.toItem)));
    },
  });
}
