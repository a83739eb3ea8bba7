import type { ProjectedEvent } from '../../events/index.js';
import { statement, type Statement } from '../shared/index.js';

/** webhooks: one row per delivery attempt; the same attempt logged again (a crash, a redelivered record) changes nothing. */
export function evolveWebhooks(event: ProjectedEvent): Statement[] {
  if (event.topic !== 'webhookAttempts') return [];
  const a = event.data;
  // Kept after account.deleted, like command results: the log is about our deliveries, and it
  // sits on another topic, so a rebuild could not order the two the way the live run did.
  return [
    statement(
      `INSERT INTO webhook_attempts (attempt_id, delivery_id, subscription_id, event_id, event_type, account_id, chat_jid, attempt, outcome,
         status_code, latency_ms, error, attempted_at, next_attempt_at, source_topic, source_partition, source_offset)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (attempt_id) DO NOTHING`,
      [
        a.attemptId,
        a.deliveryId,
        a.subscriptionId,
        a.eventId,
        a.eventType,
        a.accountId,
        a.chatJid,
        a.attempt,
        a.outcome,
        a.statusCode,
        a.latencyMs,
        a.error,
        a.attemptedAt,
        a.nextAttemptAt,
        a.sourceTopic,
        a.sourcePartition,
        a.sourceOffset,
      ],
    ),
  ];
}
