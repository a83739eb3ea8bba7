import { z } from 'zod';
import { WaError } from '../../../shared/index.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { ApiServices, WebhookView } from '../../ApiServices.js';
import {
  accountIdSchema,
  redeliverAnswer,
  redeliverBody,
  redeliveredSchema,
  requestedBy,
  responses,
  webhookAttemptsAnswer,
  webhookAttemptsQuery,
  webhookAttemptsSchema,
  webhookDeadLettersAnswer,
  webhookDeadLettersSchema,
  webhookLogPagingSchema,
  webhookSchema,
  webhookViewBody,
} from '../shared/index.js';
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

/** The channel's own webhook, or 404. */
async function channelWebhook(services: ApiServices, accountId: string): Promise<WebhookView> {
  const view = await services.webhooks.forAccount(accountId);
  if (view === null) throw webhookNotFound();
  return view;
}

/** `GET /channels/:id/webhook/attempts` (addition): the delivery log of the channel's webhook, newest first. */
export const listChannelWebhookAttempts = defineRoute({
  method: 'GET',
  path: '/channels/:id/webhook/attempts',
  surface: 'whapi',
  operationId: 'listChannelWebhookAttempts',
  summary: 'Delivery attempts of the webhook, newest first (status, latency, error)',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  query: webhookAttemptsQuery,
  responses: responses({ 200: { description: 'A page of the delivery log', schema: webhookAttemptsSchema } }, { 400: 'Invalid query (names the field)', 404: 'Webhook not configured' }),
  handler: async (request, services) => webhookAttemptsAnswer(services, await channelWebhook(services, request.accountId), request.query),
});

/** `GET /channels/:id/webhook/dead-letters` (addition). */
export const listChannelWebhookDeadLetters = defineRoute({
  method: 'GET',
  path: '/channels/:id/webhook/dead-letters',
  surface: 'whapi',
  operationId: 'listChannelWebhookDeadLetters',
  summary: 'Dead letters of the webhook: deliveries given up on, newest first',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  query: webhookLogPagingSchema,
  responses: responses({ 200: { description: 'A page of dead letters (the last attempt of each)', schema: webhookDeadLettersSchema } }, { 400: 'Invalid query (names the field)', 404: 'Webhook not configured' }),
  handler: async (request, services) => webhookDeadLettersAnswer(services, await channelWebhook(services, request.accountId), request.query),
});

/** `POST /channels/:id/webhook/redeliver` (addition): one event, the dead letters, or everything since a time, queued again. */
export const redeliverChannelWebhook = defineRoute({
  method: 'POST',
  path: '/channels/:id/webhook/redeliver',
  surface: 'whapi',
  operationId: 'redeliverChannelWebhook',
  summary: 'Redeliver one event, the dead letters, or every event since a time',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  body: redeliverBody,
  responses: responses(
    { 202: { description: 'Queued: the webhooks role delivers them (same webhook-id as before)', schema: redeliveredSchema } },
    {
      400: 'Not exactly one of eventId, deadLetters, since; a bad or future time; more than 100,000 deliveries',
      404: 'Webhook not configured, or no delivery of that event to it',
      409: 'The webhook is disabled, or a redelivery to it is running',
    },
  ),
  handler: async (request, services) => redeliverAnswer(services, await channelWebhook(services, request.accountId), request.body),
});

/** The channel webhook routes. */
export const channelWebhookRoutes: AnyRoute[] = [
  getChannelWebhook,
  putChannelWebhook,
  deleteChannelWebhook,
  listChannelWebhookAttempts,
  listChannelWebhookDeadLetters,
  redeliverChannelWebhook,
];
