import type { WebhookAttemptOutcome, WebhookAttemptRow } from '../ReadModels.js';

/** A `webhook_attempts` row. */
export function toWebhookAttemptRow(row: Record<string, unknown>): WebhookAttemptRow {
  return {
    attemptId: row.attempt_id as string,
    deliveryId: row.delivery_id as string,
    subscriptionId: row.subscription_id as string,
    eventId: row.event_id as string,
    eventType: row.event_type as string,
    accountId: row.account_id as string,
    chatJid: (row.chat_jid as string | null) ?? null,
    attempt: row.attempt as number,
    outcome: row.outcome as WebhookAttemptOutcome,
    statusCode: (row.status_code as number | null) ?? null,
    latencyMs: row.latency_ms as number,
    error: (row.error as string | null) ?? null,
    attemptedAt: row.attempted_at as number,
    nextAttemptAt: (row.next_attempt_at as number | null) ?? null,
    sourceTopic: row.source_topic as string,
    sourcePartition: row.source_partition as number,
    sourceOffset: row.source_offset as number,
  };
}
