import { WaError } from '../../../shared/index.js';
import type { ApiServices, WebhookView } from '../../ApiServices.js';
import type { JsonResult } from '../../http/route.js';
import {
  redeliveredBody,
  redeliverySelection,
  webhookAttemptsFilter,
  webhookLogBody,
  webhookLogPage,
  type AttemptOutcomeName,
  type RedeliverBody,
} from './webhookLogViews.js';

type LogQuery = { limit: number; offset: number; cursor?: string | undefined };

/** `GET .../attempts` of a webhook: its delivery log, newest first. */
export async function webhookAttemptsAnswer(services: ApiServices, webhook: WebhookView, query: LogQuery & { eventId?: string | undefined; outcome?: AttemptOutcomeName | undefined }): Promise<JsonResult> {
  const page = webhookLogPage(query);
  const found = await services.reads.webhookAttempts(webhook.id, webhookAttemptsFilter(query), page);
  return { kind: 'json', body: webhookLogBody('attempts', found, page) };
}

/** `GET .../dead-letters` of a webhook. */
export async function webhookDeadLettersAnswer(services: ApiServices, webhook: WebhookView, query: LogQuery): Promise<JsonResult> {
  const page = webhookLogPage(query);
  return { kind: 'json', body: webhookLogBody('deadLetters', await services.reads.webhookDeadLetters(webhook.id, page), page) };
}

/** `POST .../redeliver` of a webhook: 202 with what was queued; 409 while the webhook is disabled. */
export async function redeliverAnswer(services: ApiServices, webhook: WebhookView, body: RedeliverBody): Promise<JsonResult> {
  const selection = redeliverySelection(body, services.now());
  if (!webhook.enabled) throw new WaError('CONFLICT', `webhook ${webhook.id} is disabled${webhook.disabledReason === null ? '' : ` (${webhook.disabledReason})`}: enable it before redelivering`);
  const outcome = await services.webhookDeliveries.redeliver(webhook, selection);
  return { kind: 'json', status: 202, body: redeliveredBody(outcome) };
}
