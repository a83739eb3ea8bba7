import { z } from 'zod';
import { WaError } from '../../shared/index.js';
import { ACCOUNT_ID, defineRoute, type AnyRoute } from '../http/index.js';

const TAGS = ['API keys'];

const KeyView = z.object({
  keyId: z.string(),
  accountId: z.string(),
  label: z.string().nullable(),
  createdAt: z.number().int().describe('epoch milliseconds'),
});

const CreatedKey = KeyView.extend({ key: z.string().describe('The key itself: shown only in this answer, stored only as a hash.') });

/** Admin routes that manage per-account API keys. */
export const apiKeyRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/accounts/:accountId/keys',
    surface: 'system',
    operationId: 'createApiKey',
    summary: 'Create an API key for one account; the key is shown only in this answer',
    tags: TAGS,
    access: 'admin',
    account: 'path:accountId',
    body: z.object({ label: z.string().min(1).max(200).optional() }),
    responses: { 201: { description: 'The new key and its id', schema: CreatedKey } },
    handler: async (request, services) => {
      const { key, view } = await services.keys.create(request.accountId, request.body.label ?? null);
      return { kind: 'json', status: 201, body: { ...view, key } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api-keys',
    surface: 'system',
    operationId: 'listApiKeys',
    summary: 'List account API keys (ids and labels, never the keys)',
    tags: TAGS,
    access: 'admin',
    query: z.object({ accountId: z.string().regex(ACCOUNT_ID).optional() }),
    responses: { 200: { description: 'The keys, oldest first', schema: z.array(KeyView) } },
    handler: async (request, services) => ({ kind: 'json', body: await services.keys.list(request.query.accountId) }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/api-keys/:keyId',
    surface: 'system',
    operationId: 'revokeApiKey',
    summary: 'Revoke an account API key on every instance',
    tags: TAGS,
    access: 'admin',
    params: z.object({ keyId: z.string().min(1).max(100) }),
    responses: {
      200: { description: 'Revoked', schema: z.object({ keyId: z.string(), revoked: z.literal(true) }) },
      404: { description: 'No such key' },
    },
    handler: async (request, services) => {
      if (!(await services.keys.revoke(request.params.keyId))) throw new WaError('NOT_FOUND', `API key ${request.params.keyId} not found`);
      return { kind: 'json', body: { keyId: request.params.keyId, revoked: true } };
    },
  }),
];
