import type { AttemptOutcome, WebhookAttempt, WebhookDelivery } from '../../../projections/events/avroTypes.js';
import type { WebhookSubscriptionValue } from '../../shared/webhooks/index.js';
import type { ConsumedRecord } from '../../shared/kafka/index.js';
import { HEADER } from '../../shared/kafka/index.js';
import { chatOfEvent, matchesSubscription, type WebhookEvent } from '../payloads/index.js';

/** The id of one event's delivery to one subscription, stable across attempts and redeliveries. */
export function deliveryIdOf(eventId: string, subscriptionId: string): string {
  return `${eventId}.${subscriptionId}`;
}

/** What keeps deliveries in order: one subscription, one account, one chat (or the account's chat-less events). */
export function orderingKey(subscriptionId: string, accountId: string, chatJid: string | null): string {
  return `${subscriptionId}\u0000${accountId}\u0000${chatJid ?? ''}`;
}

/**
 * Whether a subscription gets an event: enabled, its scope covers the account, the type is
 * one it asked for, and the event was recorded once it existed (a subscription does not get the
 * history from before it; redeliveries by API do not pass through here).
 */
export function wantsEvent(subscription: WebhookSubscriptionValue, event: Pick<WebhookEvent, 'accountId' | 'type'>, recordedAt: number): boolean {
  if (!subscription.enabled) return false;
  if (subscription.scope === 'ACCOUNT' && subscription.accountId !== event.accountId) return false;
  if (subscription.scope !== 'ACCOUNT' && subscription.scope !== 'GLOBAL') return false;
  if (recordedAt < subscription.createdAt) return false;
  return matchesSubscription(event.type, subscription.eventTypes);
}

/** The first delivery of an event read from its topic to one subscription. */
export function firstDelivery(record: ConsumedRecord & { value: Buffer }, event: WebhookEvent, subscriptionId: string, now: number): WebhookDelivery {
  return {
    deliveryId: deliveryIdOf(event.eventId, subscriptionId),
    subscriptionId,
    eventId: event.eventId,
    eventType: event.type,
    accountId: event.accountId,
    chatJid: chatOfEvent(event),
    sourceTopic: record.topic,
    sourcePartition: record.partition,
    sourceOffset: Number(record.offset),
    attempt: 1,
    firstAttemptAt: now,
    lastAttemptAt: null,
    notBefore: now,
    lastStatusCode: null,
    lastError: null,
    eventBytes: record.value,
    traceparent: record.headers[HEADER.traceparent] ?? null,
  };
}

/** One line of the delivery log for an attempt (or a drop) of a delivery. */
export function attemptRecord(
  delivery: WebhookDelivery,
  fields: { outcome: AttemptOutcome; statusCode: number | null; latencyMs: number; error: string | null; at: number; nextAttemptAt: number | null },
): WebhookAttempt {
  return {
    attemptId: `${delivery.deliveryId}#${delivery.attempt}@${fields.at}`,
    deliveryId: delivery.deliveryId,
    subscriptionId: delivery.subscriptionId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    accountId: delivery.accountId,
    chatJid: delivery.chatJid,
    attempt: delivery.attempt,
    outcome: fields.outcome,
    statusCode: fields.statusCode,
    latencyMs: Math.max(0, Math.min(2_147_483_647, Math.round(fields.latencyMs))),
    error: fields.error,
    attemptedAt: fields.at,
    nextAttemptAt: fields.nextAttemptAt,
    sourceTopic: delivery.sourceTopic,
    sourcePartition: delivery.sourcePartition,
    sourceOffset: delivery.sourceOffset,
  };
}
