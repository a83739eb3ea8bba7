import { z } from 'zod';
import { WaError } from '../../../shared/index.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { accountIdSchema, requestedBy, responses, webhookEventsSchema, webhookSchema, webhookSecretSchema, webhookUrlSchema, webhookViewBody } from '../shared/index.js';

const TAGS = ['Webhooks'] as const;

/** `POST /webhooks` body: the document's `url`, plus an optional signing secret and event filter. */
export const registerWebhookBody = z.object({
  url: webhookUrlSchema,
  secret: webhookSecretSchema.meta({ description: 'Signing secret whsec_<base64> (Standard Webhooks; generated when absent)' }),
  events: webhookEventsSchema.optional().meta({ description: 'Event types to deliver (default: all)' }),
});

/** `POST /webhooks`: a global subscription receiving every account's messages in WILDCAT format. */
export const registerWebhook = defineRoute({
  method: 'POST',
  path: '/webhooks',
  surface: 'wildcat',
  operationId: 'wildcatRegisterWebhook',
  summary: 'Register a webhook URL for message events of all accounts',
  tags: TAGS,
  access: 'admin',
  body: registerWebhookBody,
  responses: responses(
    {
      201: { description: 'Registered', schema: z.object({ url: z.string(), created: z.literal(true), secret: z.string().optional() }) },
      200: { description: 'Already registered', schema: z.object({ url: z.string(), created: z.literal(false) }) },
    },
    { 400: 'url is required / url must be a valid HTTP/HTTPS URL' },
  ),
  handler: async (request, services) => {
    const { webhook, created, secret } = await services.webhooks.registerGlobal({
      url: request.body.url,
      secret: request.body.secret ?? null,
      events: request.body.events ?? null,
      requestedBy: requestedBy(request.principal),
    });
    // The signing secret is shown once, when this request set or generated it.
    const body = created && secret !== null ? { url: webhook.url, created, secret } : { url: webhook.url, created };
    return { kind: 'json', status: created ? 201 : 200, body };
  },
});

/** `GET /webhooks` (addition): every subscription, or one account's. */
export const listWebhooks = defineRoute({
  method: 'GET',
  path: '/webhooks',
  surface: 'wildcat',
  operationId: 'wildcatListWebhooks',
  summary: 'List webhook subscriptions (global and per account)',
  tags: TAGS,
  access: 'admin',
  query: z.object({ accountId: accountIdSchema.optional() }),
  responses: responses({ 200: { description: 'The subscriptions', schema: z.object({ webhooks: z.array(webhookSchema) }) } }),
  handler: async (request, services) => {
    const views = await services.webhooks.list(request.query.accountId === undefined ? {} : { accountId: request.query.accountId });
    return { kind: 'json', body: { webhooks: views.map((view) => webhookViewBody(view)) } };
  },
});

/** `DELETE /webhooks/:webhookId` (addition). */
export const deleteWebhook = defineRoute({
  method: 'DELETE',
  path: '/webhooks/:webhookId',
  surface: 'wildcat',
  operationId: 'wildcatDeleteWebhook',
  summary: 'Remove a webhook subscription',
  tags: TAGS,
  access: 'admin',
  params: z.object({ webhookId: z.string().min(1).max(128) }),
  responses: responses({ 200: { description: 'Removed', schema: z.object({ message: z.string() }) } }, { 404: 'Webhook not found' }),
  handler: async (request, services) => {
    const removed = await services.webhooks.remove(request.params.webhookId, requestedBy(request.principal));
    if (!removed) throw new WaError('NOT_FOUND', 'Webhook not found', { field: 'webhookId' });
    return { kind: 'json', body: { message: `Webhook ${request.params.webhookId} removed` } };
  },
});

/** The webhook routes of the WILDCAT document (and their natural additions). */
export const webhookRoutes: AnyRoute[] = [registerWebhook, listWebhooks, deleteWebhook];
