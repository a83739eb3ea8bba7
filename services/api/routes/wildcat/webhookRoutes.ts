import { z } from 'zod';
import { WaError } from '../../../shared/index.js';
import { accountSubscriptionId } from '../../../shared/webhooks/index.js';
import type { ApiServices, WebhookView } from '../../ApiServices.js';
import { defineRoute, type AnyRoute, type Principal } from '../../http/route.js';
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
  webhookEventsSchema,
  webhookLogPagingSchema,
  webhookSchema,
  webhookSecretSchema,
  webhookUrlSchema,
  webhookViewBody,
} from '../shared/index.js';

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

const webhookParams = z.object({ webhookId: z.string().min(1).max(128) });

/**
 * The webhook a `/webhooks/:webhookId/...` route is about: any for the admin key; for an
 * account key only its account's own (`acct:<accountId>`), 403 for any other id.
 */
export async function webhookFor(services: ApiServices, principal: Principal, webhookId: string): Promise<WebhookView> {
  let view: WebhookView | null;
  switch (principal.kind) {
    case 'admin':
      view = (await services.webhooks.list()).find((candidate) => candidate.id === webhookId) ?? null;
      break;
    case 'account':
      if (webhookId !== accountSubscriptionId(principal.accountId)) throw new WaError('FORBIDDEN', `this key may not act on webhook ${webhookId}`);
      view = await services.webhooks.forAccount(principal.accountId);
      break;
    case 'anonymous':
      throw new WaError('UNAUTHORIZED', 'an API key is required');
    default: {
      const unknown: never = principal;
      throw new WaError('INTERNAL', `unknown principal ${String(unknown)}`);
    }
  }
  if (view === null) throw new WaError('NOT_FOUND', 'Webhook not found', { field: 'webhookId' });
  return view;
}

const LOG_ERRORS = { 400: 'Invalid query (names the field)', 403: 'The key may not see this webhook (an account key sees its account’s only)', 404: 'Webhook not found' };

/** `GET /webhooks/:webhookId/attempts` (addition): the delivery log of a webhook, newest first. */
export const listWebhookAttempts = defineRoute({
  method: 'GET',
  path: '/webhooks/:webhookId/attempts',
  surface: 'wildcat',
  operationId: 'wildcatListWebhookAttempts',
  summary: 'Delivery attempts of a webhook, newest first (status, latency, error)',
  tags: TAGS,
  access: 'key',
  params: webhookParams,
  query: webhookAttemptsQuery,
  responses: responses({ 200: { description: 'A page of the delivery log', schema: webhookAttemptsSchema } }, LOG_ERRORS),
  handler: async (request, services) => webhookAttemptsAnswer(services, await webhookFor(services, request.principal, request.params.webhookId), request.query),
});

/** `GET /webhooks/:webhookId/dead-letters` (addition): deliveries given up on. */
export const listWebhookDeadLetters = defineRoute({
  method: 'GET',
  path: '/webhooks/:webhookId/dead-letters',
  surface: 'wildcat',
  operationId: 'wildcatListWebhookDeadLetters',
  summary: 'Dead letters of a webhook: deliveries given up on, newest first',
  tags: TAGS,
  access: 'key',
  params: webhookParams,
  query: webhookLogPagingSchema,
  responses: responses({ 200: { description: 'A page of dead letters (the last attempt of each)', schema: webhookDeadLettersSchema } }, LOG_ERRORS),
  handler: async (request, services) => webhookDeadLettersAnswer(services, await webhookFor(services, request.principal, request.params.webhookId), request.query),
});

/** `POST /webhooks/:webhookId/redeliver` (addition): one event, the dead letters, or everything since a time, queued again. */
export const redeliverWebhook = defineRoute({
  method: 'POST',
  path: '/webhooks/:webhookId/redeliver',
  surface: 'wildcat',
  operationId: 'wildcatRedeliverWebhook',
  summary: 'Redeliver one event, the dead letters, or every event since a time',
  tags: TAGS,
  access: 'key',
  params: webhookParams,
  body: redeliverBody,
  responses: responses(
    { 202: { description: 'Queued: the webhooks role delivers them (same webhook-id as before)', schema: redeliveredSchema } },
    {
      400: 'Not exactly one of eventId, deadLetters, since; a bad or future time; more than 100,000 deliveries',
      403: 'The key may not act on this webhook',
      404: 'Webhook not found, or no delivery of that event to it',
      409: 'The webhook is disabled, or a redelivery to it is running',
    },
  ),
  handler: async (request, services) => redeliverAnswer(services, await webhookFor(services, request.principal, request.params.webhookId), request.body),
});

/** The webhook routes of the WILDCAT document (and their natural additions). */
export const webhookRoutes: AnyRoute[] = [registerWebhook, listWebhooks, deleteWebhook, listWebhookAttempts, listWebhookDeadLetters, redeliverWebhook];
