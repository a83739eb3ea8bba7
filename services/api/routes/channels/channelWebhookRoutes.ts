import { z } from 'zod';
import { WaError } from '../../../shared/index.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { accountIdSchema, requestedBy, responses, webhookSchema, webhookViewBody } from '../shared/index.js';
import { putWebhookBody } from './channelRequests.js';

const TAGS = ['Channels', 'Webhooks'] as const;
const channelParams = z.object({ id: accountIdSchema });

function webhookNotFound(): WaError {
  return new WaError('NOT_FOUND', 'Webhook not configured');
}

/** `GET /channels/:id/webhook`. */
export const getChannelWebhook = defineRoute({
  method: 'GET',
  path: '/channels/:id/webhook',
  surface: 'whapi',
  operationId: 'getChannelWebhook',
  summary: 'Get webhook configuration',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  responses: responses({ 200: { description: 'The webhook', schema: webhookSchema } }, { 404: 'Webhook not configured' }),
  handler: async (request, services) => {
    const view = await services.webhooks.forAccount(request.accountId);
    if (view === null) throw webhookNotFound();
    return { kind: 'json', body: webhookViewBody(view) };
  },
});

/** `PUT /channels/:id/webhook`: creates or replaces the channel's webhook (WHAPI format). */
export const putChannelWebhook = defineRoute({
  method: 'PUT',
  path: '/channels/:id/webhook',
  surface: 'whapi',
  operationId: 'putChannelWebhook',
  summary: 'Configure webhook',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  body: putWebhookBody,
  responses: responses(
    { 200: { description: 'The webhook (with its signing secret when this request set or generated it)', schema: webhookSchema } },
    { 400: 'url or events missing or invalid, or a private address' },
  ),
  handler: async (request, services) => {
    const { webhook, secret } = await services.webhooks.putForAccount(request.accountId, {
      url: request.body.url,
      events: request.body.events,
      secret: request.body.secret ?? null,
      enabled: request.body.enabled ?? true,
      requestedBy: requestedBy(request.principal),
    });
    return { kind: 'json', body: webhookViewBody(webhook, secret) };
  },
});

/** `DELETE /channels/:id/webhook` (addition). */
export const deleteChannelWebhook = defineRoute({
  method: 'DELETE',
  path: '/channels/:id/webhook',
  surface: 'whapi',
  operationId: 'deleteChannelWebhook',
  summary: 'Remove the webhook',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  responses: responses({ 200: { description: 'Removed', schema: z.object({ id: z.string(), deleted: z.literal(true) }) } }, { 404: 'Webhook not configured' }),
  handler: async (request, services) => {
    const view = await services.webhooks.forAccount(request.accountId);
    if (view === null || !(await services.webhooks.remove(view.id, requestedBy(request.principal)))) throw webhookNotFound();
    return { kind: 'json', body: { id: view.id, deleted: true } };
  },
});

/** The channel webhook routes. */
export const channelWebhookRoutes: AnyRoute[] = [getChannelWebhook, putChannelWebhook, deleteChannelWebhook];
